import { join } from 'node:path';
import { ConfigError } from '../errors/config-error';
import { messageOf } from '../errors/message-of';
import type { Offset } from '../kafka/offset';
import type { TaskInfo } from '../topology/topology-task';
import type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './bytes-store';

/** The part of lmdb-js 3 this store uses. */
interface LmdbDatabase {
  get(key: unknown): unknown;
  put(key: unknown, value: unknown): Promise<boolean>;
  remove(key: unknown): Promise<boolean>;
  getRange(options: {
    start?: Buffer | undefined;
    end?: Buffer | undefined;
  }): Iterable<{ key: Buffer; value: Buffer }>;
  getCount(): number;
  doesExist(key: unknown): boolean;
  clearSync(): void;
  putSync(key: unknown, value: unknown): boolean;
  removeSync(key: unknown): boolean;
}
interface LmdbRoot {
  openDB(name: string, options: object): LmdbDatabase;
  readonly committed: Promise<unknown>;
  close(): Promise<void>;
}
interface LmdbModule {
  open(options: { path: string; compression?: boolean }): LmdbRoot;
}

const CHECKPOINT = 'changelog-checkpoint';

/** lmdb-js, loaded when the first LMDB store opens: an optional peer of rx-kstreams. */
const loadLmdb = async (): Promise<LmdbModule> => {
  try {
    const loaded = (await import('lmdb')) as unknown as LmdbModule & { default?: LmdbModule };
    return typeof loaded.open === 'function' ? loaded : loaded.default!;
  } catch (error) {
    throw new ConfigError(
      'Stores.lmdb',
      `the lmdb package could not be loaded (${messageOf(error)}): install it with npm install lmdb@3`,
    );
  }
};

/** A pending write: the value not yet committed to LMDB, or null for a delete. */
interface Pending {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

/**
 * A key-value bytes store in LMDB (lmdb-js), one environment per task's store under the
 * state directory. lmdb-js commits writes in the background, in batches; until a write is
 * committed it is kept here too, so what was written is read back at once. The store keeps
 * the changelog offset it holds everything before (its checkpoint), written when its task
 * closes cleanly and removed while the task runs: a store without one is not trusted and is
 * restored from the changelog's start.
 *
 * @example
 * const store = new LmdbBytesStore('/var/lib/app/orders.0/counts');
 * await store.open();
 */
export class LmdbBytesStore implements KeyValueBytesStore {
  private root: LmdbRoot | undefined;
  private data: LmdbDatabase | undefined;
  private meta: LmdbDatabase | undefined;
  private readonly pending = new Map<string, Pending>();

  constructor(readonly path: string) {}

  async open(): Promise<void> {
    if (this.root !== undefined) return;
    const lmdb = await loadLmdb();
    this.root = lmdb.open({ path: this.path, compression: false });
    this.data = this.root.openDB('data', { keyEncoding: 'binary', encoding: 'binary' });
    this.meta = this.root.openDB('meta', { encoding: 'string' });
  }

  get(key: Buffer): Buffer | undefined {
    const pending = this.pending.get(key.toString('latin1'));
    if (pending !== undefined) return pending.value ?? undefined;
    return (this.db().get(key) as Buffer | undefined) ?? undefined;
  }

  put(key: Buffer, value: Buffer): void {
    this.write({ key: Buffer.from(key), value });
  }

  delete(key: Buffer): void {
    this.write({ key: Buffer.from(key), value: null });
  }

  *range(from: Buffer | undefined, to: Buffer | undefined): IterableIterator<[Buffer, Buffer]> {
    // LMDB's range ends before `end`: the key just after `to` ends it after `to`.
    const end = to === undefined ? undefined : Buffer.concat([to, Buffer.from([0])]);
    const merged = new Map<string, Buffer | null>();
    for (const { key, value } of this.db().getRange({ start: from, end })) {
      merged.set(key.toString('latin1'), value);
    }
    const low = from?.toString('latin1');
    const high = to?.toString('latin1');
    for (const [id, p] of this.pending) {
      if ((low === undefined || id >= low) && (high === undefined || id <= high)) {
        merged.set(id, p.value);
      }
    }
    for (const id of [...merged.keys()].sort()) {
      const value = merged.get(id);
      if (value !== null && value !== undefined) yield [Buffer.from(id, 'latin1'), value];
    }
  }

  count(): number {
    let n = this.db().getCount();
    for (const { key, value } of this.pending.values()) {
      const stored = this.db().doesExist(key);
      if (value !== null && !stored) n += 1;
      else if (value === null && stored) n -= 1;
    }
    return n;
  }

  /** Writes handed to LMDB and not yet committed: what this store holds in memory. */
  get unflushed(): number {
    return this.pending.size;
  }

  /** Resolves once every write so far is committed to disk. */
  async flushed(): Promise<void> {
    await this.root?.committed;
  }

  checkpoint(): Offset | undefined {
    return (this.metaDb().get(CHECKPOINT) as string | undefined) ?? undefined;
  }

  async setCheckpoint(offset: Offset | undefined): Promise<void> {
    await this.root?.committed;
    if (offset === undefined) this.metaDb().removeSync(CHECKPOINT);
    else this.metaDb().putSync(CHECKPOINT, offset);
  }

  clear(): void {
    this.pending.clear();
    this.db().clearSync();
    this.metaDb().removeSync(CHECKPOINT);
  }

  async close(): Promise<void> {
    const root = this.root;
    this.root = undefined;
    if (root === undefined) return;
    await root.committed;
    await root.close();
  }

  private write(entry: Pending): void {
    const id = entry.key.toString('latin1');
    this.pending.set(id, entry);
    const db = this.db();
    const done = entry.value === null ? db.remove(entry.key) : db.put(entry.key, entry.value);
    void done.then(() => {
      if (this.pending.get(id) === entry) this.pending.delete(id);
    });
  }

  private db(): LmdbDatabase {
    if (this.data === undefined) {
      throw new Error(`the LMDB store at ${this.path} is not open (or was closed)`);
    }
    return this.data;
  }

  private metaDb(): LmdbDatabase {
    if (this.meta === undefined) {
      throw new Error(`the LMDB store at ${this.path} is not open (or was closed)`);
    }
    return this.meta;
  }
}

/** Options of {@link lmdbSupplier}. */
export interface LmdbStoreOptions {
  /** Where the stores live: `<stateDir>/<applicationId>/<topic>.<partition>/<store>`. */
  readonly stateDir: string;
}

/**
 * The LMDB supplier (`Stores.lmdb({ stateDir })`): a persistent store per task under
 * `stateDir`, restored from its checkpoint onward when its task closed cleanly before.
 *
 * @example
 * Stores.keyValueStore('counts', { key, value, supplier: Stores.lmdb({ stateDir: '/var/lib/app' }) });
 */
export const lmdbSupplier = (options: LmdbStoreOptions): KeyValueBytesStoreSupplier => {
  if (options === undefined || typeof options.stateDir !== 'string' || options.stateDir === '') {
    throw new ConfigError(
      'Stores.lmdb',
      "needs a stateDir, e.g. Stores.lmdb({ stateDir: './state' })",
    );
  }
  return Object.freeze({
    kind: 'lmdb',
    persistent: true,
    create: (storeName: string, task: TaskInfo, applicationId?: string) =>
      new LmdbBytesStore(
        join(
          options.stateDir,
          applicationId ?? 'default',
          `${task.topic}.${task.partition}`,
          storeName,
        ),
      ),
  });
};
