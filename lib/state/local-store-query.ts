import { partitionForKey } from '../kafka/murmur2';
import type { LocalStore, LocalStores } from '../runner/runner';
import type { KeyValue, ReadOnlyKeyValueStore } from './key-value-store';

/**
 * A key's store is on another instance (or on none, while its partition moves): the query
 * names the partition the key belongs to, so the caller can ask the instance that owns it.
 */
export class StoreNotLocalError extends Error {
  override readonly name = 'StoreNotLocalError';
  constructor(
    readonly store: string,
    readonly topic: string,
    readonly partition: number,
    owned: readonly number[],
  ) {
    super(
      `store ${store}: the key belongs to partition ${partition} of ${topic}, which this instance does not own (it owns ${owned.length === 0 ? 'none' : owned.join(', ')}); ask the instance that does`,
    );
  }
}

/**
 * A read-only view over one store of every task of this instance (`app.store(name)`). A key
 * is looked up in the task of the partition it belongs to (its serialized key, murmur2, as
 * the Java client places keys); `range` and `all` read each local task's store in turn, each
 * in key order.
 *
 * @example
 * const counts = localStoreQuery('counts', () => runner.localStores('counts'));
 * counts.get('apples');
 */
export const localStoreQuery = <K, V>(
  name: string,
  local: () => LocalStores,
): ReadOnlyKeyValueStore<K, V> => {
  const stores = (): readonly LocalStore[] => local().stores;
  function* each(
    read: (store: ReadOnlyKeyValueStore<K, V>) => IterableIterator<KeyValue<K, V>>,
  ): IterableIterator<KeyValue<K, V>> {
    for (const { store } of stores()) yield* read(store.readOnly() as ReadOnlyKeyValueStore<K, V>);
  }
  return {
    name,
    get: (key) => {
      const { stores: found, partitions: count } = local();
      const first = found[0];
      if (first === undefined || count === undefined) {
        throw new Error(
          `store ${name} has no task on this instance yet (no partition assigned, or still restoring)`,
        );
      }
      const bytes = first.store.definition.key.serialize(first.store.changelog?.topic ?? name, key);
      const partition = bytes === null ? 0 : partitionForKey(bytes, count);
      const owner = found.find((s) => s.partition === partition);
      if (owner === undefined) {
        throw new StoreNotLocalError(
          name,
          first.topic,
          partition,
          found.map((s) => s.partition),
        );
      }
      return (owner.store.readOnly() as ReadOnlyKeyValueStore<K, V>).get(key);
    },
    range: (from, to) => each((store) => store.range(from, to)),
    all: () => each((store) => store.all()),
    approximateNumEntries: () =>
      stores().reduce((n, { store }) => n + store.readOnly().approximateNumEntries(), 0),
  };
};
