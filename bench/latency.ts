import type { Producer as KafkajsProducer } from 'kafkajs';
import type { KafkaClient, ProducerRecord } from '../lib/index';
import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { BenchBroker, uniqueName } from './harness/broker';
import { startBrokerApp } from './harness/broker-runner';
import { fmt } from './harness/format';
import { startKafkajsPipeline } from './harness/kafkajs-pipeline';
import { latencyStats, type LatencyStats } from './harness/latency-stats';
import { keep, makeOrders, type Order, type OrderData } from './harness/orders';
import { pricingTopology, RUNNER_LABELS, type RunnerId } from './harness/pricing-topology';
import { sleep, waitFor } from './harness/sleep';
import type { Table } from './harness/table';

const PARTITIONS = 8;
const RATE = 1000;
const TICK_MS = 10;
const WARM_UP_MS = 2000;
const SENT_AT = 'x-bench-sent-at';

/** Milliseconds on a clock shared by producer and pipeline (same process), sub-ms precise. */
const now = (): number => performance.timeOrigin + performance.now();

const sentAt = (headers: Readonly<Record<string, unknown>> | undefined): number | undefined => {
  const raw = headers?.[SENT_AT];
  return Buffer.isBuffer(raw) || typeof raw === 'string' ? Number(raw.toString()) : undefined;
};

/** Records latencies of acknowledged outputs sent after the warm-up. */
class LatencyRecorder {
  readonly samples: number[] = [];
  acknowledged = 0;
  from = Infinity;

  observe(headers: Readonly<Record<string, unknown>> | undefined): void {
    const at = sentAt(headers);
    if (at === undefined) return;
    this.acknowledged += 1;
    if (at >= this.from) this.samples.push(now() - at);
  }
}

/** A client whose producer reports each acknowledged record to the recorder. */
const watchAcks =
  (recorder: LatencyRecorder) =>
  (client: KafkaClient): KafkaClient => ({
    groupId: client.groupId,
    createConsumer: () => client.createConsumer(),
    createProducer: () => {
      const producer = client.createProducer();
      return {
        connect: () => producer.connect(),
        send: (record: ProducerRecord) =>
          producer.send(record).then((metadata) => {
            recorder.observe(record.headers);
            return metadata;
          }),
        flush: () => producer.flush(),
        progress: () => producer.progress(),
        close: () => producer.close(),
      };
    },
  });

/** Sends `RATE` records per second for `seconds`, each stamped with its send time. */
const paced = async (
  producer: KafkajsProducer,
  topic: string,
  data: OrderData,
  seconds: number,
): Promise<number> => {
  const total = Math.round(RATE * seconds);
  const start = performance.now();
  const sends: Promise<unknown>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
    if (due > sent) {
      const stamp = String(now());
      const messages = [];
      for (; sent < due; sent += 1) {
        const i = sent % data.count;
        messages.push({
          key: data.keys[i]!,
          value: data.values[i]!,
          headers: { [SENT_AT]: stamp },
        });
      }
      sends.push(producer.send({ topic, messages }));
    }
    await sleep(TICK_MS);
  }
  await Promise.all(sends);
  return total;
};

interface LatencyRun {
  readonly label: string;
  readonly stats: LatencyStats;
  readonly acknowledged: number;
  readonly expected: number;
}

/** Benchmark 5: end-to-end latency at a fixed moderate rate. */
export const latency: Benchmark = {
  id: 'latency',
  title: '5. Latency: produced → output acknowledged, at a fixed rate on a real broker',
  needsBroker: true,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const seconds = Math.max(5, 20 * ctx.scale);
    const data = makeOrders(10_000);
    const keptPrefix = (n: number): number => {
      let kept = 0;
      for (let i = 0; i < n; i += 1) {
        if (keep(JSON.parse(data.values[i % data.count]!) as Order)) kept += 1;
      }
      return kept;
    };
    const broker = await BenchBroker.connect(ctx.brokers);
    const producer = broker.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const runs: LatencyRun[] = [];
    try {
      const contenders = ctx.select([
        { id: 'hand', label: 'hand-written kafkajs eachBatch' },
        { id: 'single', label: RUNNER_LABELS.single },
        { id: 'partitioned', label: RUNNER_LABELS.partitioned },
      ]);
      for (const contender of contenders) {
        const input = uniqueName('bench-latency-in');
        const output = uniqueName('bench-latency-out');
        const groupId = uniqueName(`bench-latency-${contender.id}`);
        await broker.createTopics([input, output], PARTITIONS);
        const recorder = new LatencyRecorder();
        let stop: () => Promise<void>;
        if (contender.id === 'hand') {
          const pipeline = await startKafkajsPipeline({
            brokers: ctx.brokers,
            groupId,
            input,
            output,
            onAcknowledged: (messages) => messages.forEach((m) => recorder.observe(m.headers)),
          });
          await pipeline.joined;
          stop = () => pipeline.stop();
        } else {
          const app = startBrokerApp({
            brokers: ctx.brokers,
            groupId,
            topology: pricingTopology(input, output),
            runner: contender.id as RunnerId,
            wrap: watchAcks(recorder),
          });
          await app.assigned(PARTITIONS);
          stop = () => app.stop();
        }
        recorder.from = now() + WARM_UP_MS;
        ctx.log(`  ${contender.label}: ${RATE} records/s for ${seconds} s ...`);
        const sent = await paced(producer, input, data, seconds);
        const expected = keptPrefix(sent);
        await waitFor(
          () => recorder.acknowledged >= expected,
          'every output acknowledged',
          30_000,
          50,
        ).catch((error: unknown) => ctx.log(`  ${String(error)}`));
        await stop();
        const stats = latencyStats(recorder.samples);
        ctx.log(
          `  ${contender.label}: p50 ${fmt.ms(stats.p50)}, p99 ${fmt.ms(stats.p99)}, max ${fmt.ms(stats.max)} (${fmt.int(stats.count)} samples)`,
        );
        runs.push({ label: contender.label, stats, acknowledged: recorder.acknowledged, expected });
      }
    } finally {
      await producer.disconnect();
      await broker.close();
    }
    const table: Table = {
      headers: [
        'contender',
        'samples',
        'p50',
        'p90',
        'p99',
        'p99.9',
        'max',
        'mean',
        'outputs acknowledged',
      ],
      rows: runs.map((r) => [
        r.label,
        fmt.int(r.stats.count),
        fmt.ms(r.stats.p50),
        fmt.ms(r.stats.p90),
        fmt.ms(r.stats.p99),
        fmt.ms(r.stats.p999),
        fmt.ms(r.stats.max),
        fmt.ms(r.stats.mean),
        `${fmt.int(r.acknowledged)} of ${fmt.int(r.expected)}`,
      ]),
    };
    const hand = runs.find((r) => r.label.startsWith('hand'));
    return {
      id: latency.id,
      title: latency.title,
      setup: `${RATE} records/s (a send every ${TICK_MS} ms) for ${seconds} s per contender, ${PARTITIONS} partitions, fresh topics and group each; latencies of records sent in the first ${WARM_UP_MS / 1000} s are dropped (warm-up)`,
      tables: [table],
      verdicts: runs
        .filter((r) => r !== hand && hand !== undefined)
        .map((r) => ({
          label: `${r.label} p99 latency (hand-written ${fmt.ms(hand!.stats.p99)})`,
          value: fmt.ms(r.stats.p99),
          target: '—',
        })),
      notes: [
        'Latency = the moment the output’s acknowledgement reaches the pipeline minus the moment the input was handed to the load producer (a header carries it; one process, one clock). It includes the input’s own produce request, the consumer’s fetch, processing, and the output’s produce request with acks -1.',
        'rx-kstreams runs with library defaults: kafkajs consumer maxWaitTimeInMs 100, producer lingerMs 0 (a batch leaves at the end of the event-loop turn). The hand-written pipeline uses maxWaitTimeInMs 100 too and sends each batch at once.',
      ],
    };
  },
};
