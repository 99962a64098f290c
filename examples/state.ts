// The code of docs/state.md, type-checked by the build and run by spec/docs/docs-code-spec.ts.
import { filter, map, type Observable } from 'rxjs';
import type { KafkaClient, KeyValueStore, Processor, ProcessorContext } from 'rx-kstreams';
import { testTopology, type TopologyTestResult } from 'rx-kstreams/marbles';
import {
  Application,
  flatMapValues,
  partitionedRunner,
  process,
  Serdes,
  StoreNotLocalError,
  Stores,
  StreamsBuilder,
} from 'rx-kstreams';

// A word count: each word's count lives in the task's store `counts`.
export const countWords = (): Processor<string | null, string | null, string, number> => {
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

// A table's updates as an Observable: the words whose count passes 100, as it happens.
export const popularWords = (app: Application): Observable<string> =>
  app.changes<string, number>('counts').pipe(
    filter(({ value, oldValue }) => value !== null && value >= 100 && (oldValue ?? 0) < 100),
    map(({ key }) => key),
  );

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

// A test that starts from a state: the changelog held fig at 41 before the run.
export const testFromState = (): TopologyTestResult =>
  testTopology(
    wordCount(),
    ({ input, expectOutput }) => {
      input('words', '-a|', { a: { key: 'fig', value: 'fig' } });
      expectOutput('word-counts', '-x|', { x: { key: 'fig', value: '42' } });
    },
    { restored: { counts: [{ key: 'fig', value: 41 }] } },
  );

// The same word count in the DSL: group by key, count into the store `counts`: a table.
export const wordCountDsl = () => {
  const builder = new StreamsBuilder();
  const counts = builder
    .stream('words', { key: Serdes.string(), value: Serdes.string() })
    .groupByKey({ key: Serdes.string() })
    .count({ store: 'counts' });
  counts.toStream().to('word-counts', { key: Serdes.string(), value: Serdes.json<number>() });
  return builder.build();
};

// Words counted from sentences: groupBy a new key goes through a repartition topic.
export const sentenceWordCount = () => {
  const builder = new StreamsBuilder();
  builder
    .stream('sentences', { key: Serdes.string(), value: Serdes.string() })
    .pipe(flatMapValues((sentence: string | null) => (sentence ?? '').split(' ')))
    .groupBy((_sentenceId, word) => (word === '' ? null : word), {
      key: Serdes.string(),
      value: Serdes.string(),
    })
    .count({ store: 'word-counts' })
    .toStream()
    .to('sentence-word-counts', { key: Serdes.string(), value: Serdes.json<number>() });
  return builder.build();
};

// Totals and a running summary per key: reduce and aggregate.
interface Summary {
  readonly orders: number;
  readonly biggest: number;
}
export const orderTotals = () => {
  const builder = new StreamsBuilder();
  const byCustomer = builder
    .stream('order-amounts', { key: Serdes.string(), value: Serdes.json<number>() })
    .groupByKey({ key: Serdes.string() });
  byCustomer
    .reduce((total, amount) => (total ?? 0) + (amount ?? 0), {
      store: 'totals',
      value: Serdes.json<number>(),
    })
    .toStream()
    .to('customer-totals', { key: Serdes.string(), value: Serdes.json<number>() });
  byCustomer
    .aggregate(
      (): Summary => ({ orders: 0, biggest: 0 }),
      (_customer, amount, s) => ({
        orders: s.orders + 1,
        biggest: Math.max(s.biggest, amount ?? 0),
      }),
      { store: 'summaries', value: Serdes.json<Summary>() },
    )
    .toStream()
    .to('customer-summaries', { key: Serdes.string(), value: Serdes.json<Summary>() });
  return builder.build();
};

// A topic read as a table, filtered and mapped: a price that rises above 10 leaves it.
export const cheapPrices = () => {
  const builder = new StreamsBuilder();
  builder
    .table('prices', { key: Serdes.string(), value: Serdes.json<number>() })
    .filter((_item, price) => price < 10)
    .mapValues((price) => `${price.toFixed(2)} EUR`)
    .toStream()
    .to('cheap-prices', { key: Serdes.string(), value: Serdes.string() });
  return builder.build();
};

// Orders joined with the items' prices: a stream–table join, and a left join.
export const pricedOrders = () => {
  const builder = new StreamsBuilder();
  const prices = builder.table('prices', { key: Serdes.string(), value: Serdes.json<number>() });
  const orders = builder.stream('orders', { key: Serdes.string(), value: Serdes.json<number>() });
  orders
    .join(prices, (quantity, price, item) => ({ item, cost: quantity * price }))
    .to('order-costs', {
      key: Serdes.string(),
      value: Serdes.json<{ item: string | null; cost: number }>(),
    });
  orders
    .leftJoin(prices, (quantity, price) => (price === null ? `unpriced: ${quantity}` : 'priced'))
    .to('order-checks', { key: Serdes.string(), value: Serdes.string() });
  return builder.build();
};

// A store on disk: LMDB under stateDir, restored from its checkpoint after a clean stop.
export const lmdbCounts = (stateDir: string) =>
  Stores.keyValueStore('counts', {
    key: Serdes.string(),
    value: Serdes.json<number>(),
    supplier: Stores.lmdb({ stateDir }),
  });
