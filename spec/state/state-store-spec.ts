import {
  Application,
  ConfigError,
  InMemoryKafka,
  partitionedRunner,
  process,
  ProcessingError,
  type RunnerFactory,
  Serdes,
  singleThreadedRunner,
  StoreNotLocalError,
  type StoreChange,
  StorePool,
  Stores,
  StreamsBuilder,
} from 'rx-kstreams';
import { recordingLogger } from '../support/recording-logger';
import { startApp } from '../runner/support/run-app';
import { caughtUp, eventually, sleep } from '../runner/support/scripted-topology';
import { countTopology, latestCounts } from './support/count-topology';

const fast = { pollTimeoutMs: 5, commitIntervalMs: 0 };
const WORDS = ['apple', 'pear', 'fig', 'plum', 'kiwi', 'lime', 'date', 'sloe'];

/** `n` words, word i of WORDS every WORDS.length records, keyed by the word. */
const words = (n: number, start = 0): { key: string; value: string }[] =>
  Array.from({ length: n }, (_, i) => {
    const word = WORDS[(start + i) % WORDS.length]!;
    return { key: word, value: word };
  });

/** How often each word occurs in the first `n` records of {@link words}. */
const expectedCounts = (n: number): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const { key } of words(n)) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
};

const kafkaWithWords = (n: number, partitions = 4): InMemoryKafka => {
  const kafka = new InMemoryKafka();
  kafka.createTopic('words', { partitions });
  kafka.createTopic('counted', { partitions });
  kafka.produce('words', words(n));
  return kafka;
};

const RUNNERS: readonly [string, (o: typeof fast) => RunnerFactory][] = [
  ['singleThreadedRunner', (o) => singleThreadedRunner(o)],
  ['partitionedRunner', (o) => partitionedRunner(o)],
];

describe('state stores: declaring them', () => {
  it('should refuse at build() a processor connected to a store that is not declared', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('words')
      .pipe(process(() => ({ process: () => undefined }), { name: 'count', stores: ['counts'] }))
      .to('out');
    expect(() => builder.build()).toThrow(
      /processor count uses state store "counts", which is not declared: add builder.addStateStore\(Stores.keyValueStore\('counts'/,
    );
  });

  it('should refuse a second store of the same name, a name no topic can carry, and missing serdes', () => {
    const builder = new StreamsBuilder();
    const counts = Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.string() });
    builder.addStateStore(counts);
    expect(() => builder.addStateStore(counts)).toThrow(/named "counts" is declared already/);
    expect(() =>
      Stores.keyValueStore('my counts', { key: Serdes.string(), value: Serdes.string() }),
    ).toThrow(ConfigError);
    expect(() => Stores.keyValueStore('counts', { key: Serdes.string() } as never)).toThrow(
      /needs a key and a value serde/,
    );
    expect(() =>
      Stores.keyValueStore('counts', {
        key: Serdes.string(),
        value: Serdes.string(),
        logging: 'yes' as never,
      }),
    ).toThrow(/logging must be true or false/);
  });

  it('should share a store used under sources of two topics between their tasks of one partition', async () => {
    const builder = new StreamsBuilder();
    builder.addStateStore(
      Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.string() }),
    );
    const counter = (): { process: () => void } => ({ process: () => undefined });
    builder
      .stream('a')
      .pipe(process(counter, { stores: ['counts'] }))
      .to('out');
    builder
      .stream('b')
      .pipe(process(counter, { stores: ['counts'] }))
      .to('out');
    builder.stream('c').to('out');
    const topology = builder.build();
    expect(topology.coPartitionedTopics).toEqual([['a', 'b']]);

    const storePool = new StorePool();
    const task = (topic: string, partition: number) =>
      topology.createTask(
        { id: `${topic}:${partition}`, topic, partition },
        { applicationId: 'app', storePool },
      );
    const [a0, b0, a1] = [task('a', 0), task('b', 0), task('a', 1)];
    expect(a0.stores[0]).toBe(b0.stores[0]);
    expect(a1.stores[0]).not.toBe(a0.stores[0]);
    expect(task('c', 0).stores).toEqual([]);
    // Open until the last of its tasks closes; without a pool each task has its own.
    const shared = a0.stores[0]!;
    expect(shared.holders).toBe(2);
    await a0.close();
    expect(shared.holders).toBe(1);
    await b0.close();
    expect(shared.holders).toBe(0);
    const own = topology.createTask(
      { id: 'b:0', topic: 'b', partition: 0 },
      { applicationId: 'app' },
    );
    expect(own.stores[0]).not.toBe(shared);
  });

  it('should show a processor’s stores in describe()', () => {
    expect(countTopology().describe()).toContain(
      'Processor: count (kind: PROCESSOR, stores: [counts])',
    );
  });

  it('should fail a record whose processor asks for a store it is not connected to', async () => {
    const kafka = kafkaWithWords(1);
    const builder = new StreamsBuilder();
    builder.addStateStore(
      Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.string() }),
    );
    builder
      .stream('words', { key: Serdes.string(), value: Serdes.string() })
      .pipe(
        process<string | null, string | null>(
          () => {
            let store: (() => unknown) | undefined;
            return {
              init: (context) => (store = () => context.stateStore('counts')),
              process: () => void store?.(),
            };
          },
          { name: 'sneaky' },
        ),
      )
      .to('counted', { key: Serdes.string(), value: Serdes.string() });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      builder.build(),
      singleThreadedRunner(fast),
    );
    await expect(run.done).rejects.toThrow(ProcessingError);
    await expect(run.done).rejects.toMatchObject({
      cause: {
        message: expect.stringMatching(
          /sneaky asked for state store "counts", which is not connected to it/,
        ),
      },
    });
    expect(kafka.committedOffsets('g')).toEqual({});
  });

  it('should refuse a store write made outside process()', async () => {
    const kafka = kafkaWithWords(1);
    const builder = new StreamsBuilder();
    builder.addStateStore(
      Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.json<number>() }),
    );
    let late: unknown;
    builder
      .stream('words', { key: Serdes.string(), value: Serdes.string() })
      .pipe(
        process<string | null, string | null>(
          () => {
            let write = (): void => undefined;
            return {
              init: (context) => {
                write = () => context.stateStore<string, number>('counts').put('k', 1);
              },
              process: () => {
                setTimeout(() => {
                  try {
                    write();
                  } catch (error) {
                    late = error;
                  }
                }, 0);
              },
            };
          },
          { name: 'late', stores: ['counts'] },
        ),
      )
      .to('counted', { key: Serdes.string(), value: Serdes.string() });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      builder.build(),
      singleThreadedRunner(fast),
    );
    await eventually(() => late !== undefined);
    await run.stop();
    expect(String(late)).toMatch(/store counts was written by late outside process\(\)/);
    expect(kafka.records('g-counts-changelog')).toEqual([]);
  });
});

describe.each(RUNNERS)('state stores on the in-memory Kafka (%s)', (_name, runner) => {
  it('should count exactly and write every change to a compacted changelog with the source’s partitions', async () => {
    const kafka = kafkaWithWords(400);
    const run = startApp(kafka.client({ groupId: 'wc' }), countTopology(), runner(fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'), 5000, 'all words committed');
    await run.stop();

    expect(latestCounts(kafka.records('counted'))).toEqual(expectedCounts(400));
    expect(kafka.partitionCount('wc-counts-changelog')).toBe(4);
    expect(kafka.topicConfig('wc-counts-changelog')).toEqual({ 'cleanup.policy': 'compact' });
    const changelog = kafka.records('wc-counts-changelog');
    expect(changelog).toHaveLength(400);
    expect(latestCounts(changelog)).toEqual(expectedCounts(400));
    // Each key's changes sit in the partition of the input records that made them.
    const inputPartition = new Map(
      kafka.records('words').map((r) => [r.key!.toString(), r.partition]),
    );
    for (const r of changelog) expect(r.partition).toBe(inputPartition.get(r.key!.toString()));
  });

  it('should restore the counts from the changelog on restart, so they continue', async () => {
    const kafka = kafkaWithWords(200);
    const first = startApp(kafka.client({ groupId: 'wc' }), countTopology(), runner(fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    await first.stop();
    kafka.produce('words', words(200, 200));

    const logger = recordingLogger();
    const second = new Application(kafka.client({ groupId: 'wc' }), countTopology());
    const controller = new AbortController();
    const done = second.runWith(controller.signal, runner({ ...fast, logger } as typeof fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    const stats = second.stats();
    controller.abort();
    await done;

    expect(latestCounts(kafka.records('counted'))).toEqual(expectedCounts(400));
    const restored = stats?.partitions.map((p) => p.restore);
    expect(restored).toHaveLength(4);
    expect(restored?.every((r) => r?.done === true)).toBe(true);
    expect(restored?.reduce((n, r) => n + (r?.records ?? 0), 0)).toBe(200);
    const line = logger.entries.filter((e) => e.message === 'restored state stores');
    expect(line).toHaveLength(4);
    expect(line.reduce((n, e) => n + (e.fields as { records: number }).records, 0)).toBe(200);
  });

  it('should let a partition’s state follow it to another instance of the group', async () => {
    const kafka = kafkaWithWords(200);
    const a = startApp(kafka.client({ groupId: 'wc' }), countTopology(), runner(fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    const b = startApp(kafka.client({ groupId: 'wc' }), countTopology(), runner(fast));
    await eventually(
      () =>
        (b.app.stats()?.partitions.length ?? 0) === 2 &&
        (a.app.stats()?.partitions.length ?? 0) === 2,
      5000,
      'the partitions shared',
    );
    kafka.produce('words', words(200, 200));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    const restoredOnB = b.app
      .stats()
      ?.partitions.reduce((n, p) => n + (p.restore?.records ?? 0), 0);
    await Promise.all([a.stop(), b.stop()]);

    expect(restoredOnB).toBeGreaterThan(0);
    expect(latestCounts(kafka.records('counted'))).toEqual(expectedCounts(400));
  });

  it('should not commit a record whose changelog write was refused', async () => {
    const kafka = kafkaWithWords(0, 1);
    kafka.produce('words', words(3));
    kafka.injectProduceErrors(1, { topic: 'wc-counts-changelog' });
    const run = startApp(kafka.client({ groupId: 'wc' }), countTopology(), runner(fast));
    await expect(run.done).rejects.toThrow();
    // The first record's count reached its output topic (the records after it ran on), but its
    // changelog write was refused: nothing of the partition is committed.
    expect(latestCounts(kafka.records('counted'))).toMatchObject({ apple: 1 });
    expect(kafka.records('wc-counts-changelog').map((r) => r.key?.toString())).not.toContain(
      'apple',
    );
    expect(kafka.committedOffsets('wc')).toEqual({});
  });

  it('should answer interactive queries for its own keys and name the partition of the others', async () => {
    const kafka = kafkaWithWords(80);
    const a = startApp(kafka.client({ groupId: 'wc' }), countTopology(), runner(fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    const counts = a.app.store<string, number>('counts');
    expect(counts.get('apple')).toBe(10);
    expect(counts.get('unknown-word')).toBeUndefined();
    expect(counts.approximateNumEntries()).toBe(8);
    expect(Object.fromEntries([...counts.all()].map((e) => [e.key, e.value]))).toEqual(
      expectedCounts(80),
    );

    const b = startApp(kafka.client({ groupId: 'wc' }), countTopology(), runner(fast));
    await eventually(
      () =>
        (a.app.stats()?.partitions.length ?? 0) === 2 &&
        b.app.stats()?.partitions.every((p) => p.restore?.done) === true &&
        (b.app.stats()?.partitions.length ?? 0) === 2,
      5000,
      'the partitions shared and restored',
    );
    const owned = new Set(a.app.stats()!.partitions.map((p) => p.partition));
    const placed = new Map(kafka.records('words').map((r) => [r.key!.toString(), r.partition]));
    for (const word of WORDS) {
      const partition = placed.get(word)!;
      if (owned.has(partition)) expect(a.app.store<string, number>('counts').get(word)).toBe(10);
      else {
        expect(() => a.app.store<string, number>('counts').get(word)).toThrow(StoreNotLocalError);
        expect(() => a.app.store<string, number>('counts').get(word)).toThrow(
          new RegExp(
            `belongs to partition ${partition} of words, which this instance does not own`,
          ),
        );
        expect(b.app.store<string, number>('counts').get(word)).toBe(10);
      }
    }
    await Promise.all([a.stop(), b.stop()]);
    expect(() => a.app.store('counts').get('apple')).toThrow(/the application is not running/);
    expect(() => a.app.store('nope')).toThrow(/no state store named "nope" \(its stores: counts\)/);
  });

  it('should report each change of a store as it is made: app.changes(name)', async () => {
    const kafka = kafkaWithWords(40);
    const app = new Application(kafka.client({ groupId: 'wc' }), countTopology());
    expect(() => app.changes('nope')).toThrow(/no state store named "nope" \(its stores: counts\)/);
    const seen: StoreChange<string, number>[] = [];
    const subscription = app.changes<string, number>('counts').subscribe((c) => seen.push(c));
    const controller = new AbortController();
    const done = app.runWith(controller.signal, runner(fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    controller.abort();
    await done;
    subscription.unsubscribe();

    expect(seen).toHaveLength(40);
    const figs = seen.filter((c) => c.key === 'fig');
    expect(figs.map((c) => [c.oldValue, c.value])).toEqual([
      [undefined, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
    const partition = kafka.records('words').find((r) => String(r.key) === 'fig')?.partition;
    expect(figs.every((c) => c.store === 'counts' && c.partition === partition)).toBe(true);
  });

  it('should keep a store without logging to itself: no changelog, empty again after a restart', async () => {
    const kafka = kafkaWithWords(16);
    const topology = countTopology('words', 'counted', { logging: false });
    const first = startApp(kafka.client({ groupId: 'wc' }), topology, runner(fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    await first.stop();
    kafka.produce('words', words(8));
    const second = startApp(kafka.client({ groupId: 'wc' }), topology, runner(fast));
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    await second.stop();

    expect(kafka.topics()).not.toContain('wc-counts-changelog');
    expect(latestCounts(kafka.records('counted'))).toEqual(expectedCounts(8));
  });
});

describe('state stores: changelog topics and clients', () => {
  it('should refuse a changelog with fewer partitions than the source, before joining the group', async () => {
    const kafka = kafkaWithWords(4);
    kafka.createTopic('wc-counts-changelog', {
      partitions: 1,
      config: { 'cleanup.policy': 'compact' },
    });
    const run = startApp(
      kafka.client({ groupId: 'wc' }),
      countTopology(),
      singleThreadedRunner(fast),
    );
    await expect(run.done).rejects.toThrow(
      /topic wc-counts-changelog has 1 partitions, fewer than the 4 of the source topics/,
    );
    expect(kafka.groupState('wc')).toEqual([]);
  });

  it('should refuse a changelog that is not compacted', async () => {
    const kafka = kafkaWithWords(4);
    kafka.createTopic('wc-counts-changelog', { partitions: 4 });
    const run = startApp(
      kafka.client({ groupId: 'wc' }),
      countTopology(),
      singleThreadedRunner(fast),
    );
    await expect(run.done).rejects.toThrow(
      /has cleanup.policy=delete: a changelog must be compacted/,
    );
  });

  it('should refuse stores with changelogs on a client that cannot read them back', async () => {
    const kafka = kafkaWithWords(4);
    const inner = kafka.client({ groupId: 'wc' });
    const client = {
      groupId: inner.groupId,
      createConsumer: () => inner.createConsumer(),
      createProducer: () => inner.createProducer(),
    };
    const run = startApp(client, countTopology(), singleThreadedRunner(fast));
    await expect(run.done).rejects.toThrow(
      /the state stores counts have changelogs, which this client cannot make or read back/,
    );
    const unlogged = startApp(
      client,
      countTopology('words', 'counted', { logging: false }),
      singleThreadedRunner(fast),
    );
    await eventually(() => caughtUp(kafka, 'wc', 'words'));
    await unlogged.stop();
    expect(latestCounts(kafka.records('counted'))).toEqual(expectedCounts(4));
  });

  it('should refuse an applicationId that is not the client’s group', () => {
    const kafka = new InMemoryKafka();
    expect(
      () =>
        new Application(kafka.client({ groupId: 'wc' }), countTopology(), {
          applicationId: 'other',
        }),
    ).toThrow(/"other" differs from the client's groupId "wc"/);
    const app = new Application(kafka.client({ groupId: 'wc' }), countTopology(), {
      applicationId: 'wc',
    });
    expect(app.applicationId).toBe('wc');
  });

  it('should restore a long changelog before the first record, and continue the count from it', async () => {
    const kafka = kafkaWithWords(0, 1);
    kafka.createTopic('wc-counts-changelog', {
      partitions: 1,
      config: { 'cleanup.policy': 'compact' },
    });
    kafka.produce(
      'wc-counts-changelog',
      Array.from({ length: 20_000 }, (_, i) => ({
        key: `k${i % 100}`,
        value: String(i),
        partition: 0,
      })),
    );
    kafka.produce('words', [{ key: 'k1', value: 'k1' }]);
    const run = startApp(
      kafka.client({ groupId: 'wc' }),
      countTopology(),
      singleThreadedRunner(fast),
    );
    await eventually(() => caughtUp(kafka, 'wc', 'words'), 10_000);
    const stats = run.app.stats();
    await run.stop();
    await sleep(0);
    expect(stats?.partitions[0]?.restore).toEqual({ records: 20_000, done: true });
    // k1's last changelog value was 19901: the count goes on from it.
    expect(latestCounts(kafka.records('counted'))).toEqual({ k1: 19_902 });
  });
});
