import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { Headers } from '../record/stream-record';

/** The W3C trace-context header a producer's span context travels in. */
export const TRACEPARENT = 'traceparent';

/**
 * Reads trace context from Kafka headers, whose values are Buffers (a propagator expects
 * strings and ignores anything else).
 *
 * @example
 * propagation.extract(ROOT_CONTEXT, record.headers, headerGetter);
 */
export const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value: unknown = headers[key];
    if (typeof value === 'string') return value;
    return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  },
};

/**
 * Writes trace context into Kafka headers as UTF-8 Buffers.
 *
 * @example
 * propagation.inject(trace.setSpan(context.active(), span), headers, headerSetter);
 */
export const headerSetter: TextMapSetter<Record<string, Buffer>> = {
  set: (headers, key, value) => {
    headers[key] = Buffer.from(value, 'utf8');
  },
};
