import {
  actionLogger,
  DLQ_HEADERS,
  filter,
  fixedBackoff,
  InMemoryKafka,
  logAndContinue,
  map,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  to,
  withDLQ,
  withMaxAttempts,
  type RunnableTopology,
} from 'rx-kstreams';
import { eventually } from '../runner/support/scripted-topology';
import { startApp } from '../runner/support/run-app';
import { recordingLogger } from '../support/recording-logger';

interface Order {
  readonly id: string;
  readonly amount: number;
  readonly user_id: string;
}

/**
 * go-streams' examples/kgo_complete.go, ported name for name: JSON orders, invalid ones
 * filtered out, each mapped to (user id, summary), written with a string key and a JSON value;
 * the error handler is ActionLogger(info, WithMaxAttempts(3, fixed backoff,
 * WithDLQ("dlq", LogAndContinue))). The backoff is 5 ms instead of go-streams' 1 s.
 */
const kgoComplete = (): RunnableTopology => {
  const builder = new StreamsBuilder();
  builder.stream('example-kgo-complete-input', { value: Serdes.json<Order>() }).pipe(
    filter((_key, order): order is Order => order !== null && order.id !== '' && order.amount >= 0),
    map((_key, order) => {
      if (order.id === 'order-poison') throw new Error(`cannot summarise ${order.id}`);
      return { key: order.user_id, value: { orderId: order.id, amount: order.amount } };
    }),
    to('example-kgo-complete-output', { key: Serdes.string(), value: Serdes.json() }),
  );
  return builder.build();
};

describe("go-streams' kgo_complete, ported", () => {
  it('should retry three times, then log and dead-letter the failing records', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('example-kgo-complete-input', { partitions: 1 });
    kafka.produce('example-kgo-complete-input', [
      { key: 'k1', value: JSON.stringify({ id: 'order1', amount: 100, user_id: 'user1' }) },
      { key: 'k2', value: '{"id": "order2", ' }, // malformed: a serde failure
      { key: 'k3', value: JSON.stringify({ id: '', amount: 5, user_id: 'user3' }) }, // filtered
      { key: 'k4', value: JSON.stringify({ id: 'order-poison', amount: 1, user_id: 'user4' }) },
      { key: 'k5', value: JSON.stringify({ id: 'order5', amount: 7, user_id: 'user5' }) },
    ]);
    const logger = recordingLogger();
    const errorHandler = actionLogger(
      logger,
      'info',
      withMaxAttempts(3, fixedBackoff(5), withDLQ('dlq', logAndContinue(logger))),
    );
    const run = startApp(
      kafka.client({ groupId: 'example-kgo-complete' }),
      kgoComplete(),
      singleThreadedRunner({ logger, errorHandler }),
    );
    await eventually(
      () =>
        kafka.records('dlq').length === 2 &&
        kafka.records('example-kgo-complete-output').length === 2,
    );
    await run.stop();
    expect(kafka.committedOffsets('example-kgo-complete')).toEqual({
      'example-kgo-complete-input': { 0: '5' },
    });

    const out = kafka.records('example-kgo-complete-output');
    expect(out.map((r) => [r.key?.toString(), JSON.parse(r.value!.toString())])).toEqual([
      ['user1', { orderId: 'order1', amount: 100 }],
      ['user5', { orderId: 'order5', amount: 7 }],
    ]);
    const dlq = kafka.records('dlq');
    expect(dlq.map((r) => r.key?.toString())).toEqual(['k2', 'k4']);
    expect(dlq.map((r) => r.headers[DLQ_HEADERS.errorPhase]?.toString())).toEqual([
      'serde',
      'processing',
    ]);
    expect(dlq.map((r) => r.headers[DLQ_HEADERS.errorAttempt]?.toString())).toEqual(['3', '3']);
    // Each failing record: three decisions logged (retry, retry, dead-letter), one skip line.
    const chose = logger.entries.filter((e) => e.message.startsWith('error handler chose'));
    expect(chose.map((e) => e.message)).toEqual([
      ...['Retry', 'Retry', 'SendToDLQ'].map((tag) => `error handler chose ${tag}`),
      ...['Retry', 'Retry', 'SendToDLQ'].map((tag) => `error handler chose ${tag}`),
    ]);
    expect(chose.every((e) => e.level === 'info')).toBe(true);
    expect(logger.messages().filter((m) => m === 'record failed, skipping it')).toHaveLength(2);
  });
});
