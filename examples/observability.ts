// The code of docs/observability.md, type-checked by the build and run by spec/docs/observability-spec.ts.
import { context, metrics, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type IMetricReader, MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { KafkaClient } from 'rx-kstreams';
import {
  Application,
  DEFAULT_BRANCH,
  filter,
  mapValues,
  partitionedRunner,
  Serdes,
  shutdownSignal,
  StreamsBuilder,
  withDLQ,
} from 'rx-kstreams';

// Where spans go: printed while you try things, to an OpenTelemetry collector in production.
export const consoleSpans = (): SpanExporter => new ConsoleSpanExporter();
export const otlpSpans = (url = 'http://localhost:4318/v1/traces'): SpanExporter =>
  new OTLPTraceExporter({ url });

/** An OpenTelemetry SDK: spans to `spans`, metrics read by `reader`, W3C trace context. */
export const startSdk = (spans: SpanExporter, reader: IMetricReader) => {
  // Once per process: without a context manager no span is ever "active", so the spans
  // your callbacks start would not nest under the record's `process` span.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(spans)],
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const propagator = new W3CTraceContextPropagator();
  const shutdown = async (): Promise<void> => {
    await tracerProvider.shutdown(); // flushes the spans still batched
    await meterProvider.shutdown();
  };
  return { tracerProvider, meterProvider, propagator, shutdown };
};
export type Sdk = ReturnType<typeof startSdk>;

// Or register the SDK globally, for every library of the process: a runner without a
// `telemetry` option uses the global providers and propagator (register before it starts).
export const registerGlobally = ({ tracerProvider, meterProvider, propagator }: Sdk): void => {
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  propagation.setGlobalPropagator(propagator);
};

export interface Order {
  readonly id: string;
  readonly total: number;
  readonly currency: string;
}
export type RateLookup = (currency: string) => Promise<number>;

// A span of your own: started in a callback (before or after an await), it is a child of
// the record's `process` span, and the spans your HTTP or database client makes nest under it.
// Take the tracer from the provider the runner has (or the global one, once registered).
export const withRate = (rateOf: RateLookup, tracer: Tracer) =>
  mapValues<string | null, Order, Order & { rate: number }>((order) =>
    tracer.startActiveSpan('rate lookup', async (span) => {
      try {
        return { ...order, rate: await rateOf(order.currency) };
      } finally {
        span.end();
      }
    }),
  );

/** filter → branch → to; the big orders get a rate first, and a failed lookup is dead-lettered. */
export const ordersTopology = (rateOf: RateLookup, tracer: Tracer) => {
  const builder = new StreamsBuilder();
  const json = { key: Serdes.string(), value: Serdes.json<Order>() };
  const { big, small } = builder
    .stream('orders', json)
    .pipe(filter((_key, order): order is Order => order !== null && order.total > 0))
    .branch({ big: (_key, order) => order.total > 100, small: DEFAULT_BRANCH });
  big
    .pipe(withRate(rateOf, tracer))
    .to('orders.big', { key: Serdes.string(), value: Serdes.json() });
  small.to('orders.small', json);
  return builder.build();
};

export const runOrders = async (
  client: KafkaClient,
  sdk: Sdk,
  rateOf: RateLookup,
  signal: AbortSignal = shutdownSignal(), // SIGINT / SIGTERM
): Promise<void> => {
  const { tracerProvider, meterProvider, propagator } = sdk;
  const topology = ordersTopology(rateOf, tracerProvider.getTracer('orders-app'));
  try {
    await new Application(client, topology).runWith(
      signal,
      partitionedRunner({
        telemetry: { tracerProvider, meterProvider, propagator },
        processingErrorHandler: withDLQ('orders.dlq'),
      }),
    );
  } finally {
    await sdk.shutdown();
  }
};

// A service's start-up: spans to the collector, metrics on http://localhost:9464/metrics.
export const main = async (client: KafkaClient, rateOf: RateLookup): Promise<void> => {
  const sdk = startSdk(otlpSpans(), new PrometheusExporter({ port: 9464 }));
  await runOrders(client, sdk, rateOf);
};
