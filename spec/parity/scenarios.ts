/**
 * The topologies and inputs that every way of running one (the marble driver, the in-memory
 * Kafka with each runner, a real broker) must treat alike: the same outputs, dead letters
 * and committed offsets (see parity-result.ts for how those are compared).
 */
import {
  Action,
  DEFAULT_BRANCH,
  filter,
  mapValues,
  process,
  type Processor,
  type ProcessorContext,
  type RunnableTopology,
  type Serde,
  Serdes,
  StreamsBuilder,
  to,
  withDLQ,
} from 'rx-kstreams';
import type { TopologyDriverOptions } from '../../marbles/driver/topology-driver-options';

/** Real topic names by the scenario's names: the names themselves, or random ones (e2e). */
export type TopicNames = Readonly<Record<string, string>>;

/** An input record, written to an explicit partition so every way reads the same offsets. */
export interface ScenarioRecord {
  readonly partition: number;
  readonly key: string | null;
  readonly value: string | null;
}

/** An input record as it sits in its topic: offsets count from 0 per partition. */
export interface SeededRecord extends ScenarioRecord {
  readonly offset: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** The error handlers a scenario gives the driver and the runners alike. */
export type ScenarioHandlers = Pick<
  TopologyDriverOptions,
  'errorHandler' | 'serdeErrorHandler' | 'processingErrorHandler'
>;

/**
 * What a scenario's run must leave: per output topic (dead-letter topics included) one line
 * per record in the order of parity-result.ts, and the committed offsets.
 */
export interface ScenarioSummary {
  readonly outputs: Readonly<Record<string, readonly string[]>>;
  readonly committedOffsets: Readonly<Record<string, Readonly<Record<number, string>>>>;
}

export interface ParityScenario {
  readonly name: string;
  readonly input: {
    readonly topic: string;
    readonly partitions: number;
    readonly records: readonly ScenarioRecord[];
  };
  /** Every topic the topology writes, dead-letter topics included (one partition each). */
  readonly outputs: readonly string[];
  /** Made afresh for every run: a topology's callbacks may keep state. */
  readonly topology: (topics: TopicNames) => RunnableTopology;
  readonly handlers: (topics: TopicNames) => ScenarioHandlers;
  readonly expected: ScenarioSummary;
}

/**
 * Every input record carries this header (`partition/offset`); the topology passes headers on,
 * so each output and dead letter says which input it came from.
 */
export const SOURCE_HEADER = 'parity-source';

/** The scenario's own names: what the driver and the in-memory Kafka use. */
export const ownTopicNames = (scenario: ParityScenario): TopicNames =>
  Object.fromEntries(
    [scenario.input.topic, ...scenario.outputs].map((topic) => [topic, topic] as const),
  );

/** The input records with the offsets they get in a fresh topic, and their source header. */
export const seededRecords = (scenario: ParityScenario): SeededRecord[] => {
  const next = new Map<number, number>();
  return scenario.input.records.map((record) => {
    const offset = next.get(record.partition) ?? 0;
    next.set(record.partition, offset + 1);
    return { ...record, offset, headers: { [SOURCE_HEADER]: `${record.partition}/${offset}` } };
  });
};

const topicOf = (topics: TopicNames, name: string): string => {
  const topic = topics[name];
  if (topic === undefined) throw new Error(`no topic name for ${name}`);
  return topic;
};

interface Order {
  readonly id: number;
  readonly total: number;
}

/**
 * (a) JSON orders over 3 partitions: keep the big ones, add VAT, write them. A malformed
 * value is dead-lettered (serde phase); an order whose callback throws is skipped.
 */
const bigOrders: ParityScenario = {
  name: 'JSON filter, mapValues and to, with a dead-lettered and a skipped record',
  input: {
    topic: 'orders',
    partitions: 3,
    records: [
      { partition: 0, key: 'o1', value: '{"id":1,"total":50}' },
      { partition: 0, key: 'o2', value: '{"id":2,"total":150}' },
      { partition: 0, key: 'o3', value: '{"id":3,"total":' },
      { partition: 0, key: 'o4', value: '{"id":4,"total":400}' },
      { partition: 1, key: 'o5', value: '{"id":5,"total":500}' },
      { partition: 1, key: 'o6', value: '{"id":-6,"total":600}' },
      { partition: 1, key: 'o7', value: null },
      { partition: 1, key: 'o8', value: '{"id":8,"total":800}' },
      { partition: 2, key: 'o9', value: '{"id":9,"total":900}' },
      { partition: 2, key: 'o10', value: 'not json' },
      { partition: 2, key: 'o11', value: '{"id":11,"total":99}' },
      { partition: 2, key: 'o12', value: '{"id":12,"total":120}' },
    ],
  },
  outputs: ['big-orders', 'orders-dlq'],
  topology: (topics) => {
    const builder = new StreamsBuilder();
    builder
      .stream(topicOf(topics, 'orders'), {
        key: Serdes.string(),
        value: Serdes.json<Order>(),
        name: 'orders-source',
      })
      .pipe(
        filter((_key, order) => order !== null && order.total >= 100, { name: 'big-only' }),
        mapValues(
          (order) => {
            if (order!.id < 0) throw new Error(`order ${order!.id} has a negative id`);
            return { id: order!.id, vat: order!.total / 5 };
          },
          { name: 'add-vat' },
        ),
        to(topicOf(topics, 'big-orders'), {
          key: Serdes.string(),
          value: Serdes.json(),
          name: 'big-orders-sink',
        }),
      );
    return builder.build();
  },
  handlers: (topics) => ({
    serdeErrorHandler: withDLQ(topicOf(topics, 'orders-dlq')),
    processingErrorHandler: () => Action.continue(),
  }),
  expected: {
    outputs: {
      'big-orders': [
        '0/1 o2={"id":2,"vat":30}',
        '0/3 o4={"id":4,"vat":80}',
        '1/0 o5={"id":5,"vat":100}',
        '1/3 o8={"id":8,"vat":160}',
        '2/0 o9={"id":9,"vat":180}',
        '2/3 o12={"id":12,"vat":24}',
      ],
      'orders-dlq': [
        '0/2 o3={"id":3,"total": serde@orders-source attempt 1 from orders/0/2',
        '2/1 o10=not json serde@orders-source attempt 1 from orders/2/1',
      ],
    },
    committedOffsets: { orders: { 0: '4', 1: '4', 2: '4' } },
  },
};

interface Click {
  readonly page: string;
  readonly count: number;
}

type Text = string | null;

/** The header the counting processor adds to what it forwards. */
const COUNT_HEADER = 'click-count';

/** Counts the clicks per key seen by its task (one instance per input partition). */
const runningCount = (): Processor<Text, Text, Text, Click> => {
  const counts = new Map<Text, number>();
  let context: ProcessorContext<Text, Click>;
  return {
    init: (c) => {
      context = c;
    },
    process: (record) => {
      const count = (counts.get(record.key) ?? 0) + 1;
      counts.set(record.key, count);
      context.forward({
        ...record,
        value: { page: record.value ?? '', count },
        headers: { ...record.headers, [COUNT_HEADER]: Buffer.from(String(count)) },
      });
    },
  };
};

/**
 * (b) A processor with per-partition state (a running count per key: the same key counts
 * apart in each partition) and a branch to two topics: first clicks and repeats.
 */
const countAndBranch: ParityScenario = {
  name: 'process() with per-partition state, and branch to two topics',
  input: {
    topic: 'clicks',
    partitions: 2,
    records: [
      { partition: 0, key: 'u1', value: 'home' },
      { partition: 0, key: 'u2', value: 'home' },
      { partition: 0, key: 'u1', value: 'cart' },
      { partition: 0, key: 'u1', value: 'pay' },
      { partition: 1, key: 'u1', value: 'home' },
      { partition: 1, key: 'u3', value: 'home' },
      { partition: 1, key: 'u3', value: 'cart' },
      { partition: 1, key: 'u2', value: 'pay' },
    ],
  },
  outputs: ['first-clicks', 'repeat-clicks'],
  topology: (topics) => {
    const builder = new StreamsBuilder();
    const counted = builder
      .stream(topicOf(topics, 'clicks'), { key: Serdes.string(), value: Serdes.string() })
      .pipe(process(runningCount, { name: 'count-per-key' }));
    const { first, repeat } = counted.branch(
      { first: (_key, click) => click.count === 1, repeat: DEFAULT_BRANCH },
      { name: 'by-count' },
    );
    const json = { key: Serdes.string(), value: Serdes.json<Click>() };
    first.to(topicOf(topics, 'first-clicks'), json);
    repeat.to(topicOf(topics, 'repeat-clicks'), json);
    return builder.build();
  },
  handlers: () => ({}),
  expected: {
    outputs: {
      'first-clicks': [
        '0/0 u1={"page":"home","count":1} [click-count=1]',
        '0/1 u2={"page":"home","count":1} [click-count=1]',
        '1/0 u1={"page":"home","count":1} [click-count=1]',
        '1/1 u3={"page":"home","count":1} [click-count=1]',
        '1/3 u2={"page":"pay","count":1} [click-count=1]',
      ],
      'repeat-clicks': [
        '0/2 u1={"page":"cart","count":2} [click-count=2]',
        '0/3 u1={"page":"pay","count":3} [click-count=3]',
        '1/2 u3={"page":"cart","count":2} [click-count=2]',
      ],
    },
    committedOffsets: { clicks: { 0: '4', 1: '4' } },
  },
};

/**
 * (c) Retries: a `flaky` payment fails its first attempt and goes through on the retry
 * 20 ms later; a `broken` one fails both attempts and is dead-lettered after the second.
 */
const retryThenSucceed: ParityScenario = {
  name: 'a processing failure retried with Action.retry(ms)',
  input: {
    topic: 'payments',
    partitions: 2,
    records: [
      { partition: 0, key: 'p1', value: 'ok-1' },
      { partition: 0, key: 'p2', value: 'flaky-2' },
      { partition: 0, key: 'p3', value: 'ok-3' },
      { partition: 1, key: 'p4', value: 'broken-4' },
      { partition: 1, key: 'p5', value: 'flaky-5' },
      { partition: 1, key: 'p6', value: 'ok-6' },
    ],
  },
  outputs: ['settled', 'payments-dlq'],
  topology: (topics) => {
    // Inputs that have failed once, by partition/offset: the retry of a flaky one goes through.
    const failedOnce = new Set<string>();
    const builder = new StreamsBuilder();
    builder
      .stream(topicOf(topics, 'payments'), { key: Serdes.string(), value: Serdes.string() })
      .pipe(
        mapValues(
          (payment, record) => {
            const id = `${record.partition}/${record.offset}`;
            const text = payment ?? '';
            const flaky = text.startsWith('flaky') && !failedOnce.has(id);
            failedOnce.add(id);
            if (flaky || text.startsWith('broken')) throw new Error(`${text} failed`);
            return text.toUpperCase();
          },
          { name: 'settle' },
        ),
        to(topicOf(topics, 'settled'), { key: Serdes.string(), value: Serdes.string() }),
      );
    return builder.build();
  },
  handlers: (topics) => ({
    processingErrorHandler: withDLQ(topicOf(topics, 'payments-dlq'), (ec) =>
      ec.attempt < 2 ? Action.retry(20) : Action.continue(),
    ),
  }),
  expected: {
    outputs: {
      settled: ['0/0 p1=OK-1', '0/1 p2=FLAKY-2', '0/2 p3=OK-3', '1/1 p5=FLAKY-5', '1/2 p6=OK-6'],
      'payments-dlq': ['1/0 p4=broken-4 processing@settle attempt 2 from payments/1/0'],
    },
    committedOffsets: { payments: { 0: '3', 1: '3' } },
  },
};

/** Writes readings as text; a negative one cannot be written (a serialization failure). */
const nonNegative: Pick<Serde<number>, 'serialize'> = {
  serialize: (_topic, reading) => {
    if (reading < 0) throw new Error(`reading ${reading} is negative`);
    return Buffer.from(String(reading), 'utf8');
  },
};

/** (d) A sink whose serde fails for one record: dead-lettered in the serde phase, at the sink. */
const sinkSerdeFailure: ParityScenario = {
  name: 'a serialization failure at a sink, dead-lettered',
  input: {
    topic: 'readings',
    partitions: 2,
    records: [
      { partition: 0, key: 's1', value: '12' },
      { partition: 0, key: 's1', value: '-3' },
      { partition: 1, key: 's2', value: '7' },
      { partition: 1, key: 's2', value: '8' },
    ],
  },
  outputs: ['doubled', 'readings-dlq'],
  topology: (topics) => {
    const builder = new StreamsBuilder();
    builder
      .stream(topicOf(topics, 'readings'), { key: Serdes.string(), value: Serdes.string() })
      .pipe(
        mapValues((reading) => Number(reading) * 2),
        to(topicOf(topics, 'doubled'), {
          key: Serdes.string(),
          value: nonNegative,
          name: 'doubled-sink',
        }),
      );
    return builder.build();
  },
  handlers: (topics) => ({ serdeErrorHandler: withDLQ(topicOf(topics, 'readings-dlq')) }),
  expected: {
    outputs: {
      doubled: ['0/0 s1=24', '1/0 s2=14', '1/1 s2=16'],
      'readings-dlq': ['0/1 s1=-3 serde@doubled-sink attempt 1 from readings/0/1'],
    },
    committedOffsets: { readings: { 0: '2', 1: '2' } },
  },
};

/** Every scenario, for `describe.each`. */
export const scenarios: readonly ParityScenario[] = [
  bigOrders,
  countAndBranch,
  retryThenSucceed,
  sinkSerdeFailure,
];
