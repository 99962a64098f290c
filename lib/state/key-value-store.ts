import type { KeyValue } from '../kstream/key-value';

export type { KeyValue } from '../kstream/key-value';

/**
 * What may be read of a key-value store: by key, by key range, or all of it. Keys are
 * ordered by their serialized bytes (unsigned, byte by byte), as Kafka Streams orders them.
 *
 * @example
 * const counts: ReadOnlyKeyValueStore<string, number> = app.store('counts');
 * counts.get('apples'); // 3, or undefined when the key has no value
 */
export interface ReadOnlyKeyValueStore<K, V> {
  /** The store's name, as it was declared. */
  readonly name: string;
  /** The value of `key`, or undefined when it has none. */
  get(key: K): V | undefined;
  /** The entries whose keys lie from `from` to `to`, both included, in key order. */
  range(from: K, to: K): IterableIterator<KeyValue<K, V>>;
  /** Every entry, in key order. */
  all(): IterableIterator<KeyValue<K, V>>;
  /** How many entries the store holds (exact for the in-memory store). */
  approximateNumEntries(): number;
}

/**
 * A task's key-value store, as a processor gets it from `context.stateStore(name)`. Every
 * write is also written to the store's changelog topic (unless logging is off), through the
 * record being processed: the record's offset is committed only once the changelog has
 * acknowledged the writes it caused. Writes are allowed only while `process()` runs.
 * Putting `null` deletes the key, as in Kafka Streams.
 *
 * @example
 * const counts = context.stateStore<string, number>('counts');
 * counts.put(record.key, (counts.get(record.key) ?? 0) + 1);
 */
export interface KeyValueStore<K, V> extends ReadOnlyKeyValueStore<K, V> {
  /** Sets the value of `key`; `null` deletes it. */
  put(key: K, value: V | null): void;
  /** Sets the value of `key` unless it has one; returns the value it had (undefined if none). */
  putIfAbsent(key: K, value: V): V | undefined;
  /** Deletes `key`; returns the value it had (undefined if none). */
  delete(key: K): V | undefined;
}
