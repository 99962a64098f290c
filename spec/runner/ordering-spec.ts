import {
  Action,
  Application,
  ConfigError,
  InMemoryKafka,
  partitionedRunner,
  type PartitionedRunnerOptions,
} from 'rx-kstreams';
import { eventually, scriptedTopology, sleep } from './support/scripted-topology';

/** A small seeded generator (mulberry32), so a failing seed can be run again. */
const random = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

interface Watch {
  /** Per key, the offsets in the order their processing started. */
  readonly started: Map<string, number[]>;
  readonly finished: Set<number>;
  /** Records of each key running now; the most of one key ever seen at once. */
  readonly running: Map<string, number>;
  maxSameKey: number;
  maxRunning: number;
  now: number;
}

const watch = (): Watch => ({
  started: new Map(),
  finished: new Set(),
  running: new Map(),
  maxSameKey: 0,
  maxRunning: 0,
  now: 0,
});

/** One partition of `count` records over `keys` keys (key `k<i % keys>`), and a run of it. */
const keyedRun = (
  count: number,
  keys: number,
  options: PartitionedRunnerOptions,
  work: (offset: number, key: string) => Promise<void>,
) => {
  const kafka = new InMemoryKafka();
  kafka.produce(
    'in',
    Array.from({ length: count }, (_, i) => ({ key: `k${i % keys}`, value: String(i) })),
  );
  const w = watch();
  const topology = scriptedTopology(['in'], async (raw, sink) => {
    const key = raw.key!.toString();
    const offset = Number(raw.offset);
    const list = w.started.get(key) ?? [];
    list.push(offset);
    w.started.set(key, list);
    w.running.set(key, (w.running.get(key) ?? 0) + 1);
    w.now += 1;
    w.maxSameKey = Math.max(w.maxSameKey, w.running.get(key)!);
    w.maxRunning = Math.max(w.maxRunning, w.now);
    try {
      await work(offset, key);
    } finally {
      w.running.set(key, w.running.get(key)! - 1);
      w.now -= 1;
    }
    sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    w.finished.add(offset);
  });
  const app = new Application(kafka.client({ groupId: 'g' }), topology);
  const done = app.runWith(undefined, partitionedRunner({ pollTimeoutMs: 5, ...options }));
  const committed = (): number => Number(kafka.committedOffsets('g')['in']?.[0] ?? '0');
  return { kafka, app, done, w, committed };
};

describe("partitionedRunner ordering: 'key'", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'should keep each key in offset order, never run two records of a key at once, and never commit past an unfinished record (seed %i)',
    async (seed) => {
      const next = random(seed);
      const keys = 1 + Math.floor(next() * 12);
      const run = keyedRun(
        200,
        keys,
        { ordering: 'key', maxConcurrency: 8, commitIntervalMs: 0, channelBufferSize: 50 },
        () => sleep(Math.floor(next() * 4)),
      );
      // The committed offset is read all along: each time, everything below it is finished.
      let checks = 0;
      const sampler = setInterval(() => {
        const upTo = run.committed();
        for (let o = 0; o < upTo; o += 1) expect(run.w.finished.has(o)).toBe(true);
        checks += 1;
      }, 2);
      try {
        await eventually(() => run.committed() === 200, 10_000, 'every record committed');
      } finally {
        clearInterval(sampler);
      }
      run.app.close();
      await run.done;
      expect(checks).toBeGreaterThan(0);
      for (const [, offsets] of run.w.started) {
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      }
      expect(run.w.maxSameKey).toBe(1);
      expect(run.w.maxRunning).toBeLessThanOrEqual(Math.min(8, keys));
      if (keys > 1) expect(run.w.maxRunning).toBeGreaterThan(1);
      expect(run.kafka.records('out')).toHaveLength(200);
    },
  );

  it('should run different keys at once: 40 keys of 20 ms each take about one round, not forty', async () => {
    const started: number[] = [];
    const run = keyedRun(40, 40, { ordering: 'key', maxConcurrency: 40 }, async () => {
      started.push(Date.now());
      await sleep(20);
    });
    await eventually(() => run.w.finished.size === 40);
    run.app.close();
    await run.done;
    // Every record began before the first one finished.
    expect(run.w.maxRunning).toBe(40);
  });

  it('should let a failing key retry without holding back the other keys', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', [
      { key: 'bad', value: 'b0' },
      ...Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 4}`, value: String(i) })),
      { key: 'bad', value: 'b1' },
    ]);
    let failures = 0;
    const done: string[] = [];
    const topology = scriptedTopology(['in'], (raw, sink) => {
      if (raw.value!.toString() === 'b0' && failures < 5) {
        failures += 1;
        throw new Error('not yet');
      }
      done.push(raw.value!.toString());
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const app = new Application(kafka.client({ groupId: 'g' }), topology);
    const running = app.runWith(
      undefined,
      partitionedRunner({
        pollTimeoutMs: 5,
        commitIntervalMs: 0,
        ordering: 'key',
        maxConcurrency: 8,
        errorHandler: () => Action.retry(40),
      }),
    );
    await eventually(() => done.length === 22, 5000);
    app.close();
    await running;
    // The other keys were all done while `bad` still waited out its retries; its own two kept order.
    expect(done.indexOf('b0')).toBeGreaterThanOrEqual(20);
    expect(done.filter((v) => v.startsWith('b'))).toEqual(['b0', 'b1']);
    expect(failures).toBe(5);
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '22' } });
  });

  it('should not starve a key behind keys that stay busy: it gets a slot in turn', async () => {
    const kafka = new InMemoryKafka();
    // a and b always have a record queued; c has one record, third in the partition.
    kafka.produce('in', [
      { key: 'a', value: 'a0' },
      { key: 'b', value: 'b0' },
      { key: 'c', value: 'c0' },
      ...Array.from({ length: 30 }, (_, i) => ({
        key: i % 2 === 0 ? 'a' : 'b',
        value: `${i % 2 === 0 ? 'a' : 'b'}${1 + Math.floor(i / 2)}`,
      })),
    ]);
    const done: string[] = [];
    const topology = scriptedTopology(['in'], async (raw) => {
      await sleep(3);
      done.push(raw.value!.toString());
    });
    const app = new Application(kafka.client({ groupId: 'g' }), topology);
    const running = app.runWith(
      undefined,
      partitionedRunner({ pollTimeoutMs: 5, ordering: 'key', maxConcurrency: 2 }),
    );
    await eventually(() => done.length === 33, 5000, 'every record done');
    app.close();
    await running;
    // c0 ran right after the first two: the busy keys did not keep both slots.
    expect(done.indexOf('c0')).toBeLessThan(4);
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '33' } });
  });

  it('should hold at most channelBufferSize records of a partition and pause it when full', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const run = keyedRun(
      300,
      300,
      { ordering: 'key', maxConcurrency: 100, channelBufferSize: 10 },
      () => gate,
    );
    await eventually(() => run.app.stats()?.partitions[0]?.paused === true);
    const partition = run.app.stats()!.partitions[0]!;
    expect(partition.queueDepth).toBe(10);
    expect(run.w.maxRunning).toBe(10);
    release();
    await eventually(() => run.w.finished.size === 300, 10_000);
    run.app.close();
    await run.done;
    expect(run.w.maxRunning).toBeLessThanOrEqual(10);
  });

  it('should lose nothing when a second instance joins mid-flight and takes partitions', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 4 });
    const total = 400;
    kafka.produce(
      'in',
      Array.from({ length: total }, (_, i) => ({ key: `k${i % 25}`, value: String(i) })),
    );
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      await sleep(Number(raw.offset) % 3);
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const options = { pollTimeoutMs: 5, ordering: 'key' as const, maxConcurrency: 10 };
    const first = new Application(kafka.client({ groupId: 'g' }), topology);
    const firstDone = first.runWith(undefined, partitionedRunner(options));
    await eventually(() => kafka.records('out').length > 50);
    const second = new Application(kafka.client({ groupId: 'g' }), topology);
    const secondDone = second.runWith(undefined, partitionedRunner(options));
    await eventually(
      () => new Set(kafka.records('out').map((r) => r.value!.toString())).size === total,
      15_000,
      'every input in the output',
    );
    first.close();
    second.close();
    await Promise.all([firstDone, secondDone]);
    // Per key, the first time each value came out follows the input order.
    const firstSeen = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const r of kafka.records('out')) {
      const value = r.value!.toString();
      if (seen.has(value)) continue;
      seen.add(value);
      const key = r.key!.toString();
      firstSeen.set(key, [...(firstSeen.get(key) ?? []), Number(value)]);
    }
    for (const [, values] of firstSeen) expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});

describe("partitionedRunner ordering: 'unordered'", () => {
  it('should run up to maxConcurrency records of one key at once, and commit only finished prefixes', async () => {
    const run = keyedRun(
      60,
      1,
      { ordering: 'unordered', maxConcurrency: 6, commitIntervalMs: 0 },
      (offset) => sleep(offset % 2 === 0 ? 5 : 1),
    );
    await eventually(() => run.committed() === 60, 10_000);
    run.app.close();
    await run.done;
    expect(run.w.maxRunning).toBe(6);
    expect(run.w.maxSameKey).toBe(6);
  });
});

describe('partitionedRunner ordering options', () => {
  it.each([
    [{ ordering: 'keys' }, /ordering.*'partition', 'key' or 'unordered', got a string "keys"/],
    [{ ordering: 'key', maxConcurrency: 0 }, /maxConcurrency.*>= 1/],
    [{ ordering: 'key', maxConcurrency: '8' }, /maxConcurrency.*got a string "8"/],
    [{ maxConcurrency: 8 }, /maxConcurrency: applies to ordering 'key' or 'unordered'/],
  ])('should refuse %j when the runner is built', (options, message) => {
    expect(() => partitionedRunner(options as never)).toThrow(ConfigError);
    expect(() => partitionedRunner(options as never)).toThrow(message);
  });
});
