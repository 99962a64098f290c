import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  Application,
  ATTR,
  DEFAULT_BRANCH,
  EVENT,
  filter,
  InMemoryKafka,
  mapValues,
  METRIC,
  partitionedRunner,
  type RunnerFactory,
  type RunnerOptions,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  withDLQ,
} from 'rx-kstreams';
import { INSTRUMENTATION } from '../../lib/otel/telemetry';
import { eventually } from '../runner/support/scripted-topology';
import { testTelemetry, total } from './support/test-telemetry';

interface Order {
  readonly id: string;
  readonly total: number;
}

/** filter → branch → to, and a mapValues that fails for the order `bad`. */
const orders = () => {
  const builder = new StreamsBuilder();
  const { big, small } = builder
    .stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() })
    .pipe(filter((_key, order): order is Order => order !== null && order.total > 0))
    .branch({ big: (_key, order) => order.total > 100, small: DEFAULT_BRANCH });
  big.to('big', { key: Serdes.string(), value: Serdes.json() });
  small
    .pipe(
      mapValues((order) => {
        if (order.id === 'bad') throw new Error('no price for bad');
        return order;
      }),
    )
    .to('small', { key: Serdes.string(), value: Serdes.json() });
  return builder.build();
};

const produceOrders = (kafka: InMemoryKafka, headers: Record<string, Buffer> = {}): void => {
  kafka.produce('orders', [
    { key: 'o1', value: '{"id":"o1","total":500}', headers },
    { key: 'o2', value: '{"id":"o2","total":50}' },
    { key: 'bad', value: '{"id":"bad","total":10}' },
    { key: 'o0', value: '{"id":"o0","total":0}' },
  ]);
};

const runners: Array<[string, (o: RunnerOptions) => RunnerFactory]> = [
  ['partitionedRunner', (o) => partitionedRunner(o)],
  ['singleThreadedRunner', (o) => singleThreadedRunner(o)],
];

const byName = (spans: ReadableSpan[], name: string): ReadableSpan[] =>
  spans.filter((s) => s.name === name);

const processSpanOf = (spans: ReadableSpan[], key: string): ReadableSpan => {
  const found = spans.find(
    (s) => s.name === 'process orders' && s.attributes[ATTR.kafkaKey] === key,
  );
  if (found === undefined) throw new Error(`no process span for ${key}`);
  return found;
};

const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] =>
  spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe.each(runners)('telemetry (%s)', (_name, runner) => {
  const run = async (kafka: InMemoryKafka, options: RunnerOptions) => {
    const app = new Application(kafka.client({ groupId: 'g' }), orders());
    const done = app.runWith(
      undefined,
      runner({
        pollTimeoutMs: 5,
        commitIntervalMs: 0,
        processingErrorHandler: withDLQ('orders.dlq'),
        ...options,
      }),
    );
    await eventually(
      () => kafka.records('orders.dlq').length === 1 && kafka.records('small').length === 1,
    );
    await eventually(() => (app.stats()?.partitions ?? []).every((p) => p.lag === 0));
    return { app, done };
  };

  it('should trace each record: a process span per input, a send span per output under it, the DLQ write too', async () => {
    const otel = testTelemetry();
    const kafka = new InMemoryKafka();
    produceOrders(kafka);
    const { app, done } = await run(kafka, { telemetry: otel.options });
    app.close();
    await done;
    const spans = otel.spans();

    const processes = byName(spans, 'process orders');
    expect(processes).toHaveLength(4);
    for (const span of processes) {
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(span.instrumentationScope).toMatchObject(INSTRUMENTATION);
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'orders',
        'messaging.destination.partition.id': '0',
        'messaging.consumer.group.name': 'g',
      });
      expect(span.parentSpanContext).toBeUndefined(); // no upstream context in the headers
    }
    expect(processes.map((s) => s.attributes['messaging.kafka.offset']).sort()).toEqual([
      0, 1, 2, 3,
    ]);

    const o1 = processSpanOf(spans, 'o1');
    expect(childrenOf(spans, o1).map((s) => [s.name, s.kind])).toEqual([
      ['send big', SpanKind.PRODUCER],
    ]);
    expect(childrenOf(spans, o1)[0]!.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'big',
    });
    expect(childrenOf(spans, processSpanOf(spans, 'o2')).map((s) => s.name)).toEqual([
      'send small',
    ]);
    expect(childrenOf(spans, processSpanOf(spans, 'o0'))).toEqual([]); // filtered out

    // The failing record: its failure and the handler's action as events, the DLQ write under it.
    const bad = processSpanOf(spans, 'bad');
    expect(bad.status.code).not.toBe(SpanStatusCode.ERROR); // dead-lettered: handled
    expect(bad.events.map((e) => e.name)).toEqual([EVENT.failure, EVENT.action]);
    expect(bad.events[0]!.attributes).toMatchObject({
      'exception.type': 'ProcessingError',
      'rx_kstreams.error.phase': 'processing',
      'rx_kstreams.attempt': 1,
    });
    expect(bad.events[1]!.attributes).toMatchObject({
      'rx_kstreams.error_handler.action': 'SendToDLQ',
    });
    expect(childrenOf(spans, bad).map((s) => s.name)).toEqual(['send orders.dlq']);

    // Polls and commits are CLIENT spans of their own.
    const polls = byName(spans, 'poll orders');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((s) => s.kind === SpanKind.CLIENT)).toBe(true);
    expect(
      polls.reduce((n, s) => n + Number(s.attributes['messaging.batch.message_count']), 0),
    ).toBe(4);
    const commits = byName(spans, 'commit orders');
    expect(commits.length).toBeGreaterThan(0);
    expect(commits[0]!.attributes).toMatchObject({
      'messaging.operation.name': 'commit',
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': 'g',
    });

    // The output carries its send span's context, so a downstream consumer continues the trace.
    const sendBig = childrenOf(spans, o1)[0]!;
    const header = kafka.records('big')[0]!.headers['traceparent']?.toString();
    expect(header).toBe(`00-${sendBig.spanContext().traceId}-${sendBig.spanContext().spanId}-01`);
    await otel.shutdown();
  });

  it("should continue an upstream producer's trace from its traceparent to the output's headers", async () => {
    const otel = testTelemetry();
    const kafka = new InMemoryKafka();
    const upstreamTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const upstreamSpan = '00f067aa0ba902b7';
    produceOrders(kafka, { traceparent: Buffer.from(`00-${upstreamTrace}-${upstreamSpan}-01`) });
    const { app, done } = await run(kafka, { telemetry: otel.options });
    app.close();
    await done;
    const spans = otel.spans();
    const o1 = processSpanOf(spans, 'o1');
    expect(o1.spanContext().traceId).toBe(upstreamTrace);
    expect(o1.parentSpanContext?.spanId).toBe(upstreamSpan);
    expect(o1.links.map((l) => l.context.spanId)).toEqual([upstreamSpan]);
    const out = kafka.records('big')[0]!.headers['traceparent']!.toString();
    expect(out.split('-')[1]).toBe(upstreamTrace);
    expect(out.split('-')[2]).toBe(childrenOf(spans, o1)[0]!.spanContext().spanId);
    // A record without the header starts a trace of its own.
    expect(processSpanOf(spans, 'o2').spanContext().traceId).not.toBe(upstreamTrace);
    await otel.shutdown();
  });

  it('should count records in, out, errors by phase, actions and DLQ writes, with the conventions’ names and units, and lag 0 once caught up', async () => {
    const otel = testTelemetry();
    const kafka = new InMemoryKafka();
    produceOrders(kafka);
    const { app, done } = await run(kafka, { telemetry: otel.options });
    const metrics = await otel.metrics();
    app.close();
    await done;

    expect(metrics.get(METRIC.consumed.name)?.unit).toBe('{message}');
    expect(
      total(metrics.get(METRIC.consumed.name), { 'messaging.destination.name': 'orders' }),
    ).toBe(4);
    expect(total(metrics.get(METRIC.sent.name))).toBe(3);
    expect(
      total(metrics.get(METRIC.sent.name), { 'messaging.destination.name': 'orders.dlq' }),
    ).toBe(1);
    expect(metrics.get(METRIC.processDuration.name)?.unit).toBe('s');
    expect(total(metrics.get(METRIC.processDuration.name))).toBe(4);
    const operations = metrics.get(METRIC.operationDuration.name);
    expect(operations?.unit).toBe('s');
    for (const op of ['poll', 'send', 'commit']) {
      expect(total(operations, { 'messaging.operation.name': op })).toBeGreaterThan(0);
    }
    expect(
      total(metrics.get(METRIC.errors.name), { 'rx_kstreams.error.phase': 'processing' }),
    ).toBe(1);
    expect(total(metrics.get(METRIC.errors.name))).toBe(1);
    expect(
      total(metrics.get(METRIC.actions.name), { 'rx_kstreams.error_handler.action': 'SendToDLQ' }),
    ).toBe(1);
    expect(total(metrics.get(METRIC.dlqWrites.name))).toBe(1);
    expect(total(metrics.get(METRIC.retries.name))).toBe(0);
    expect(
      metrics
        .get(METRIC.lag.name)
        ?.points.map((p) => [p.attributes['messaging.destination.partition.id'], p.value]),
    ).toEqual([['0', 0]]);
    expect(total(metrics.get(METRIC.tasksActive.name))).toBe(1);
    expect(total(metrics.get(METRIC.recordsPending.name))).toBe(0);
    await otel.shutdown();
  });
});

describe('node spans', () => {
  afterEach(() => context.disable());

  it('should give each node a record goes through an INTERNAL span, nested in the order the nodes run', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const otel = testTelemetry();
    const kafka = new InMemoryKafka();
    kafka.produce('orders', [{ key: 'o1', value: '{"id":"o1","total":500}' }]);
    const app = new Application(kafka.client({ groupId: 'g' }), orders());
    const done = app.runWith(
      undefined,
      partitionedRunner({ pollTimeoutMs: 5, telemetry: { ...otel.options, nodeSpans: true } }),
    );
    await eventually(() => kafka.records('big').length === 1);
    app.close();
    await done;
    const spans = otel.spans();
    const internal = spans.filter((s) => s.kind === SpanKind.INTERNAL);
    const kinds = internal.map((s) => s.attributes['rx_kstreams.node.kind']);
    expect(kinds).toEqual(
      expect.arrayContaining(['SOURCE', 'FILTER', 'BRANCH', 'BRANCHCHILD', 'SINK']),
    );
    // Each node's span is a child of the span of the node before it; the source's, of the record's.
    const parentKind = (span: ReadableSpan): unknown =>
      spans.find((p) => p.spanContext().spanId === span.parentSpanContext?.spanId)?.attributes[
        'rx_kstreams.node.kind'
      ] ?? spans.find((p) => p.spanContext().spanId === span.parentSpanContext?.spanId)?.name;
    const byKind = (kind: string) =>
      internal.find((s) => s.attributes['rx_kstreams.node.kind'] === kind)!;
    expect(parentKind(byKind('SOURCE'))).toBe('process orders');
    expect(parentKind(byKind('FILTER'))).toBe('SOURCE');
    expect(parentKind(byKind('BRANCH'))).toBe('FILTER');
    expect(parentKind(byKind('SINK'))).toBe('BRANCHCHILD');
    expect(byKind('SINK').attributes['rx_kstreams.node.name']).toBe(byKind('SINK').name);
    await otel.shutdown();
  });

  it('should refuse a nodeSpans that is not a boolean when the runner is built', () => {
    expect(() => partitionedRunner({ telemetry: { nodeSpans: 'yes' as never } })).toThrow(
      /telemetry.nodeSpans.*true or false.*got a string "yes"/,
    );
  });
});

describe('telemetry without an SDK', () => {
  it('should trace nothing and leave the headers alone', async () => {
    const kafka = new InMemoryKafka();
    produceOrders(kafka);
    const app = new Application(kafka.client({ groupId: 'g' }), orders());
    const done = app.runWith(
      undefined,
      partitionedRunner({ pollTimeoutMs: 5, processingErrorHandler: withDLQ('orders.dlq') }),
    );
    await eventually(() => kafka.records('big').length === 1);
    app.close();
    await done;
    expect(kafka.records('big')[0]!.headers).toEqual({});
  });

  it('should refuse an unknown telemetry option, naming the nearest one', () => {
    expect(() => partitionedRunner({ telemetry: { tracerProvder: {} } as never })).toThrow(
      /tracerProvder.*did you mean tracerProvider/,
    );
  });
});

describe('INSTRUMENTATION', () => {
  it("should carry the package's name and version", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../package.json') as { name: string; version: string };
    expect(INSTRUMENTATION).toEqual({ name: pkg.name, version: pkg.version });
  });
});
