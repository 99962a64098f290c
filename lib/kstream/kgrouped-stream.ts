import { TopologyError } from '../errors/topology-error';
import type { StreamRecord } from '../record/stream-record';
import type { Serde } from '../serde/serde';
import { Serdes } from '../serde/serdes';
import type { KeyValueBytesStoreSupplier } from '../state/bytes-store';
import type { KeyValueStore } from '../state/key-value-store';
import { Stores } from '../state/stores';
import { isPromiseLike } from '../topology/eventual';
import type { ProcessorKind } from '../topology/operator-node';
import type { Processor, ProcessorSupplier } from '../topology/processor';
import type { ProcessorContext } from '../topology/processor-context';
import type { TopologyGraph } from '../topology/topology-graph';
import type { KStream } from './kstream';
import { KTable } from './ktable';
import type { NodeOptions } from './node-options';
import { processOfKind } from './operators/process';

/**
 * Where an aggregation keeps its table: the store's name (which names its changelog,
 * `<applicationId>-<store>-changelog`, and is what `app.store(name)` queries), the key's serde
 * (unless `groupByKey` was given it) and the aggregate's, and the store's supplier and logging
 * as `Stores.keyValueStore` takes them.
 *
 * @example
 * const options: AggregateOptions<string, number> = { store: 'totals', value: Serdes.json<number>() };
 */
export interface AggregateOptions<K, VA> extends NodeOptions {
  readonly store: string;
  readonly key?: Serde<NoInfer<K>> | Serde<NoInfer<K> | null> | undefined;
  /** The aggregate's serde; a nullable one (`Serdes.json<T>()`) fits: an aggregate is never null. */
  readonly value?: Serde<NoInfer<VA>> | Serde<NoInfer<VA> | null> | undefined;
  readonly supplier?: KeyValueBytesStoreSupplier | undefined;
  readonly logging?: boolean | undefined;
}

/** What `count` and `reduce` take: an aggregate's value serde has a default there. */
export type CountOptions<K> = Omit<AggregateOptions<K, number>, 'value'>;

/** What one update of an aggregate makes: the new aggregate, now or later. */
type Step<K, V, VA> = (key: K, value: V, aggregate: VA | undefined) => VA | Promise<VA>;

/**
 * The aggregating processor: for each record (those with a null key or value are skipped, as
 * in Kafka Streams) the key's aggregate is read from the store, updated, written back (and so
 * to the changelog), and forwarded as the table's update.
 */
const aggregating =
  <K, V, VA>(store: string, step: Step<K, V, VA>): ProcessorSupplier<K, V, K, VA> =>
  (): Processor<K, V, K, VA> => {
    let context: ProcessorContext<K, VA>;
    let table: KeyValueStore<K, VA>;
    const update = (record: StreamRecord<K, V>, next: VA): void => {
      table.put(record.key, next);
      context.forward({ ...record, value: next });
    };
    return {
      init: (c) => {
        context = c;
        table = c.stateStore<K, VA>(store);
      },
      process: (record) => {
        if (record.key === null || record.key === undefined || record.value === null) return;
        const next = step(record.key, record.value, table.get(record.key));
        if (isPromiseLike(next)) return next.then((later) => update(record, later));
        update(record, next);
        return undefined;
      },
    };
  };

/**
 * A stream grouped by key, ready to be aggregated into a table (`KStream.groupByKey()`):
 * `count`, `reduce` or `aggregate`, each kept in a state store of its own, per task. Grouped
 * by the key the records have, every record of a key is in one partition already; grouped
 * by a new key (`groupBy`), the records go through a repartition topic first.
 *
 * @example
 * const counts = words.groupByKey({ key: Serdes.string() }).count({ store: 'counts' });
 */
export class KGroupedStream<K, V> {
  /**
   * @internal Made by `KStream.groupByKey` and `groupBy`: `input(store)` is the stream to
   * aggregate into `store` (for `groupBy`, the source of its repartition topic).
   */
  constructor(
    private readonly graph: TopologyGraph,
    private readonly input: (store: string) => KStream<K, V>,
    private readonly keySerde: Serde<K> | undefined,
  ) {}

  /** The number of records of each key (null keys and values not counted). Node `AGGREGATE`. */
  count(options: CountOptions<K>): KTable<K, number> {
    // A count is never null: the JSON serde's null case does not arise.
    const value = Serdes.json<number>() as Serde<number>;
    return this.build('AGGREGATE', { ...options, value }, (_k, _v, n) => (n ?? 0) + 1);
  }

  /**
   * Combines each key's values with `reducer` (the first value as it is). `value` is the
   * serde of `V` in the store (required). Node `REDUCE`.
   */
  reduce(
    reducer: (aggregate: V, value: V, key: K) => V | Promise<V>,
    options: AggregateOptions<K, V>,
  ): KTable<K, V> {
    return this.build('REDUCE', options, (key, value, old) =>
      old === undefined ? value : reducer(old, value, key),
    );
  }

  /**
   * Folds each key's values into an aggregate: `initializer()` for a key's first value, then
   * `aggregator(key, value, aggregate)`. `value` is the aggregate's serde (required). Node
   * `AGGREGATE`.
   */
  aggregate<VA>(
    initializer: () => VA,
    aggregator: (key: K, value: V, aggregate: VA) => VA | Promise<VA>,
    options: AggregateOptions<K, VA>,
  ): KTable<K, VA> {
    return this.build('AGGREGATE', options, (key, value, old) =>
      aggregator(key, value, old === undefined ? initializer() : old),
    );
  }

  private build<VA>(
    kind: ProcessorKind,
    options: AggregateOptions<K, VA>,
    step: Step<K, V, VA>,
  ): KTable<K, VA> {
    const operation = kind === 'REDUCE' ? 'reduce' : 'an aggregation';
    if (options === undefined || typeof options.store !== 'string') {
      throw new TopologyError(`${operation} needs a store: { store: 'name', ... }`);
    }
    const key = (options.key ?? this.keySerde) as Serde<K> | undefined;
    if (key === undefined) {
      throw new TopologyError(
        `${operation} into store ${options.store} needs the key's serde: groupByKey({ key: Serdes.string() }), or { key } here`,
      );
    }
    if (options.value === undefined) {
      throw new TopologyError(
        `${operation} into store ${options.store} needs the aggregate's serde: { value: Serdes.json() }`,
      );
    }
    this.graph.addStore(
      Stores.keyValueStore<K, VA>(options.store, {
        key,
        value: options.value as Serde<VA>,
        supplier: options.supplier,
        logging: options.logging,
      }) as never,
    );
    const updates = this.input(options.store).pipe(
      processOfKind(kind, aggregating(options.store, step), {
        name: options.name,
        stores: [options.store],
      }),
    );
    return new KTable(updates, options.store);
  }
}
