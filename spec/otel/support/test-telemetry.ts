import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { TelemetryOptions } from 'rx-kstreams';

/** A metric reader the test collects from when it wants. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** One metric's points, by a readable key of their attributes. */
export interface CollectedMetric {
  readonly unit: string;
  readonly points: readonly DataPoint<number | Histogram>[];
}

/**
 * An OpenTelemetry SDK of the test's own (nothing registered globally): spans go to an
 * in-memory exporter, metrics to a reader collected on demand, trace context is W3C.
 */
export const testTelemetry = () => {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const propagator = new W3CTraceContextPropagator();
  const options: TelemetryOptions = { tracerProvider, meterProvider, propagator };

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const metrics = async (): Promise<Map<string, CollectedMetric>> => {
    const { resourceMetrics } = await reader.collect();
    const out = new Map<string, CollectedMetric>();
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics as MetricData[]) {
        out.set(metric.descriptor.name, {
          unit: metric.descriptor.unit,
          points: metric.dataPoints as DataPoint<number | Histogram>[],
        });
      }
    }
    return out;
  };
  const shutdown = async (): Promise<void> => {
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  };
  return { options, propagator, spans, metrics, shutdown, tracerProvider };
};

/** The sum of a counter's points whose attributes include `match`. */
export const total = (
  metric: CollectedMetric | undefined,
  match: Record<string, unknown> = {},
): number =>
  (metric?.points ?? [])
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((n, p) => n + (typeof p.value === 'number' ? p.value : p.value.count), 0);
