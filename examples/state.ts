// The code of docs/state.md, type-checked by the build and run by spec/docs/docs-code-spec.ts.
import type { KafkaClient, KeyValueStore, Processor, ProcessorContext } from 'rx-kstreams';
import { testTopology, type TopologyTestResult } from 'rx-kstreams/marbles';
import {
  Application,
  partitionedRunner,
  process,
  Serdes,
  StoreNotLocalError,
  Stores,
  StreamsBuilder,
} from 'rx-kstreams';

// A word count: each word's count lives in the task's store `counts`.
const countWords = (): Processor<string | null, string | null, string, number> => {
  let context: ProcessorContext<string, number>;
  let counts: KeyValueStore<string, number>;
  return {
    init: (c) => {
      context = c;
      counts = c.stateStore<string, number>('counts');
    },
    process: (record) => {
      if (record.key === null) return; // a record without a key counts nowhere
      const count = (counts.get(record.key) ?? 0) + 1;
      counts.put(record.key, count); // also written to word-count-counts-changelog
      context.forward({ ...record, key: record.key, value: count });
    },
  };
};

export const wordCount = () => {
  const builder = new StreamsBuilder();
  builder.addStateStore(
    Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.json<number>() }),
  );
  builder
    .stream('words', { key: Serdes.string(), value: Serdes.string() })
    .pipe(process(countWords, { name: 'count', stores: ['counts'] }))
    .to('word-counts', { key: Serdes.string(), value: Serdes.json<number>() });
  return builder.build();
};

// The group is the application id: it names the changelog, word-count-counts-changelog.
export const runWordCount = (client: KafkaClient, signal: AbortSignal) => {
  const app = new Application(client, wordCount(), { applicationId: 'word-count' });
  return { app, done: app.runWith(signal, partitionedRunner()) };
};

// Interactive queries: this instance's count of a word, or where to ask for it.
export const countOf = (app: Application, word: string): number | string => {
  try {
    return app.store<string, number>('counts').get(word) ?? 0;
  } catch (error) {
    if (error instanceof StoreNotLocalError) return `ask the owner of partition ${error.partition}`;
    throw error;
  }
};

// Restore progress shows in the stats, per partition.
export const restoring = (app: Application): number =>
  app.stats()?.partitions.filter((p) => p.restore?.done === false).length ?? 0;

// In the marble kit, a store's writes are outputs of its changelog (application id 'test').
export const testWordCount = (): TopologyTestResult =>
  testTopology(wordCount(), ({ input, expectOutput }) => {
    input('words', '-a-b|', { a: { key: 'fig', value: 'fig' }, b: { key: 'fig', value: 'fig' } });
    expectOutput('word-counts', '-x-y|', {
      x: { key: 'fig', value: '1' },
      y: { key: 'fig', value: '2' },
    });
    expectOutput('test-counts-changelog', '-x-y|', {
      x: { key: 'fig', value: '1' },
      y: { key: 'fig', value: '2' },
    });
  });
