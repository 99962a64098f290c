import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Application,
  ConfigError,
  flatMapValues,
  partitionedRunner,
  Serdes,
  singleThreadedRunner,
  Stores,
  StreamsBuilder,
} from 'rx-kstreams';
import { ConfigResourceTypes } from 'kafkajs';
import { partitionForKey } from '../../lib/kafka/murmur2';
import { clientName, testClient } from './support/client-under-test';
import { startApp } from '../runner/support/run-app';
import { countTopology, latestCounts } from '../state/support/count-topology';
import {
  committedOffsets,
  createTopic,
  produce,
  readAll,
  type TestRecord,
  uniqueName,
  withAdmin,
} from './support/broker';

const WORDS = ['apple', 'pear', 'fig', 'plum', 'kiwi', 'lime', 'date', 'sloe'];
/** `n` words, each on the partition its key is placed on (of 4), as the Java client places it. */
const words = (n: number): TestRecord[] =>
  Array.from({ length: n }, (_, i) => {
    const word = WORDS[i % 8]!;
    return { key: word, value: word, partition: partitionForKey(Buffer.from(word), 4) };
  });
const expected = (n: number): Record<string, number> =>
  Object.fromEntries(WORDS.map((w, i) => [w, Math.floor(n / 8) + (i < n % 8 ? 1 : 0)]));
const fast = { pollTimeoutMs: 100, commitIntervalMs: 200 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the group has committed `total` records of `topic`, over all its partitions. */
const committedTo = async (groupId: string, topic: string, total: number): Promise<void> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const offsets = Object.values(await committedOffsets(groupId, topic));
    if (offsets.reduce((n, o) => n + Math.max(0, Number(o)), 0) >= total) return;
    if (Date.now() > deadline)
      throw new Error(`group ${groupId}: ${total} not committed on ${topic}`);
    await sleep(100);
  }
};

/** A word-count input and output of 4 partitions, and a fresh application id. */
const setUp = async () => ({
  input: await createTopic(4, 'words'),
  output: await createTopic(4, 'counted'),
  groupId: uniqueName('word-count'),
});

describe(`state stores on a real broker (${clientName()})`, () => {
  it('should count exactly, keep a compacted changelog, and restore it on restart', async () => {
    const { input, output, groupId } = await setUp();
    await produce(input, words(200));
    const topology = countTopology(input, output);
    const first = startApp(testClient({ groupId }), topology, singleThreadedRunner(fast));
    await committedTo(groupId, input, 200);
    await first.stop();

    const changelog = `${groupId}-counts-changelog`;
    const { partitions, policy } = await withAdmin(async (admin) => {
      const [{ topics }, { resources }] = await Promise.all([
        admin.fetchTopicMetadata({ topics: [changelog] }),
        admin.describeConfigs({
          includeSynonyms: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: changelog, configNames: ['cleanup.policy'] },
          ],
        }),
      ]);
      return {
        partitions: topics[0]?.partitions.length,
        policy: resources[0]?.configEntries[0]?.configValue,
      };
    });
    expect(partitions).toBe(4);
    expect(policy).toBe('compact');
    expect(latestCounts(await readAll(changelog))).toEqual(expected(200));

    await produce(input, words(200));
    const second = new Application(testClient({ groupId }), topology);
    const controller = new AbortController();
    const done = second.runWith(controller.signal, singleThreadedRunner(fast));
    await committedTo(groupId, input, 400);
    const restored = second.stats()?.partitions.reduce((n, p) => n + (p.restore?.records ?? 0), 0);
    const queried = second.store<string, number>('counts').get('apple');
    controller.abort();
    await done;

    expect(restored).toBe(200);
    expect(queried).toBe(50);
    expect(latestCounts(await readAll(output))).toEqual(expected(400));
  }, 120_000);

  it('should repartition by a new key: every record of a word read by one task, counts exact', async () => {
    const { input, output, groupId } = await setUp();
    // Sentences spread over the 4 partitions by number: each word starts out in all of them.
    const sentences = Array.from({ length: 120 }, (_, i) => ({
      key: `s${i}`,
      value: [0, 1, 2].map((j) => WORDS[(i * 3 + j) % 8]).join(' '),
      partition: i % 4,
    }));
    await produce(input, sentences);
    const builder = new StreamsBuilder();
    builder
      .stream(input, { key: Serdes.string(), value: Serdes.string() })
      .pipe(flatMapValues((sentence: string | null) => (sentence ?? '').split(' ')))
      .groupBy((_key, word) => word, { key: Serdes.string(), value: Serdes.string() })
      .count({ store: 'counts' })
      .toStream()
      .to(output, { key: Serdes.string(), value: Serdes.json<number>() });
    const repartition = `${groupId}-counts-repartition`;
    const run = startApp(testClient({ groupId }), builder.build(), partitionedRunner(fast));
    await committedTo(groupId, input, 120);
    await committedTo(groupId, repartition, 360);
    await run.stop();

    const written = await readAll(repartition);
    expect(written).toHaveLength(360);
    const partitionsOf = new Map<string, Set<number>>();
    for (const r of written) {
      const word = String(r.key);
      partitionsOf.set(word, (partitionsOf.get(word) ?? new Set()).add(r.partition));
    }
    expect(partitionsOf.size).toBe(8);
    for (const [word, partitions] of partitionsOf) {
      expect([word, [...partitions]]).toEqual([word, [partitionForKey(Buffer.from(word), 4)]]);
    }
    expect(latestCounts(await readAll(output))).toEqual(expected(360));
  }, 120_000);

  it('should join a stream with a table on two instances, each owning partition N of both topics', async () => {
    const [pricesTopic, ordersTopic, output] = await Promise.all([
      createTopic(3, 'prices'),
      createTopic(3, 'orders'),
      createTopic(3, 'costs'),
    ]);
    const groupId = uniqueName('shop');
    const place = (key: string) => ({ key, partition: partitionForKey(Buffer.from(key), 3) });
    await produce(
      pricesTopic,
      Array.from({ length: 12 }, (_, i) => ({ ...place(`item-${i}`), value: String(i) })),
    );
    const orders = (from: number) =>
      Array.from({ length: 24 }, (_, i) => ({ ...place(`item-${(from + i) % 12}`), value: '2' }));
    const builder = new StreamsBuilder();
    const table = builder.table(pricesTopic, {
      key: Serdes.string(),
      value: Serdes.json<number>(),
    });
    builder
      .stream(ordersTopic, { key: Serdes.string(), value: Serdes.json<number>() })
      .join(table, (quantity, price, item) => `${item}=${quantity * price}`)
      .to(output, { key: Serdes.string(), value: Serdes.string() });
    const topology = builder.build();
    const a = startApp(testClient({ groupId }), topology, partitionedRunner(fast));
    await committedTo(groupId, pricesTopic, 12);
    await produce(ordersTopic, orders(0));
    await committedTo(groupId, ordersTopic, 24);
    const b = startApp(testClient({ groupId }), topology, partitionedRunner(fast));
    const owned = (app: Application): string[] =>
      (app.stats()?.partitions ?? []).map((p) => `${p.topic}:${p.partition}`);
    const deadline = Date.now() + 60_000;
    while (owned(b.app).length === 0 || owned(a.app).length + owned(b.app).length < 6) {
      if (Date.now() > deadline) throw new Error('the second instance got no partitions');
      await sleep(100);
    }
    await produce(ordersTopic, orders(24));
    await committedTo(groupId, ordersTopic, 48);
    const [onA, onB] = [owned(a.app), owned(b.app)];
    await Promise.all([a.stop(), b.stop()]);

    for (const owns of [onA, onB]) {
      const numbers = (topic: string) =>
        owns
          .filter((tp) => tp.startsWith(`${topic}:`))
          .map((tp) => tp.split(':').pop())
          .sort();
      expect(numbers(ordersTopic)).toEqual(numbers(pricesTopic));
    }
    const costs = (await readAll(output)).map((r) => String(r.value)).sort();
    const wanted = [...orders(0), ...orders(24)].map(
      (o) => `${o.key}=${2 * Number(o.key.slice(5))}`,
    );
    expect(costs).toEqual(wanted.sort());
  }, 120_000);

  it('should move a partition’s state to the instance that takes the partition over', async () => {
    const { input, output, groupId } = await setUp();
    await produce(input, words(160));
    const topology = countTopology(input, output);
    const a = startApp(testClient({ groupId }), topology, partitionedRunner(fast));
    await committedTo(groupId, input, 160);
    const b = startApp(testClient({ groupId }), topology, partitionedRunner(fast));
    const deadline = Date.now() + 60_000;
    while ((b.app.stats()?.partitions.filter((p) => p.restore?.done).length ?? 0) < 2) {
      if (Date.now() > deadline) throw new Error('the second instance got no partitions');
      await sleep(100);
    }
    await produce(input, words(160));
    await committedTo(groupId, input, 320);
    await Promise.all([a.stop(), b.stop()]);

    expect(latestCounts(await readAll(output))).toEqual(expected(320));
  }, 120_000);

  it('should restart an LMDB store from its checkpoint: nothing restored, counts going on', async () => {
    const { input, output, groupId } = await setUp();
    const stateDir = mkdtempSync(join(tmpdir(), 'rxk-e2e-lmdb-'));
    try {
      await produce(input, words(80));
      const builder = new StreamsBuilder();
      builder
        .stream(input, { key: Serdes.string(), value: Serdes.string() })
        .groupByKey({ key: Serdes.string() })
        .count({ store: 'counts', supplier: Stores.lmdb({ stateDir }) })
        .toStream()
        .to(output, { key: Serdes.string(), value: Serdes.json<number>() });
      const topology = builder.build();
      const restoredIn = async (total: number): Promise<number | undefined> => {
        const app = new Application(testClient({ groupId }), topology);
        const controller = new AbortController();
        const done = app.runWith(controller.signal, partitionedRunner(fast));
        await committedTo(groupId, input, total);
        const restored = app.stats()?.partitions.reduce((n, p) => n + (p.restore?.records ?? 0), 0);
        controller.abort();
        await done;
        return restored;
      };
      expect(await restoredIn(80)).toBe(0);
      await produce(input, words(80));
      expect(await restoredIn(160)).toBe(0);
      expect(latestCounts(await readAll(output))).toEqual(expected(160));
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('should restore a changelog many fetches long', async () => {
    const input = await createTopic(1, 'words');
    const output = await createTopic(1, 'counted');
    const groupId = uniqueName('word-count');
    const changelog = `${groupId}-counts-changelog`;
    await withAdmin((admin) =>
      admin.createTopics({
        topics: [
          {
            topic: changelog,
            numPartitions: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        waitForLeaders: true,
      }),
    );
    // 40,000 records of about 100 bytes: several times what one fetch of a partition returns.
    const padding = 'x'.repeat(90);
    for (let chunk = 0; chunk < 8; chunk += 1) {
      await produce(
        changelog,
        Array.from({ length: 5000 }, (_, i) => ({
          partition: 0,
          key: `w${(chunk * 5000 + i) % 1000}-${padding}`,
          value: String(chunk * 5000 + i),
        })),
      );
    }
    await produce(input, [{ partition: 0, key: 'fig', value: 'fig' }]);
    const app = new Application(testClient({ groupId }), countTopology(input, output));
    const controller = new AbortController();
    const done = app.runWith(controller.signal, singleThreadedRunner(fast));
    await committedTo(groupId, input, 1);
    const restore = app.stats()?.partitions[0]?.restore;
    controller.abort();
    await done;
    expect(restore).toEqual({ records: 40_000, done: true });
  }, 120_000);

  it('should refuse a changelog with fewer partitions than the source before joining', async () => {
    const { input, output, groupId } = await setUp();
    await withAdmin((admin) =>
      admin.createTopics({
        topics: [
          {
            topic: `${groupId}-counts-changelog`,
            numPartitions: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        waitForLeaders: true,
      }),
    );
    const run = startApp(
      testClient({ groupId }),
      countTopology(input, output),
      singleThreadedRunner(fast),
    );
    await expect(run.done).rejects.toThrow(ConfigError);
    await expect(run.done).rejects.toThrow(
      /has 1 partitions, fewer than the 4 of the source topics/,
    );
    expect(await committedOffsets(groupId, input)).toEqual({ 0: '-1', 1: '-1', 2: '-1', 3: '-1' });
  }, 60_000);
});
