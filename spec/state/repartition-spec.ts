import {
  Application,
  ConfigError,
  InMemoryKafka,
  partitionedRunner,
  type RunnerFactory,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  TopologyError,
  type Topology,
} from 'rx-kstreams';
import { startApp } from '../runner/support/run-app';
import { caughtUp, eventually } from '../runner/support/scripted-topology';
import { latestCounts } from './support/count-topology';
import { sentenceWordCount } from '../../examples/state';

const fast = { pollTimeoutMs: 5, commitIntervalMs: 0 };
const WORDS = ['apple', 'pear', 'fig', 'plum', 'kiwi', 'lime', 'date', 'sloe', 'yew'];

/** Sentences keyed by their number (so a word's records start out in every partition). */
const sentences = (n: number, start = 0): { key: string; value: string }[] =>
  Array.from({ length: n }, (_, i) => {
    const s = start + i;
    const words = [0, 1, 2].map((j) => WORDS[(s * 7 + j * 5) % WORDS.length]!);
    return { key: `sentence-${s}`, value: words.join(' ') };
  });

const expectedCounts = (n: number): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const { value } of sentences(n)) {
    for (const word of value.split(' ')) counts[word] = (counts[word] ?? 0) + 1;
  }
  return counts;
};

/** Sentences in; each word counted after a groupBy by the word; the counts out: the docs' own. */
const wordsByWord = (): Topology => sentenceWordCount();

const kafkaWith = (n: number): InMemoryKafka => {
  const kafka = new InMemoryKafka();
  kafka.createTopic('sentences', { partitions: 4 });
  kafka.createTopic('sentence-word-counts', { partitions: 4 });
  kafka.produce('sentences', sentences(n));
  return kafka;
};

const REPARTITION = 'wc-word-counts-repartition';
const allCommitted = (kafka: InMemoryKafka): boolean =>
  caughtUp(kafka, 'wc', 'sentences') && caughtUp(kafka, 'wc', REPARTITION);

/** The partitions each key of `topic` was written to. */
const partitionsByKey = (kafka: InMemoryKafka, topic: string): Map<string, Set<number>> => {
  const out = new Map<string, Set<number>>();
  for (const r of kafka.records(topic)) {
    const key = r.key!.toString();
    out.set(key, (out.get(key) ?? new Set()).add(r.partition));
  }
  return out;
};

describe('groupBy: a repartition topic', () => {
  it('should show the repartition topic as a sink and the source of a second sub-topology', () => {
    const described = wordsByWord().describe();
    expect(described).toMatch(/Sink: \S+ \(topic: word-counts-repartition\)/);
    expect(described).toMatch(
      /Sub-topology: 1\n\s+Source: \S+ \(topics: \[word-counts-repartition\]\)/,
    );
    const named = wordsByWord().forApplication('wc');
    expect(named.sourceTopics).toEqual(['sentences', REPARTITION]);
    expect(named.repartitionTopics).toEqual([REPARTITION]);
    expect(named.describe()).toContain(`(topic: ${REPARTITION})`);
    expect(named.forApplication('wc')).toBe(named);
    expect(() => named.forApplication('other')).toThrow(/named after application wc, not other/);
    const info = { id: 'sentences:0', topic: 'sentences', partition: 0 };
    expect(() => named.createTask(info, { applicationId: 'other' })).toThrow(
      /named after application wc: createTask\(info, \{ applicationId: 'wc' \}\)/,
    );
  });

  it('should need an applicationId to make a task, which names the repartition topic', () => {
    const topology = wordsByWord();
    const info = { id: 'sentences:0', topic: 'sentences', partition: 0 };
    expect(() => topology.createTask(info)).toThrow(
      /repartition topics \(word-counts-repartition\), named after the application: createTask\(info, \{ applicationId \}\)/,
    );
    const sent: string[] = [];
    const task = topology.createTask(info, { applicationId: 'wc' });
    task.push(
      {
        topic: 'sentences',
        partition: 0,
        offset: '0',
        key: Buffer.from('s'),
        value: Buffer.from('fig yew'),
        headers: {},
        timestamp: 0,
      },
      {
        send: (record) => sent.push(`${record.topic}:${String(record.key)}`),
        signal: new AbortController().signal,
      },
    );
    expect(sent).toEqual([`${REPARTITION}:fig`, `${REPARTITION}:yew`]);
    // A task of the input topic has no store: the counts live in the repartition topic's tasks.
    expect(task.stores).toEqual([]);
  });

  it('should ask for the serdes the repartition topic is written with', () => {
    const stream = new StreamsBuilder().stream('sentences', { value: Serdes.string() });
    expect(() =>
      stream.groupBy((_k, v) => v, { key: Serdes.string() } as never).count({ store: 'c' }),
    ).toThrow(TopologyError);
    expect(() => stream.groupBy((_k, v) => v, { key: Serdes.string() } as never)).toThrow(
      /needs the serdes of the new key and of the value/,
    );
    expect(() =>
      stream.groupBy('word' as never, { key: Serdes.string(), value: Serdes.string() }),
    ).toThrow(/groupBy takes a function/);
  });

  it('should refuse a client that cannot make the repartition topic, before joining', async () => {
    const kafka = kafkaWith(0);
    // The in-memory client without its internal topics, as a client that has none.
    const client = Object.assign(Object.create(kafka.client({ groupId: 'wc' })) as object, {
      createInternalTopics: undefined,
    }) as unknown as ReturnType<InMemoryKafka['client']>;
    const app = new Application(client, wordsByWord());
    await expect(app.runWith(undefined, singleThreadedRunner(fast))).rejects.toThrow(ConfigError);
    await expect(app.runWith(undefined, singleThreadedRunner(fast))).rejects.toThrow(
      /repartition topics wc-word-counts-repartition are internal topics/,
    );
    expect(kafka.committedOffsets('wc')).toEqual({});
  });
});

describe.each<[string, RunnerFactory]>([
  ['singleThreadedRunner', singleThreadedRunner(fast)],
  ['partitionedRunner', partitionedRunner(fast)],
])('groupBy on the in-memory Kafka (%s)', (_name, runner) => {
  it('should send every record of a key to one task and count exactly', async () => {
    const kafka = kafkaWith(300);
    const run = startApp(kafka.client({ groupId: 'wc' }), wordsByWord(), runner);
    await eventually(() => allCommitted(kafka), 5000, 'both topics committed');
    await run.stop();

    expect(kafka.partitionCount(REPARTITION)).toBe(4);
    expect(kafka.records(REPARTITION)).toHaveLength(900);
    // Before: a word's records in every partition; after: each word in one partition only.
    expect([...partitionsByKey(kafka, 'sentences').values()].length).toBe(300);
    const byWord = partitionsByKey(kafka, REPARTITION);
    expect(byWord.size).toBe(WORDS.length);
    for (const parts of byWord.values()) expect(parts.size).toBe(1);
    // Each key's count is in the changelog partition of its repartitioned records.
    const changelog = partitionsByKey(kafka, 'wc-word-counts-changelog');
    for (const [word, parts] of changelog) expect(parts).toEqual(byWord.get(word));
    expect(latestCounts(kafka.records('sentence-word-counts'))).toEqual(expectedCounts(300));
  });

  it('should keep the counts exact when a second instance takes half the partitions', async () => {
    const kafka = kafkaWith(200);
    const a = startApp(kafka.client({ groupId: 'wc' }), wordsByWord(), runner);
    await eventually(() => allCommitted(kafka), 5000, 'the first half committed');
    const b = startApp(kafka.client({ groupId: 'wc' }), wordsByWord(), runner);
    // 4 partitions of each topic: 8 tasks, shared.
    await eventually(
      () =>
        (a.app.stats()?.partitions.length ?? 0) === 4 &&
        (b.app.stats()?.partitions.length ?? 0) === 4,
      5000,
      'the partitions shared',
    );
    kafka.produce('sentences', sentences(200, 200));
    await eventually(() => allCommitted(kafka), 5000, 'the second half committed');
    const restoredOnB = b.app
      .stats()
      ?.partitions.reduce((n, p) => n + (p.restore?.records ?? 0), 0);
    await Promise.all([a.stop(), b.stop()]);

    expect(restoredOnB).toBeGreaterThan(0);
    expect(latestCounts(kafka.records('sentence-word-counts'))).toEqual(expectedCounts(400));
  });
});
