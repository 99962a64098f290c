import type { KStream } from './kstream';
import type { NodeOptions } from './node-options';
import { mapValues } from './operators/map-values';

/**
 * A table: the latest value of each key, as a stream of its updates (one record per change,
 * a `null` value deleting the key). What `count`, `reduce`, `aggregate` and `builder.table`
 * return. A table made by one of them is kept in a state store (`storeName`), which
 * `app.store(storeName)` queries; one derived with `filter` or `mapValues` is not.
 *
 * @example
 * const counts: KTable<string, number> = stream.groupByKey({ key: Serdes.string() }).count({ store: 'counts' });
 * counts.toStream().to('word-counts', { key: Serdes.string(), value: Serdes.json<number>() });
 */
export class KTable<K, V> {
  /** @internal Made by the DSL. */
  constructor(
    private readonly updates: KStream<K, V>,
    /** The state store that holds the table, when it is kept in one. */
    readonly storeName: string | undefined,
  ) {}

  /** The name of the node whose outputs are the table's updates. */
  get nodeName(): string {
    return this.updates.nodeName;
  }

  /** The table's updates as a stream: one record per change of a key. */
  toStream(): KStream<K, V> {
    return this.updates;
  }

  /**
   * The table of the keys whose values satisfy `predicate`: an update that does not turns
   * into a delete (`null`) of its key, as in Kafka Streams, so that a key that stops
   * matching leaves the table.
   */
  filter(
    predicate: (key: K, value: NonNullable<V>) => boolean,
    options?: NodeOptions,
  ): KTable<K, V | null> {
    return new KTable(
      this.updates.pipe(
        mapValues<K, V, V | null>(
          (value, record) =>
            value === null || value === undefined
              ? null
              : predicate(record.key, value as NonNullable<V>)
                ? value
                : null,
          options,
        ),
      ),
      undefined,
    );
  }

  /** The table with each value mapped by `fn`; a delete (`null`) stays a delete. */
  mapValues<V2>(
    fn: (value: NonNullable<V>, key: K) => V2,
    options?: NodeOptions,
  ): KTable<K, V2 | Extract<V, null>> {
    return new KTable(
      this.updates.pipe(
        mapValues<K, V, V2 | Extract<V, null>>(
          (value, record) =>
            value === null || value === undefined
              ? (null as Extract<V, null>)
              : fn(value as NonNullable<V>, record.key),
          options,
        ),
      ),
      undefined,
    );
  }
}
