import {
  Application,
  forEach,
  InMemoryKafka,
  partitionedRunner,
  type PartitionedRunnerOptions,
  Serdes,
  StreamsBuilder,
  type Topology,
} from '../lib/index';
import { kafkajsClient } from '../lib/kafkajs';
import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { fmt } from './harness/format';
import { BenchBroker, probeBroker } from './harness/broker';
import { sleep, waitFor } from './harness/sleep';
import { type Contender, measure, type Measurement, type Trial } from './harness/trial';
import { ratioVerdict } from './harness/verdict';

const INPUT = 'work';
const MAX_CONCURRENCY = 100;

/**
 * Confluent Parallel Consumer's published table (10,000 messages, 0–5 ms random work, one
 * partition, maxConcurrency 100), in seconds, where it gives one.
 */
const PUBLISHED: Readonly<Record<string, number>> = {
  partition: 22.2,
  'key-1': 26.7,
  'key-10': 3.3,
  'key-100': 2.18,
  'key-1000': 2.06,
  unordered: 2.83,
};

/** Each record's work: a deterministic 0–5 ms wait (the same for every setting). */
const workMs = (i: number): number => ((i * 2654435761) >>> 0) % 6;

/** source → forEach(await the record's work); `done` counts the records finished. */
const topology = (done: { count: number }): Topology => {
  const builder = new StreamsBuilder();
  builder.stream(INPUT, { key: Serdes.string(), value: Serdes.string() }).pipe(
    forEach(async (_key, value) => {
      await sleep(workMs(Number(value)));
      done.count += 1;
    }),
  );
  return builder.build();
};

interface Setting {
  readonly id: string;
  readonly label: string;
  readonly keys: number;
  readonly options: PartitionedRunnerOptions;
}

const contender = (setting: Setting, count: number, capMs: number): Contender => ({
  id: setting.id,
  label: setting.label,
  prepare: async (): Promise<Trial> => {
    const kafka = new InMemoryKafka({ autoCreateTopics: false });
    kafka.createTopic(INPUT, { partitions: 1 });
    kafka.produce(
      INPUT,
      Array.from({ length: count }, (_, i) => ({ key: `k${i % setting.keys}`, value: String(i) })),
    );
    const done = { count: 0 };
    const app = new Application(kafka.client({ groupId: setting.id }), topology(done));
    return {
      run: async (stopClock) => {
        const running = app.runWith(
          undefined,
          partitionedRunner({ channelBufferSize: 1000, ...setting.options }),
        );
        await waitFor(() => done.count === count, `${setting.id} done`, capMs, 1);
        stopClock();
        app.close();
        await running;
        const committed = kafka.committedOffsets(setting.id)[INPUT]?.[0];
        if (committed !== String(count)) {
          throw new Error(
            `${setting.id}: committed ${committed ?? 'nothing'} of ${count} after shutdown`,
          );
        }
        return { records: count };
      },
    };
  },
});

/**
 * The same on a real broker: a fresh one-partition topic with the records per setting, an app
 * through `kafkajsClient` (library defaults), timed from its start until the last record's
 * work is done.
 */
const brokerContender = (
  setting: Setting,
  count: number,
  capMs: number,
  broker: BenchBroker,
  brokers: readonly string[],
): Contender => ({
  id: setting.id,
  label: setting.label,
  prepare: async (): Promise<Trial> => {
    const tag = `${setting.id}-${Date.now().toString(36)}`;
    const topic = `bench-key-order-${tag}`;
    await broker.createTopics([topic], 1);
    const producer = broker.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (let from = 0; from < count; from += 2000) {
      const messages = [];
      for (let i = from; i < Math.min(count, from + 2000); i += 1) {
        messages.push({ key: `k${i % setting.keys}`, value: String(i), partition: 0 });
      }
      await producer.send({ topic, messages });
    }
    await producer.disconnect();
    const done = { count: 0 };
    const builder = new StreamsBuilder();
    builder.stream(topic, { key: Serdes.string(), value: Serdes.string() }).pipe(
      forEach(async (_key, value) => {
        await sleep(workMs(Number(value)));
        done.count += 1;
      }),
    );
    const client = kafkajsClient({ brokers, groupId: `bench-${tag}`, logLevel: 'error' });
    const app = new Application(client, builder.build());
    return {
      run: async (stopClock) => {
        const running = app.runWith(
          undefined,
          partitionedRunner({ channelBufferSize: 1000, ...setting.options }),
        );
        await waitFor(() => done.count >= count, `${setting.id} done`, capMs, 2);
        stopClock();
        app.close();
        await running;
        return { records: count };
      },
      cleanup: async () => {
        await broker.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      },
    };
  },
});

/** Benchmark 8: Parallel Consumer's table, reproduced on the in-memory Kafka. */
export const keyOrder: Benchmark = {
  id: 'key-order',
  title:
    "8. Per-key concurrency: Parallel Consumer's table (1 partition, 0–5 ms work, maxConcurrency 100)",
  needsBroker: false,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(10_000, 500);
    const keyCounts = [1, 2, 5, 10, 20, 50, 100, 1000, 10_000];
    const settings: Setting[] = [
      { id: 'partition', label: "ordering 'partition'", keys: 100, options: {} },
      ...keyCounts.map((keys) => ({
        id: `key-${keys}`,
        label: `ordering 'key', ${fmt.int(keys)} key${keys === 1 ? '' : 's'}`,
        keys,
        options: { ordering: 'key' as const, maxConcurrency: MAX_CONCURRENCY },
      })),
      {
        id: 'unordered',
        label: "ordering 'unordered'",
        keys: 100,
        options: { ordering: 'unordered' as const, maxConcurrency: MAX_CONCURRENCY },
      },
    ];
    const chosen = ctx.select(settings);
    const results = new Map<string, Measurement>();
    for (const s of chosen) {
      const m = await measure(contender(s, count, ctx.runCapMs), 1);
      ctx.log(`  ${s.label}: ${fmt.s(m.wallMs)} (heap peak ${fmt.mb(m.memory.heapPeakMB)})`);
      results.set(s.id, m);
    }
    // On a real broker too, when one answers.
    const onBroker = new Map<string, Measurement>();
    const unreachable = await probeBroker(ctx.brokers);
    if (unreachable !== undefined) ctx.log(`  no broker for the broker column: ${unreachable}`);
    const broker =
      unreachable === undefined
        ? await BenchBroker.connect(ctx.brokers).catch(() => undefined)
        : undefined;
    if (broker !== undefined) {
      try {
        for (const s of chosen) {
          const m = await measure(brokerContender(s, count, ctx.runCapMs, broker, ctx.brokers), 1);
          ctx.log(`  broker, ${s.label}: ${fmt.s(m.wallMs)}`);
          onBroker.set(s.id, m);
        }
      } finally {
        await broker.close();
      }
    }
    const wall = (id: string): number => results.get(id)?.wallMs ?? 0;
    const scaleNote =
      count === 10_000 ? '' : ` (published figures are for 10,000; these for ${fmt.int(count)})`;
    return {
      id: keyOrder.id,
      title: keyOrder.title,
      setup: `${fmt.int(count)} records on one partition of the in-memory Kafka, each awaiting a 0–5 ms timer (the same waits for every setting), maxConcurrency ${MAX_CONCURRENCY}, channelBufferSize 1000; the clock stops when the last record's work is done (the shutdown then commits everything, checked); one run per setting${scaleNote}`,
      tables: [
        {
          headers: ['setting', 'in-memory', 'broker', 'Parallel Consumer (published)', 'heap peak'],
          rows: chosen.map((s) => [
            s.label,
            fmt.s(wall(s.id)),
            onBroker.has(s.id) ? fmt.s(onBroker.get(s.id)!.wallMs) : '—',
            PUBLISHED[s.id] === undefined ? '—' : `${PUBLISHED[s.id]!.toFixed(2)} s`,
            fmt.mb(results.get(s.id)!.memory.heapPeakMB),
          ]),
        },
      ],
      verdicts:
        results.has('partition') &&
        results.has('key-1000') &&
        results.has('unordered') &&
        results.has('key-1')
          ? [
              // Times, so the ratios are of speeds: partition's time over key's.
              ratioVerdict(
                "1,000 keys: speed-up over 'partition'",
                wall('partition'),
                wall('key-1000'),
                10,
              ),
              ratioVerdict(
                "1,000 keys: speed of 'unordered' (≥ 1/1.1)",
                wall('unordered'),
                wall('key-1000'),
                1 / 1.1,
              ),
              ratioVerdict(
                "1 key: speed of 'partition' (≥ 1/1.05)",
                wall('partition'),
                wall('key-1'),
                1 / 1.05,
              ),
            ]
          : [],
      notes: [
        "The published figures are Confluent Parallel Consumer's README table (JVM, real broker). The in-memory column shows the ordering's effect alone; the broker column (when a broker answers at --brokers) adds kafkajs fetching and the library's default client settings.",
        'Heap peak at 10,000 keys against 100 keys shows memory follows the records held (channelBufferSize), not the key count: idle key groups end.',
      ],
    };
  },
};
