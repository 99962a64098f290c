import { Application, InMemoryKafka } from '../lib/index';
import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { fmt } from './harness/format';
import { loadOrders, recordCount } from './harness/in-memory-load';
import { makeOrders, type OrderData, pricedRecord } from './harness/orders';
import {
  pricingTopology,
  RUNNER_LABELS,
  runnerFactory,
  type RunnerId,
} from './harness/pricing-topology';
import { inputsDone, untilOutputs } from './harness/until-outputs';
import { throughputTable } from './harness/throughput-table';
import { alternate, type Contender, summarize, type Trial } from './harness/trial';
import { ratioVerdict } from './harness/verdict';

/** The hot path's input and output topics. */
export const INPUT = 'orders';
export const OUTPUT = 'orders.priced';
const PARTITIONS = 8;
const POLL_RECORDS = 500;

/** A fresh in-memory Kafka holding the input, and an empty output topic. */
export const loadedKafka = (data: OrderData): InMemoryKafka => {
  const kafka = new InMemoryKafka({ autoCreateTopics: false });
  kafka.createTopic(INPUT, { partitions: PARTITIONS });
  kafka.createTopic(OUTPUT, { partitions: PARTITIONS });
  loadOrders(kafka, INPUT, data);
  return kafka;
};

/**
 * The loop rx-kstreams replaces, on the same client port: poll 500, then per record
 * deserialize key and value, filter, map, serialize, send; await the batch's
 * acknowledgements; commit the batch's offsets; poll again.
 */
const handWrittenLoop = (data: OrderData, capMs: number): Contender => ({
  id: 'hand',
  label: 'hand-written loop',
  prepare: async (): Promise<Trial> => {
    const kafka = loadedKafka(data);
    const client = kafka.client({ groupId: 'hand' });
    return {
      run: async () => {
        const consumer = client.createConsumer();
        const producer = client.createProducer();
        await Promise.all([consumer.connect(), producer.connect()]);
        await consumer.subscribe([INPUT], {
          onAssigned: () => undefined,
          onRevoked: () => undefined,
        });
        let consumed = 0;
        const deadline = performance.now() + capMs;
        while (consumed < data.count && performance.now() < deadline) {
          const batch = await consumer.poll({ maxRecords: POLL_RECORDS, timeoutMs: 1000 });
          const acks: Promise<unknown>[] = [];
          const next = new Map<number, number>();
          for (const record of batch) {
            const out = pricedRecord(record, OUTPUT);
            if (out !== undefined) acks.push(producer.send(out));
            next.set(record.partition, Number(record.offset) + 1);
          }
          await Promise.all(acks);
          await consumer.commit(
            [...next].map(([partition, offset]) => ({
              topic: INPUT,
              partition,
              offset: String(offset),
            })),
          );
          consumed += batch.length;
        }
        await producer.close();
        await consumer.close();
        const capped = consumed < data.count;
        const written = recordCount(kafka, OUTPUT);
        if (!capped && written !== data.kept) {
          throw new Error(`hand-written loop wrote ${written}, expected ${data.kept}`);
        }
        return { records: consumed, extra: { capped: capped ? 'yes' : 'no' } };
      },
    };
  },
});

/** A runner on a fresh in-memory Kafka: runs until every output is written, then closes. */
const runnerContender = (id: RunnerId, data: OrderData, capMs: number): Contender => ({
  id,
  label: RUNNER_LABELS[id],
  prepare: async (): Promise<Trial> => {
    const kafka = loadedKafka(data);
    const app = new Application(kafka.client({ groupId: id }), pricingTopology(INPUT, OUTPUT));
    return {
      run: async (stopClock) => {
        const running = app.runWith(undefined, runnerFactory(id));
        let failed: unknown;
        running.catch((error: unknown) => (failed = error ?? new Error('run failed')));
        const reached = await untilOutputs(
          () => recordCount(kafka, OUTPUT),
          data.kept,
          capMs,
          5,
          () => failed,
        );
        if (reached.capped) stopClock();
        app.close();
        await running;
        const lag = kafka.lag(id);
        if (!reached.capped && lag !== 0) {
          throw new Error(`${id}: ${lag} records left uncommitted after shutdown`);
        }
        return {
          records: inputsDone(reached, data.count, data.kept),
          extra: { capped: reached.capped ? 'yes' : 'no' },
        };
      },
    };
  },
});

/** Benchmark 1: the in-memory hot path against the hand-written loop. */
export const hotPath: Benchmark = {
  id: 'hot-path',
  title: '1. In-memory hot path: source → filter → mapValues → to',
  needsBroker: false,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(1_000_000, 1000);
    ctx.log(`  generating ${fmt.int(count)} orders ...`);
    const data = makeOrders(count);
    const contenders = ctx.select([
      handWrittenLoop(data, ctx.runCapMs),
      runnerContender('single', data, ctx.runCapMs),
      runnerContender('partitioned', data, ctx.runCapMs),
    ]);
    // A short warm-up of each, so the first measured round is not the one paying for JIT.
    const warm = makeOrders(Math.min(count, 20_000));
    for (const c of ctx.select([
      handWrittenLoop(warm, ctx.runCapMs),
      runnerContender('single', warm, ctx.runCapMs),
      runnerContender('partitioned', warm, ctx.runCapMs),
    ])) {
      await (await c.prepare()).run(() => undefined);
    }
    const rounds = ctx.rounds(1);
    const summaries = summarize(await alternate(contenders, rounds, ctx.log));
    const hand = summaries.find((s) => s.id === 'hand');
    const verdicts = summaries
      .filter((s) => s.id !== 'hand' && hand !== undefined)
      .map((s) =>
        ratioVerdict(
          `${s.label} / hand-written`,
          s.medianRate,
          hand!.medianRate,
          s.id === 'single' ? 0.6 : 0.55,
        ),
      );
    return {
      id: hotPath.id,
      title: hotPath.title,
      setup: `${fmt.int(count)} JSON records (mean ${data.meanBytes.toFixed(0)} bytes), ${PARTITIONS} partitions, ${fmt.int(data.kept)} outputs; maxPollRecords ${POLL_RECORDS}; runners with default options; ${rounds} round(s), the order rotating each round, after a ${fmt.int(warm.count)}-record warm-up; each run capped at ${ctx.runCapMs / 1000} s`,
      tables: [throughputTable(summaries, hand)],
      verdicts,
      notes: [
        'Each run gets a fresh InMemoryKafka holding the input (loaded outside the timer). The clock runs from connect to the last output appended (runners: then shutdown, which acknowledges and commits; hand-written: every batch acknowledged and committed).',
        'A run that reaches the time cap stops there; its rate is over the input records it finished (estimated from its outputs: the filter keeps the same share of every stretch of input).',
        'The hand-written loop uses the same client port (InMemoryConsumer.poll, InMemoryProducer.send, commit per batch) and the same serialization as the topology (string key, JSON value, headers and timestamp carried over).',
      ],
    };
  },
};
