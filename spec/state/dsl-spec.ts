import { filter, lastValueFrom, map, take, toArray } from 'rxjs';
import {
  Application,
  InMemoryKafka,
  KTable,
  partitionedRunner,
  type RunnerFactory,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  TopologyError,
} from 'rx-kstreams';
import { testTopology } from 'rx-kstreams/marbles';
import { startApp } from '../runner/support/run-app';
import { caughtUp, eventually } from '../runner/support/scripted-topology';
import { latestCounts } from './support/count-topology';

const fast = { pollTimeoutMs: 5, commitIntervalMs: 0 };
const strings = { key: Serdes.string(), value: Serdes.string() };

/** Words in, per word its count (a table) and its updates out. */
const wordCount = (): { builder: StreamsBuilder; counts: KTable<string | null, number> } => {
  const builder = new StreamsBuilder();
  const counts = builder
    .stream('words', strings)
    .groupByKey({ key: Serdes.string() })
    .count({ store: 'counts' });
  counts.toStream().to('counted', { key: Serdes.string(), value: Serdes.json<number>() });
  return { builder, counts };
};

const RUNNERS: readonly [string, RunnerFactory][] = [
  ['singleThreadedRunner', singleThreadedRunner(fast)],
  ['partitionedRunner', partitionedRunner(fast)],
];

describe('the aggregation DSL', () => {
  it('should count per key, skipping null keys and values, as a table kept in its store', () => {
    const { builder, counts } = wordCount();
    expect(counts.storeName).toBe('counts');
    testTopology(builder.build(), ({ input, expectOutput }) => {
      input('words', '-a-b-n-v-c|', {
        a: { key: 'fig', value: 'fig' },
        b: { key: 'kiwi', value: 'kiwi' },
        n: { key: null, value: 'nobody' },
        v: { key: 'fig', value: null },
        c: { key: 'fig', value: 'fig' },
      });
      expectOutput(
        'counted',
        '-x-y-----z|',
        { x: { key: 'fig', value: 1 }, y: { key: 'kiwi', value: 1 }, z: { key: 'fig', value: 2 } },
        { key: Serdes.string(), value: Serdes.json<number>() },
      );
    });
  });

  it('should reduce and aggregate per key', () => {
    const builder = new StreamsBuilder();
    const grouped = builder
      .stream('amounts', { key: Serdes.string(), value: Serdes.json<number>() })
      .groupByKey({ key: Serdes.string() });
    grouped
      .reduce((sum, n) => (sum ?? 0) + (n ?? 0), { store: 'sums', value: Serdes.json<number>() })
      .toStream()
      .to('sums', { key: Serdes.string(), value: Serdes.json<number>() });
    grouped
      .aggregate(
        () => ({ n: 0, max: -Infinity }),
        (_key, value, agg) => ({ n: agg.n + 1, max: Math.max(agg.max, value ?? 0) }),
        { store: 'stats', value: Serdes.json<{ n: number; max: number }>() },
      )
      .toStream()
      .to('stats', { key: Serdes.string(), value: Serdes.json<{ n: number; max: number }>() });
    const json = { key: Serdes.string(), value: Serdes.json<unknown>() };
    testTopology(builder.build(), ({ input, expectOutput }) => {
      input('amounts', '-a-b-c|', {
        a: { key: 'x', value: '5' },
        b: { key: 'x', value: '7' },
        c: { key: 'y', value: '2' },
      });
      expectOutput(
        'sums',
        '-p-q-r|',
        { p: { key: 'x', value: 5 }, q: { key: 'x', value: 12 }, r: { key: 'y', value: 2 } },
        json,
      );
      expectOutput(
        'stats',
        '-p-q-r|',
        {
          p: { key: 'x', value: { n: 1, max: 5 } },
          q: { key: 'x', value: { n: 2, max: 7 } },
          r: { key: 'y', value: { n: 1, max: 2 } },
        },
        json,
      );
    });
  });

  it('should filter and map a table: a key that stops matching is deleted downstream', () => {
    const { builder, counts } = wordCount();
    counts
      .filter((_word, n) => n % 2 === 0)
      .mapValues((n) => `even ${n}`)
      .toStream()
      .to('evens', { key: Serdes.string(), value: Serdes.string() });
    testTopology(builder.build(), ({ input, expectOutput }) => {
      input('words', '-a-b-c|', {
        a: { key: 'fig', value: 'fig' },
        b: { key: 'fig', value: 'fig' },
        c: { key: 'fig', value: 'fig' },
      });
      expectOutput('evens', '-x-y-z|', {
        x: { key: 'fig', value: null },
        y: { key: 'fig', value: 'even 2' },
        z: { key: 'fig', value: null },
      });
    });
  });

  it('should read a topic as a table: tombstones delete, keyless records are skipped', () => {
    const builder = new StreamsBuilder();
    const prices = builder.table('prices', { key: Serdes.string(), value: Serdes.json<number>() });
    expect(prices.storeName).toBe('prices-table');
    prices.toStream().to('price-updates', { key: Serdes.string(), value: Serdes.json<number>() });
    const topology = builder.build();
    expect(topology.describe()).toContain('(kind: TABLE, stores: [prices-table])');
    testTopology(topology, ({ input, expectOutput }) => {
      input('prices', '-a-n-t|', {
        a: { key: 'fig', value: '3' },
        n: { key: null, value: '9' },
        t: { key: 'fig', value: null },
      });
      expectOutput('price-updates', '-x---y|', {
        x: { key: 'fig', value: '3' },
        y: { key: 'fig', value: null },
      });
      expectOutput('test-prices-table-changelog', '-x---y|', {
        x: { key: 'fig', value: '3' },
        y: { key: 'fig', value: null },
      });
    });
  });

  it('should ask for what an aggregation cannot do without: a store, the key serde, the value serde', () => {
    const builder = new StreamsBuilder();
    const words = builder.stream('words', strings);
    expect(() => words.groupByKey().count({ store: 'counts' })).toThrow(
      /needs the key's serde: groupByKey\(\{ key: Serdes.string\(\) \}\)/,
    );
    expect(() => words.groupByKey({ key: Serdes.string() }).count({} as never)).toThrow(
      TopologyError,
    );
    expect(() =>
      words.groupByKey({ key: Serdes.string() }).reduce((a) => a, { store: 'r' } as never),
    ).toThrow(/needs the aggregate's serde/);
    words.groupByKey({ key: Serdes.string() }).count({ store: 'counts' });
    expect(() => words.groupByKey({ key: Serdes.string() }).count({ store: 'counts' })).toThrow(
      /a state store named "counts" is declared already/,
    );
    expect(() => builder.table('prices', {} as never)).toThrow(
      /needs the key's and the value's serdes/,
    );
  });

  it.each(RUNNERS)(
    'should count exactly through %s, restore on restart and answer queries',
    async (_name, runner) => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('words', { partitions: 3 });
      const produce = (n: number): void => {
        kafka.produce(
          'words',
          Array.from({ length: n }, (_, i) => ({ key: `w${i % 6}`, value: 'x' })),
        );
      };
      produce(60);
      const first = startApp(kafka.client({ groupId: 'dsl' }), wordCount().builder.build(), runner);
      await eventually(() => caughtUp(kafka, 'dsl', 'words'));
      expect(first.app.store<string, number>('counts').get('w1')).toBe(10);
      await first.stop();
      produce(60);
      const second = startApp(
        kafka.client({ groupId: 'dsl' }),
        wordCount().builder.build(),
        runner,
      );
      await eventually(() => caughtUp(kafka, 'dsl', 'words'));
      expect(second.app.store<string, number>('counts').get('w1')).toBe(20);
      await second.stop();
      expect(latestCounts(kafka.records('counted'))).toEqual({
        w0: 20,
        w1: 20,
        w2: 20,
        w3: 20,
        w4: 20,
        w5: 20,
      });
    },
  );

  it('should wait for an asynchronous aggregator before the next record of the partition', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('amounts', { partitions: 1 });
    kafka.produce(
      'amounts',
      [1, 2, 3, 4].map((n) => ({ key: 'k', value: String(n) })),
    );
    const builder = new StreamsBuilder();
    builder
      .stream('amounts', { key: Serdes.string(), value: Serdes.json<number>() })
      .groupByKey({ key: Serdes.string() })
      .aggregate(
        () => [] as number[],
        async (_key, value, seen) => {
          await new Promise((resolve) => setTimeout(resolve, 5 - (value ?? 0)));
          return [...seen, value ?? 0];
        },
        { store: 'seen', value: Serdes.json<number[]>() },
      )
      .toStream()
      .to('seen', { key: Serdes.string(), value: Serdes.json<number[]>() });
    const run = startApp(
      kafka.client({ groupId: 'async' }),
      builder.build(),
      partitionedRunner(fast),
    );
    await eventually(() => caughtUp(kafka, 'async', 'amounts'));
    await run.stop();
    expect(kafka.records('seen').map((r) => r.value?.toString())).toEqual([
      '[1]',
      '[1,2]',
      '[1,2,3]',
      '[1,2,3,4]',
    ]);
  });

  it('should report a table’s updates and deletes as an Observable of changes', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('prices', { partitions: 2 });
    kafka.produce('prices', [
      { key: 'pen', value: '2' },
      { key: 'ink', value: '7' },
      { key: 'pen', value: '3' },
      { key: 'pen', value: null },
    ]);
    const builder = new StreamsBuilder();
    builder.table('prices', { key: Serdes.string(), value: Serdes.json<number>() });
    const app = new Application(kafka.client({ groupId: 'tables' }), builder.build());
    const pens = lastValueFrom(
      app.changes<string, number>('prices-table').pipe(
        filter((c) => c.key === 'pen'),
        map((c) => [c.oldValue, c.value]),
        take(3),
        toArray(),
      ),
    );
    const controller = new AbortController();
    const done = app.runWith(controller.signal, singleThreadedRunner(fast));
    const changes = await pens;
    controller.abort();
    await done;
    expect(changes).toEqual([
      [undefined, 2],
      [2, 3],
      [3, null],
    ]);
  });
});
