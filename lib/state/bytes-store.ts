import type { Offset } from '../kafka/offset';
import type { TaskInfo } from '../topology/topology-task';

/**
 * The bytes underneath a key-value store: serialized keys and values, ordered by key bytes.
 * A store supplier makes one per task; the task's typed store ({@link KeyValueStore}) puts
 * serdes and the changelog on top.
 *
 * @example
 * const bytes = Stores.inMemory().create('counts', task);
 * bytes.put(Buffer.from('apples'), Buffer.from('3'));
 */
export interface KeyValueBytesStore {
  get(key: Buffer): Buffer | undefined;
  put(key: Buffer, value: Buffer): void;
  delete(key: Buffer): void;
  /** Entries with keys from `from` to `to` (both included; undefined: unbounded), in key order. */
  range(from: Buffer | undefined, to: Buffer | undefined): IterableIterator<[Buffer, Buffer]>;
  /** How many entries it holds. */
  count(): number;
  /** Opens what it keeps (a persistent store); called before the task's restore. */
  open?(): Promise<void>;
  /**
   * The changelog offset it holds everything before, written when its task last closed
   * cleanly; undefined when there is none (then it is cleared and restored from the start).
   */
  checkpoint?(): Offset | undefined;
  /** Records the checkpoint (undefined removes it: the store changes while its task runs). */
  setCheckpoint?(offset: Offset | undefined): Promise<void>;
  /** Forgets every entry and the checkpoint. */
  clear?(): void;
  /** Releases what it holds (the in-memory store forgets everything). */
  close(): void | Promise<void>;
}

/**
 * Makes a task's {@link KeyValueBytesStore}: the in-memory store (`Stores.inMemory()`, the
 * default) or another kind behind the same interface.
 *
 * @example
 * const supplier: KeyValueBytesStoreSupplier = Stores.inMemory();
 */
export interface KeyValueBytesStoreSupplier {
  /** What kind of store it makes, for logs and errors (`in-memory`). */
  readonly kind: string;
  /** Whether what it stores outlives the process (then restore starts from its checkpoint). */
  readonly persistent: boolean;
  /** `applicationId` places a persistent store apart from other applications' stores. */
  create(storeName: string, task: TaskInfo, applicationId?: string): KeyValueBytesStore;
}
