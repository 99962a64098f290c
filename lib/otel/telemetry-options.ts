import type { MeterProvider, TextMapPropagator, TracerProvider } from '@opentelemetry/api';
import { ConfigError } from '../errors/config-error';
import { describeValue } from '../errors/kind-of';
import { checkKnownKeys, type KnownKeys } from '../errors/known-keys';

/**
 * Where a runner's traces and metrics go (`telemetry` in the runner options). Each falls
 * back to OpenTelemetry's global one, which is a no-op until the application registers an
 * SDK: then rx-kstreams does no per-record telemetry work at all.
 *
 * @example
 * partitionedRunner({ telemetry: { tracerProvider, meterProvider } });
 */
export interface TelemetryOptions {
  /** Default: the global tracer provider (`trace.getTracerProvider()`). */
  readonly tracerProvider?: TracerProvider | undefined;
  /** Default: the global meter provider (`metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider | undefined;
  /** How trace context is read from and written to headers. Default: the global propagator. */
  readonly propagator?: TextMapPropagator | undefined;
  /**
   * An INTERNAL span per topology node a record goes through, under its `process` span
   * (default false: it costs a span per node per record).
   */
  readonly nodeSpans?: boolean | undefined;
}

export const TELEMETRY_OPTION_KEYS: KnownKeys<TelemetryOptions> = {
  tracerProvider: true,
  meterProvider: true,
  propagator: true,
  nodeSpans: true,
};

/**
 * Checks a runner's `telemetry` option when the runner is built: known keys, and
 * `nodeSpans` a boolean.
 *
 * @example
 * checkTelemetryOptions({ nodeSpans: true });
 */
export const checkTelemetryOptions = (options: TelemetryOptions | undefined): void => {
  checkKnownKeys('telemetry', options, TELEMETRY_OPTION_KEYS);
  const nodeSpans: unknown = options?.nodeSpans;
  if (nodeSpans !== undefined && typeof nodeSpans !== 'boolean') {
    throw new ConfigError(
      'telemetry.nodeSpans',
      `must be true or false, got ${describeValue(nodeSpans)}`,
    );
  }
};
