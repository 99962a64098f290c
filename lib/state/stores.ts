import * as O from 'fp-ts/lib/Option.js';
import { ConfigError } from '../errors/config-error';
import { checkKnownKeys } from '../errors/known-keys';
import { topicNameProblem } from '../kafka/topic-name';
import type { Serde } from '../serde/serde';
import type { KeyValueBytesStoreSupplier } from './bytes-store';
import { inMemorySupplier } from './in-memory-bytes-store';
import { lmdbSupplier, type LmdbStoreOptions } from './lmdb-bytes-store';

/**
 * A key-value store as a topology declares it (`builder.addStateStore`): its name, serdes,
 * the supplier of its bytes, and whether it has a changelog. Each task gets its own store
 * from it.
 *
 * @example
 * const counts: StoreDefinition<string, number> = Stores.keyValueStore('counts', {
 *   key: Serdes.string(),
 *   value: Serdes.json<number>(),
 * });
 */
export interface StoreDefinition<K, V> {
  readonly _tag: 'KeyValueStore';
  readonly name: string;
  readonly key: Serde<K>;
  readonly value: Serde<V>;
  readonly supplier: KeyValueBytesStoreSupplier;
  /** Whether writes go to the changelog topic and the store is restored from it (default true). */
  readonly logging: boolean;
}

/** Options of {@link Stores.keyValueStore}. */
export interface KeyValueStoreOptions<K, V> {
  readonly key: Serde<K>;
  readonly value: Serde<V>;
  /** Where the bytes live (default `Stores.inMemory()`). */
  readonly supplier?: KeyValueBytesStoreSupplier | undefined;
  /**
   * Whether writes go to a changelog topic `<applicationId>-<name>-changelog` that restores the
   * store on whichever instance its partition moves to (default true). Without it the store
   * starts empty on every assignment.
   */
  readonly logging?: boolean | undefined;
}

const isSerde = (serde: unknown): boolean =>
  typeof serde === 'object' &&
  serde !== null &&
  typeof (serde as Serde<unknown>).serialize === 'function' &&
  typeof (serde as Serde<unknown>).deserialize === 'function';

const keyValueStore = <K, V>(
  name: string,
  options: KeyValueStoreOptions<K, V>,
): StoreDefinition<K, V> => {
  if (typeof name !== 'string') {
    throw new ConfigError('store name', `must be a string, got ${typeof name}`);
  }
  const problem = topicNameProblem(`x-${name}-changelog`);
  if (name === '' || O.isSome(problem)) {
    throw new ConfigError(
      'store name',
      `"${name}" cannot name a changelog topic: use letters, digits, ".", "_" and "-"`,
    );
  }
  checkKnownKeys<KeyValueStoreOptions<K, V>>(`store ${name}`, options, {
    key: true,
    value: true,
    supplier: true,
    logging: true,
  });
  if (options === undefined || !isSerde(options.key) || !isSerde(options.value)) {
    throw new ConfigError(
      `store ${name}`,
      'needs a key and a value serde, e.g. { key: Serdes.string(), value: Serdes.json<number>() }',
    );
  }
  const supplier = options.supplier ?? inMemorySupplier;
  if (typeof supplier.create !== 'function') {
    throw new ConfigError(
      `store ${name}`,
      'supplier must be a store supplier, e.g. Stores.inMemory()',
    );
  }
  if (options.logging !== undefined && typeof options.logging !== 'boolean') {
    throw new ConfigError(`store ${name}`, 'logging must be true or false');
  }
  return Object.freeze({
    _tag: 'KeyValueStore',
    name,
    key: options.key,
    value: options.value,
    supplier,
    logging: options.logging ?? true,
  });
};

/**
 * Declaring state stores: `Stores.keyValueStore(name, { key, value })` for a topology's
 * `builder.addStateStore(...)`, and the suppliers of their bytes.
 *
 * @example
 * builder.addStateStore(
 *   Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.json<number>() }),
 * );
 */
export const Stores = {
  keyValueStore,
  /** Keeps a task's store in memory: empty on assignment, restored from its changelog. */
  inMemory: (): KeyValueBytesStoreSupplier => inMemorySupplier,
  /**
   * Keeps a task's store on disk in LMDB (the optional peer `lmdb`), under
   * `<stateDir>/<applicationId>/<topic>.<partition>/<store>`: it outlives the process, and a
   * task that closed cleanly before restores only the changelog after its checkpoint.
   */
  lmdb: (options: LmdbStoreOptions): KeyValueBytesStoreSupplier => lmdbSupplier(options),
} as const;

/**
 * The changelog topic of a store: `<applicationId>-<store>-changelog`, as Kafka Streams
 * names it.
 *
 * @example
 * changelogTopic('word-count', 'counts'); // 'word-count-counts-changelog'
 */
export const changelogTopic = (applicationId: string, storeName: string): string =>
  `${applicationId}-${storeName}-changelog`;
