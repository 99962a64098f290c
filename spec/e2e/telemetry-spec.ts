import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { mapValues, partitionedRunner, Serdes, StreamsBuilder, TRACEPARENT } from 'rx-kstreams';
import { testClient } from './support/client-under-test';
import type { RunnableTopology } from '../../lib/topology/topology-task';
import { testTelemetry } from '../otel/support/test-telemetry';
import { startApp, type RunningApp } from '../runner/support/run-app';
import { createTopic, produce, readAll, uniqueName, waitUntil } from './support/broker';

const strings = { key: Serdes.string(), value: Serdes.string() };

/** `from` → upper-cased values → `to`. */
const upperCase = (from: string, to: string): RunnableTopology => {
  const builder = new StreamsBuilder();
  builder
    .stream(from, strings)
    .pipe(mapValues((v) => (v ?? '').toUpperCase()))
    .to(to, strings);
  return builder.build();
};

const spanNamed = (spans: readonly ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`${found.length} spans named ${name}`);
  return found[0]!;
};

/** The trace id and parent span id a W3C `traceparent` header carries. */
const traceparentOf = (header: Buffer | undefined): { traceId: string; spanId: string } => {
  const [, traceId, spanId] = (header?.toString('utf8') ?? '').split('-');
  return { traceId: traceId ?? '', spanId: spanId ?? '' };
};

describe('telemetry on a real broker', () => {
  const running: RunningApp[] = [];
  const shutdowns: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.allSettled(running.splice(0).map((r) => r.stop()));
    await Promise.allSettled(shutdowns.splice(0).map((s) => s()));
  });

  /** An application with an in-memory OpenTelemetry SDK of its own, as another process has. */
  const start = (topology: RunnableTopology) => {
    const otel = testTelemetry();
    shutdowns.push(otel.shutdown);
    const client = testClient({ groupId: uniqueName('g') });
    running.push(
      startApp(
        client,
        topology,
        partitionedRunner({ pollTimeoutMs: 100, commitIntervalMs: 200, telemetry: otel.options }),
      ),
    );
    return otel;
  };

  it("should carry the upstream producer's trace through the broker, from app to app, in traceparent", async () => {
    const [input, middle, output] = await Promise.all([
      createTopic(1, 'in'),
      createTopic(1, 'mid'),
      createTopic(1, 'out'),
    ]);
    const upstream = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
    await produce(input, [
      {
        partition: 0,
        key: 'k1',
        value: 'hello',
        headers: { traceparent: `00-${upstream.traceId}-${upstream.spanId}-01` },
      },
    ]);

    const first = start(upperCase(input, middle));
    const second = start(upperCase(middle, output));
    const ended = (otel: typeof first, name: string) => () =>
      otel.spans().some((s) => s.name === name);
    await waitUntil(ended(first, `send ${middle}`), `the first app's send span`, 30_000);
    await waitUntil(ended(second, `send ${output}`), `the second app's send span`, 30_000);

    // The first app: its process span continues the upstream trace, its send span is a child.
    const firstProcess = spanNamed(first.spans(), `process ${input}`);
    const firstSend = spanNamed(first.spans(), `send ${middle}`);
    expect(firstProcess.kind).toBe(SpanKind.CONSUMER);
    expect(firstProcess.spanContext().traceId).toBe(upstream.traceId);
    expect(firstProcess.parentSpanContext?.spanId).toBe(upstream.spanId);
    expect(firstProcess.links.map((l) => l.context.spanId)).toEqual([upstream.spanId]);
    expect(firstSend.kind).toBe(SpanKind.PRODUCER);
    expect(firstSend.parentSpanContext?.spanId).toBe(firstProcess.spanContext().spanId);

    // What the broker holds, read by a plain kafkajs consumer: the send span's context.
    const [written] = await readAll(middle);
    expect(written?.value?.toString()).toBe('HELLO');
    expect(traceparentOf(written?.headers[TRACEPARENT])).toEqual({
      traceId: upstream.traceId,
      spanId: firstSend.spanContext().spanId,
    });

    // The second app, with an SDK of its own, continues the same trace under that send span.
    const secondProcess = spanNamed(second.spans(), `process ${middle}`);
    const secondSend = spanNamed(second.spans(), `send ${output}`);
    expect(secondProcess.spanContext().traceId).toBe(upstream.traceId);
    expect(secondProcess.parentSpanContext?.spanId).toBe(firstSend.spanContext().spanId);
    expect(secondProcess.links.map((l) => l.context.spanId)).toEqual([
      firstSend.spanContext().spanId,
    ]);
    const [final] = await readAll(output);
    expect(final?.value?.toString()).toBe('HELLO');
    expect(traceparentOf(final?.headers[TRACEPARENT])).toEqual({
      traceId: upstream.traceId,
      spanId: secondSend.spanContext().spanId,
    });
  });
});
