/**
 * The demo: a few thousand sample orders through filter → mapValues → branch → to on the
 * partitioned runner, with a retrying error handler and a dead-letter topic.
 *
 *   npm run demo                              # on the in-memory Kafka
 *   npm run demo -- --brokers 127.0.0.1:9092  # on a real broker, through kafkajs
 *   npm run demo -- --brokers 127.0.0.1:9092 --client kafkats  # through @kafkats/client
 *   npm run demo -- --count 20000
 */
import { Kafka, logLevel } from 'kafkajs';
import {
  Application,
  DEFAULT_BRANCH,
  exponentialBackoff,
  filter,
  InMemoryKafka,
  type KafkaClient,
  mapValues,
  partitionedRunner,
  Serdes,
  StreamsBuilder,
  withDLQ,
  withMaxAttempts,
  type RunnerStats,
} from '../lib/index';
import { kafkajsClient } from '../lib/kafkajs';
import { kafkatsClient } from '../lib/kafkats';

interface Order {
  readonly id: number;
  readonly customer: string;
  readonly amount: number;
  readonly status: 'new' | 'paid' | 'cancelled';
}

interface PricedOrder extends Order {
  readonly total: number;
}

interface Topics {
  readonly orders: string;
  readonly large: string;
  readonly small: string;
  readonly dlq: string;
}

/** Where the demo runs: topics to set up, a client, and how to read results. */
interface Cluster {
  readonly client: KafkaClient;
  produce(topic: string, records: Array<{ key: string; value: string }>): Promise<void>;
  count(topic: string): Promise<number>;
  /** Offsets still to commit for the group on the input topic. */
  lag(): Promise<number>;
  close(): Promise<void>;
}

const PARTITIONS = 8;

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const brokers = flag('brokers');
const count = Number(flag('count') ?? 5000);
const clientName = flag('client') ?? 'kafkajs';
if (clientName !== 'kafkajs' && clientName !== 'kafkats') {
  throw new Error(`--client must be kafkajs or kafkats, got ${clientName}`);
}
if (!Number.isInteger(count) || count < 1)
  throw new Error(`--count must be a positive integer, got ${flag('count')}`);

/** Deterministic pseudo-random numbers, so every run tells the same story. */
const random = (() => {
  let seed = 42;
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
})();

const sampleOrders = (n: number): Array<{ key: string; value: string }> =>
  Array.from({ length: n }, (_, id) => {
    const customer = `customer-${Math.floor(random() * 200)}`;
    if (id % 397 === 0) return { key: customer, value: `{"id": ${id}, "customer": ` }; // malformed
    const status = random() < 0.1 ? 'cancelled' : random() < 0.5 ? 'paid' : 'new';
    const order: Order = { id, customer, amount: Math.round(random() * 100_000) / 100, status };
    return { key: customer, value: JSON.stringify(order) };
  });

/** A pricing call that fails now and then, the first time it sees an order. */
const failedOnce = new Set<number>();
const price = (order: Order): PricedOrder => {
  if (order.id % 101 === 0 && !failedOnce.has(order.id)) {
    failedOnce.add(order.id);
    throw new Error(`pricing service timed out for order ${order.id}`);
  }
  return { ...order, total: Math.round(order.amount * 1.2 * 100) / 100 };
};

const buildTopology = (topics: Topics) => {
  const builder = new StreamsBuilder();
  const priced = builder
    .stream(topics.orders, { key: Serdes.string(), value: Serdes.json<Order>() })
    .pipe(
      filter((_customer, order): order is Order => order !== null && order.status !== 'cancelled', {
        name: 'drop-cancelled',
      }),
      mapValues(price, { name: 'price' }),
    );
  const { large, small } = priced.branch(
    { large: (_c, o) => o.total >= 500, small: DEFAULT_BRANCH },
    { name: 'by-size' },
  );
  large.to(topics.large, {
    key: Serdes.string(),
    value: Serdes.json<PricedOrder>(),
    name: 'large-orders',
  });
  small.to(topics.small, {
    key: Serdes.string(),
    value: Serdes.json<PricedOrder>(),
    name: 'small-orders',
  });
  return builder.build();
};

const inMemoryCluster = (topics: Topics, groupId: string): Cluster => {
  const kafka = new InMemoryKafka();
  kafka.createTopic(topics.orders, { partitions: PARTITIONS });
  return {
    client: kafka.client({ groupId }),
    produce: async (topic, records) => void kafka.produce(topic, records),
    count: async (topic) => (kafka.topics().includes(topic) ? kafka.records(topic).length : 0),
    lag: async () => {
      const committed = kafka.committedOffsets(groupId)[topics.orders] ?? {};
      const ends = Object.entries(kafka.endOffsets(topics.orders));
      return ends.reduce((n, [p, end]) => n + Number(end) - Number(committed[Number(p)] ?? 0), 0);
    },
    close: async () => undefined,
  };
};

const brokerCluster = async (list: string[], topics: Topics, groupId: string): Promise<Cluster> => {
  const kafka = new Kafka({
    clientId: 'rx-kstreams-demo',
    brokers: list,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.orders, numPartitions: PARTITIONS },
      { topic: topics.large, numPartitions: PARTITIONS },
      { topic: topics.small, numPartitions: PARTITIONS },
      { topic: topics.dlq, numPartitions: 1 },
    ],
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sum = (offsets: Array<{ offset: string }>): number =>
    offsets.reduce((n, o) => n + Number(o.offset), 0);
  return {
    client:
      clientName === 'kafkats'
        ? kafkatsClient({ brokers: list, groupId, logLevel: 'error' })
        : kafkajsClient({ kafka, groupId }),
    produce: async (topic, records) => {
      for (let i = 0; i < records.length; i += 1000) {
        await producer.send({ topic, messages: records.slice(i, i + 1000) });
      }
    },
    count: async (topic) => sum(await admin.fetchTopicOffsets(topic)),
    lag: async () => {
      const end = sum(await admin.fetchTopicOffsets(topics.orders));
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.orders] });
      const done = (committed?.partitions ?? []).reduce(
        (n, p) => n + Math.max(0, Number(p.offset)),
        0,
      );
      return end - done;
    },
    close: async () => {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
};

/** The failures shown to an error handler, by phase: only the phases that had some. */
const errorsByPhase = (errors: RunnerStats['errors'] | undefined): string => {
  const seen = Object.entries(errors ?? {}).filter(([, n]) => n > 0);
  return seen.length === 0 ? 'no errors' : `errors ${seen.map(([p, n]) => `${p} ${n}`).join(', ')}`;
};

/** Two lines of progress: the commits and the backpressure, then what `app.stats()` counts. */
const progressLines = (stats: RunnerStats | undefined, remaining: number): string[] => {
  const partitions = stats?.partitions ?? [];
  const queued = partitions.reduce((n, p) => n + p.queueDepth, 0);
  const pending = partitions.reduce((n, p) => n + p.pending, 0);
  const paused = partitions.filter((p) => p.paused).length;
  // The lag as the runner last asked the broker (every 5 s, and after commits).
  const lags = partitions.flatMap((p) => (p.lag === undefined ? [] : [p.lag]));
  const lag = lags.length === 0 ? '–' : String(lags.reduce((a, b) => a + b, 0));
  const rate = (perSecond: number | undefined): string => `${Math.round(perSecond ?? 0)}/s`;
  const ms = (value: number | undefined): string =>
    value === undefined ? '–' : `${value.toFixed(1)} ms`;
  return [
    `  ${count - remaining}/${count} committed · lag ${lag} · buffered ${queued} · pending ${pending} · paused ${paused}/${partitions.length} partitions`,
    `    in ${rate(stats?.records.inPerSecond)} · out ${rate(stats?.records.outPerSecond)} · ${errorsByPhase(stats?.errors)} · p50 ${ms(stats?.processingMs?.p50)} · p99 ${ms(stats?.processingMs?.p99)}`,
  ];
};

/** Draws the progress lines over the ones drawn before (on a terminal). */
const redraw = (() => {
  let drawn = 0;
  return (lines: readonly string[]): void => {
    const up = drawn > 1 ? `\x1b[${drawn - 1}A` : '';
    process.stdout.write(`${up}\r${lines.map((l) => `\x1b[2K${l}`).join('\n')}`);
    drawn = lines.length;
  };
})();

const main = async (): Promise<void> => {
  const suffix = brokers ? `-${Date.now().toString(36)}` : '';
  const topics: Topics = {
    orders: `demo.orders${suffix}`,
    large: `demo.orders.large${suffix}`,
    small: `demo.orders.small${suffix}`,
    dlq: `demo.orders.dlq${suffix}`,
  };
  const groupId = `demo-pricing${suffix}`;
  const cluster = brokers
    ? await brokerCluster(brokers.split(','), topics, groupId)
    : inMemoryCluster(topics, groupId);
  const topology = buildTopology(topics);

  console.log(
    `rx-kstreams demo on ${brokers ? `Kafka at ${brokers} through ${clientName}` : 'the in-memory Kafka'}\n`,
  );
  console.log(topology.describe());
  await cluster.produce(topics.orders, sampleOrders(count));
  console.log(`\nproduced ${count} orders to ${topics.orders} (${PARTITIONS} partitions)\n`);

  const app = new Application(cluster.client, topology);
  const started = Date.now();
  const running = app.runWith(
    undefined,
    partitionedRunner({
      channelBufferSize: 100,
      commitIntervalMs: 200,
      pollTimeoutMs: 100,
      serdeErrorHandler: withDLQ(topics.dlq),
      processingErrorHandler: withMaxAttempts(
        3,
        exponentialBackoff({ initialMs: 10, maxMs: 100 }),
        withDLQ(topics.dlq),
      ),
    }),
  );
  const live = process.stdout.isTTY;
  let remaining = count;
  let lastPrint = 0;
  while (remaining > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    remaining = await cluster.lag();
    if (live) redraw(progressLines(app.stats(), remaining));
    else if (Date.now() - lastPrint >= 1000 || remaining === 0) {
      console.log(progressLines(app.stats(), remaining).join('\n'));
      lastPrint = Date.now();
    }
  }
  if (live) process.stdout.write('\n');
  app.close();
  await running;
  const seconds = (Date.now() - started) / 1000;

  const rows = [
    [topics.orders, await cluster.count(topics.orders)],
    [topics.large, await cluster.count(topics.large)],
    [topics.small, await cluster.count(topics.small)],
    [topics.dlq, await cluster.count(topics.dlq)],
  ] as const;
  await cluster.close();
  const width = Math.max(...rows.map(([t]) => t.length));
  console.log(`\nprocessed ${count} orders in ${seconds.toFixed(2)} s\n`);
  console.log(`${'topic'.padEnd(width)}  records`);
  for (const [topic, n] of rows) console.log(`${topic.padEnd(width)}  ${String(n).padStart(7)}`);
  const out = rows[1][1] + rows[2][1] + rows[3][1];
  const cancelled = count - out;
  console.log(
    `\n(${cancelled} cancelled orders filtered out; malformed ones and none of the retried ones in the DLQ)`,
  );
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
