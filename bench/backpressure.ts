import {
  Application,
  InMemoryKafka,
  partitionedRunner,
  type RunnerStats,
  Serdes,
  StreamsBuilder,
  type Topology,
} from '../lib/index';
import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { fmt } from './harness/format';
import { collectGarbage } from './harness/gc';
import { loadOrders } from './harness/in-memory-load';
import { MemorySampler } from './harness/memory-sampler';
import { makeOrders, type Order, type OrderData } from './harness/orders';
import { sleep } from './harness/sleep';
import type { Table } from './harness/table';
import { boundVerdict, type Verdict } from './harness/verdict';

const INPUT = 'orders';
const PARTITIONS = 8;
const BUFFER = 100;
const POLL = 500;
const SLOW_MS = 2;
/** Allowance per record the runner holds: raw bytes and objects, decoded value, bookkeeping. */
const PER_RECORD_KIB = 2;
/** Allowance for garbage V8 has not collected yet (young generation: 3 × 16 MiB semi-space). */
const SLACK_MIB = 48;

/** source → forEach(await a slow write): no output, so nothing but the runner grows. */
const slowTopology = (onDone: () => void): Topology => {
  const builder = new StreamsBuilder();
  builder.stream(INPUT, { key: Serdes.string(), value: Serdes.json<Order>() }).forEach(async () => {
    await sleep(SLOW_MS);
    onDone();
  });
  return builder.build();
};

interface Observed {
  readonly label: string;
  readonly processed: number;
  readonly seconds: number;
  readonly heapBaseMB: number;
  readonly heapGrowthMB: number;
  readonly rssGrowthMB: number;
  /** Most records the runner held at once (buffers + pending, all partitions). */
  readonly maxHeld: number;
  readonly maxDepth: number;
  readonly maxPending: number;
  readonly maxPaused: number;
  readonly snapshot: string;
}

const held = (s: RunnerStats): number =>
  s.partitions.reduce((n, p) => n + p.queueDepth + p.pending, 0);

/** Runs the slow topology over the backlog for `seconds`, sampling stats and memory. */
const observe = async (
  label: string,
  data: OrderData,
  channelBufferSize: number,
  seconds: number,
): Promise<Observed> => {
  const kafka = new InMemoryKafka({ autoCreateTopics: false });
  kafka.createTopic(INPUT, { partitions: PARTITIONS });
  loadOrders(kafka, INPUT, data);
  let processed = 0;
  const app = new Application(
    kafka.client({ groupId: 'slow' }),
    slowTopology(() => (processed += 1)),
  );
  collectGarbage();
  const sampler = new MemorySampler(20);
  let maxHeld = 0;
  let maxDepth = 0;
  let maxPending = 0;
  let maxPaused = 0;
  let snapshot = '';
  const watch = setInterval(() => {
    const stats = app.stats();
    if (stats === undefined) return;
    const h = held(stats);
    const paused = stats.partitions.filter((p) => p.paused).length;
    for (const p of stats.partitions) {
      maxDepth = Math.max(maxDepth, p.queueDepth);
      maxPending = Math.max(maxPending, p.pending);
    }
    if (paused > maxPaused || (paused === maxPaused && h > maxHeld)) {
      snapshot = stats.partitions
        .map((p) => `p${p.partition} ${p.queueDepth}/${p.pending}${p.paused ? ' paused' : ''}`)
        .join(', ');
    }
    maxPaused = Math.max(maxPaused, paused);
    maxHeld = Math.max(maxHeld, h);
  }, 20);
  const started = performance.now();
  const running = app.runWith(
    undefined,
    partitionedRunner({ channelBufferSize, maxPollRecords: POLL }),
  );
  await sleep(seconds * 1000);
  const memory = sampler.stop();
  clearInterval(watch);
  const elapsed = (performance.now() - started) / 1000;
  const processedInTime = processed;
  app.close();
  await running;
  return {
    label,
    processed: processedInTime,
    seconds: elapsed,
    heapBaseMB: memory.heapBaseMB,
    heapGrowthMB: memory.heapPeakMB - memory.heapBaseMB,
    rssGrowthMB: memory.rssPeakMB - memory.rssBaseMB,
    maxHeld,
    maxDepth,
    maxPending,
    maxPaused,
    snapshot,
  };
};

/** Benchmark 4: a backlog, a slow processor, and a bounded buffer. */
export const backpressure: Benchmark = {
  id: 'backpressure',
  title: '4. Backpressure: a 500k-record backlog behind a slow processor',
  needsBroker: false,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(500_000, 20_000);
    const seconds = Math.max(3, 10 * ctx.scale);
    const data = makeOrders(count);
    const heldBound = PARTITIONS * (BUFFER + POLL);
    const heapBound = (heldBound * PER_RECORD_KIB) / 1024 + SLACK_MIB;
    ctx.log(`  bounded: partitionedRunner({ channelBufferSize: ${BUFFER} }) for ${seconds} s ...`);
    const bounded = await observe(
      `partitionedRunner, channelBufferSize ${BUFFER}`,
      data,
      BUFFER,
      seconds,
    );
    ctx.log(
      `  reference: channelBufferSize ${fmt.int(count)} (no backpressure) for ${seconds} s ...`,
    );
    const unbounded = await observe(
      `reference: channelBufferSize ${fmt.int(count)} (never full)`,
      data,
      count,
      seconds,
    );
    const table: Table = {
      headers: [
        'run',
        'processed',
        'most records held',
        'max buffer / partition',
        'max pending / partition',
        'max paused partitions',
        'heap growth',
        'RSS growth',
      ],
      rows: [bounded, unbounded].map((o) => [
        o.label,
        `${fmt.int(o.processed)} in ${o.seconds.toFixed(1)} s`,
        fmt.int(o.maxHeld),
        fmt.int(o.maxDepth),
        fmt.int(o.maxPending),
        `${o.maxPaused} of ${PARTITIONS}`,
        fmt.mb(o.heapGrowthMB),
        fmt.mb(o.rssGrowthMB),
      ]),
    };
    const verdicts: Verdict[] = [
      boundVerdict('backpressure: records held', bounded.maxHeld, heldBound, fmt.int),
      boundVerdict('backpressure: heap growth', bounded.heapGrowthMB, heapBound, fmt.mb),
      boundVerdict('backpressure: RSS growth', bounded.rssGrowthMB, heapBound, fmt.mb),
      {
        label: 'backpressure: paused partitions in app.stats()',
        value: `${bounded.maxPaused} of ${PARTITIONS}`,
        target: '≥ 1',
        pass: bounded.maxPaused >= 1,
      },
    ];
    return {
      id: backpressure.id,
      title: backpressure.title,
      setup: `${fmt.int(count)} records (mean ${data.meanBytes.toFixed(0)} bytes) waiting on ${PARTITIONS} partitions of the in-memory Kafka; forEach awaits ${SLOW_MS} ms per record; maxPollRecords ${POLL}; each run lasts ${seconds} s, stats and memory sampled every 20 ms; growth is over the baseline after the backlog is loaded and a GC`,
      tables: [table],
      verdicts,
      notes: [
        `Bound on records held: P × (B + M) = ${PARTITIONS} × (${BUFFER} + ${POLL}) = ${fmt.int(heldBound)}, with P partitions, B = channelBufferSize, M = maxPollRecords: a partition holds at most B records in its buffer and, once a poll overfills it, at most that poll's M records pending while it is paused (a paused partition is not fetched).`,
        `Bound on memory growth: P × (B + M) × ${PER_RECORD_KIB} KiB + ${SLACK_MIB} MiB = ${fmt.mb(heapBound)}. ${PER_RECORD_KIB} KiB per held record covers its bytes and objects, its decoded value and its bookkeeping (on the in-memory Kafka the raw record is shared with the log, so the allowance is generous); ${SLACK_MIB} MiB is garbage V8 has not collected yet (the young generation is 3 × 16 MiB semi-spaces on 64-bit Node).`,
        `Snapshot of app.stats() at the most paused partitions (partition buffer/pending): ${bounded.snapshot || 'none'}.`,
        'The reference run has the same backlog and processor with a buffer that never fills: nothing is paused, the runner takes in the whole backlog, and memory grows with it.',
      ],
    };
  },
};
