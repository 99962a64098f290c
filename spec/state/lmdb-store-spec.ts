import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Application,
  InMemoryKafka,
  partitionedRunner,
  Serdes,
  Stores,
  StreamsBuilder,
} from 'rx-kstreams';
import { LmdbBytesStore } from '../../lib/state/lmdb-bytes-store';
import { caughtUp, eventually } from '../runner/support/scripted-topology';
import { latestCounts } from './support/count-topology';

const b = (text: string): Buffer => Buffer.from(text);
const keys = (entries: Iterable<[Buffer, Buffer]>): string[] =>
  [...entries].map(([k]) => k.toString());

describe('the LMDB store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxk-lmdb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should read its writes back at once, before LMDB commits them, in ranges too', async () => {
    const store = new LmdbBytesStore(join(dir, 's'));
    await store.open();
    store.put(b('b'), b('2'));
    store.put(b('a'), b('1'));
    expect(store.get(b('a'))).toEqual(b('1'));
    expect(keys(store.range(undefined, undefined))).toEqual(['a', 'b']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    store.put(b('c'), b('3'));
    store.delete(b('a'));
    expect(store.get(b('a'))).toBeUndefined();
    expect(keys(store.range(b('a'), b('b')))).toEqual(['b']);
    expect(keys(store.range(undefined, undefined))).toEqual(['b', 'c']);
    expect(store.count()).toBe(2);
    await store.close();
  });

  it('should keep its entries and its checkpoint across a close, and forget both when cleared', async () => {
    const path = join(dir, 's');
    const first = new LmdbBytesStore(path);
    await first.open();
    first.put(b('k'), b('v'));
    await first.setCheckpoint('42');
    await first.close();

    const second = new LmdbBytesStore(path);
    await second.open();
    expect(second.get(b('k'))).toEqual(b('v'));
    expect(second.checkpoint()).toBe('42');
    second.clear();
    expect(second.get(b('k'))).toBeUndefined();
    expect(second.checkpoint()).toBeUndefined();
    await second.close();
  });

  it('should hold in memory only the writes LMDB has not committed yet', async () => {
    const store = new LmdbBytesStore(join(dir, 's'));
    await store.open();
    for (let i = 0; i < 50_000; i += 1) store.put(b(`key-${i}`), b(`value-${i}`));
    expect(store.unflushed).toBeGreaterThan(0);
    await store.flushed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.unflushed).toBe(0);
    expect(store.count()).toBe(50_000);
    expect(store.get(b('key-49999'))).toEqual(b('value-49999'));
    await store.close();
  });

  it('should refuse a supplier without a stateDir', () => {
    expect(() => Stores.lmdb({} as never)).toThrow(/needs a stateDir/);
  });

  it('should restore only what the changelog gained after its checkpoint on a restart', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('words', { partitions: 2 });
    kafka.produce(
      'words',
      ['fig', 'kiwi', 'fig', 'lime'].map((w) => ({ key: w, value: w })),
    );
    const topology = () => {
      const builder = new StreamsBuilder();
      builder
        .stream('words', { key: Serdes.string(), value: Serdes.string() })
        .groupByKey({ key: Serdes.string() })
        .count({ store: 'counts', supplier: Stores.lmdb({ stateDir: dir }) })
        .toStream()
        .to('counted', { key: Serdes.string(), value: Serdes.json<number>() });
      return builder.build();
    };
    const run = async (): Promise<{ restored: number }> => {
      const app = new Application(kafka.client({ groupId: 'wc' }), topology());
      const stop = new AbortController();
      const done = app.runWith(
        stop.signal,
        partitionedRunner({ pollTimeoutMs: 5, commitIntervalMs: 0 }),
      );
      await eventually(
        () => caughtUp(kafka, 'wc', 'words') && (app.stats()?.partitions.length ?? 0) === 2,
      );
      const restored = app.stats()!.partitions.reduce((n, p) => n + (p.restore?.records ?? 0), 0);
      stop.abort();
      await done;
      return { restored };
    };

    expect(await run()).toEqual({ restored: 0 });
    const changelog = kafka.records('wc-counts-changelog');
    expect(changelog).toHaveLength(4);
    // Another writer's update reaches the changelog while the application is down.
    const figPartition = changelog.find((r) => r.key?.toString() === 'fig')!.partition;
    kafka.produce('wc-counts-changelog', [{ key: 'fig', value: '10', partition: figPartition }]);
    kafka.produce('words', [{ key: 'fig', value: 'fig' }]);

    expect(await run()).toEqual({ restored: 1 });
    expect(latestCounts(kafka.records('counted'))).toEqual({ fig: 11, kiwi: 1, lime: 1 });
  });
});
