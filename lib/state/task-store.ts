import type { Offset } from '../kafka/offset';
import type { RawRecord, TopicPartition } from '../record/stream-record';
import type { RecordSink } from '../topology/topology-task';
import type { KeyValueBytesStore } from './bytes-store';
import type { KeyValue, KeyValueStore, ReadOnlyKeyValueStore } from './key-value-store';
import type { StoreDefinition } from './stores';
import type { StoreChanges } from './store-change';

/** Where a store's writes are sent: the sink of the record being processed, if one is. */
export type ChangelogSink = () => Pick<RecordSink, 'send'> | undefined;

/**
 * One store of one task: its bytes, its serdes, and its changelog partition (the task's
 * partition of `<applicationId>-<store>-changelog`, when logging is on). Processors get
 * typed views of it ({@link view}); the runner restores it from the changelog before the
 * task's first record ({@link restore}). Internal.
 *
 * @example
 * const store = new TaskStore(definition, definition.supplier.create('counts', task), changelog);
 * const counts = store.view('PROCESSOR-0000000002', () => currentSink);
 */
export class TaskStore<K = unknown, V = unknown> {
  /** Changelog records applied by restores so far. */
  restored = 0;
  /** The tasks using it: more than one when the tasks of a partition number share it (a join). */
  holders = 0;
  private opening: Promise<void> | undefined;
  private restoring: Promise<void> | undefined;

  constructor(
    readonly definition: StoreDefinition<K, V>,
    private readonly bytes: KeyValueBytesStore,
    /** The task's changelog partition; undefined when logging is off. */
    readonly changelog: TopicPartition | undefined,
    /** The partition number of the tasks it serves. */
    readonly partition = changelog?.partition ?? 0,
    /** Where its changes are reported, while someone listens. */
    private readonly changes?: StoreChanges | undefined,
  ) {}

  get name(): string {
    return this.definition.name;
  }

  /**
   * The store as processor `nodeName` uses it: writes go to the changelog through `sink`, the
   * sink of the record it is processing (a write with no record under way throws).
   */
  view(nodeName: string, sink: ChangelogSink): KeyValueStore<K, V> {
    const log = (key: Buffer, value: Buffer | null): void => {
      if (this.changelog === undefined) return;
      const to = sink();
      if (to === undefined) {
        throw new Error(
          `store ${this.name} was written by ${nodeName} outside process(): a store is written only while a record is processed, so that the record's offset waits for the changelog`,
        );
      }
      to.send({ ...this.changelog, key, value, headers: {} }, nodeName);
    };
    const report = (key: K, value: V | null, old: Buffer | undefined): void => {
      const oldValue = old === undefined ? undefined : this.decodeValue(old);
      this.changes?.next({ store: this.name, partition: this.partition, key, value, oldValue });
    };
    const remove = (key: K): V | undefined => {
      const bytes = this.keyBytes(key);
      const old = this.bytes.get(bytes);
      this.bytes.delete(bytes);
      log(bytes, null);
      if (this.changes?.observed === true) report(key, null, old);
      return old === undefined ? undefined : this.decodeValue(old);
    };
    const put = (key: K, value: V | null): void => {
      if (value === null) {
        remove(key);
        return;
      }
      const bytes = this.keyBytes(key);
      const data = this.definition.value.serialize(this.serdeTopic, value);
      // The old value is read only for a listener: a put costs no extra read otherwise.
      const observed = this.changes?.observed === true;
      const old = observed ? this.bytes.get(bytes) : undefined;
      if (data === null) this.bytes.delete(bytes);
      else this.bytes.put(bytes, data);
      log(bytes, data);
      if (observed) report(key, data === null ? null : value, old);
    };
    return {
      ...this.readOnly(),
      put,
      putIfAbsent: (key, value) => {
        const old = this.readOnly().get(key);
        if (old === undefined) put(key, value);
        return old;
      },
      delete: remove,
    };
  }

  /** The store for reading only: what interactive queries see. */
  readOnly(): ReadOnlyKeyValueStore<K, V> {
    const entries = (
      from: Buffer | undefined,
      to: Buffer | undefined,
    ): IterableIterator<KeyValue<K, V>> => this.decoded(this.bytes.range(from, to));
    return {
      name: this.name,
      get: (key) => {
        const data = this.bytes.get(this.keyBytes(key));
        return data === undefined ? undefined : this.decodeValue(data);
      },
      range: (from, to) => entries(this.keyBytes(from), this.keyBytes(to)),
      all: () => entries(undefined, undefined),
      approximateNumEntries: () => this.bytes.count(),
    };
  }

  /** Applies changelog records, oldest first: a value puts, a tombstone (null value) deletes. */
  restore(records: readonly RawRecord[]): void {
    for (const record of records) {
      if (record.key === null) continue; // not written by a store: a changelog key is never null
      if (record.value === null) this.bytes.delete(record.key);
      else this.bytes.put(record.key, record.value);
    }
    this.restored += records.length;
  }

  /** Whether its bytes outlive the process (then it has a checkpoint). */
  get persistent(): boolean {
    return this.definition.supplier.persistent;
  }

  /** Opens its bytes (a persistent store's files; once, however many tasks share it). */
  open(): Promise<void> {
    this.opening ??= Promise.resolve(this.bytes.open?.());
    return this.opening;
  }

  /**
   * Runs `restore` the first time it is asked for; a second task sharing the store waits for
   * that one. A failed restore may be asked for again.
   */
  restoreOnce(restore: () => Promise<void>): Promise<void> {
    this.restoring ??= restore().catch((error: unknown) => {
      this.restoring = undefined;
      throw error;
    });
    return this.restoring;
  }

  /**
   * Where its restore starts: a persistent store's checkpoint, when it has one; else the
   * changelog's start, its bytes cleared first (what they hold is not known to be logged).
   */
  restoreFrom(): Offset {
    const checkpoint = this.bytes.checkpoint?.();
    if (checkpoint !== undefined) return checkpoint;
    this.bytes.clear?.();
    return '0';
  }

  /** Records (or, with undefined, removes) the changelog offset its bytes hold all before. */
  async setCheckpoint(offset: Offset | undefined): Promise<void> {
    await this.bytes.setCheckpoint?.(offset);
  }

  close(): void | Promise<void> {
    return this.bytes.close();
  }

  /** Serdes are given the changelog topic, as Kafka Streams gives them (the store name without one). */
  private get serdeTopic(): string {
    return this.changelog?.topic ?? this.name;
  }

  private keyBytes(key: K): Buffer {
    const bytes = this.definition.key.serialize(this.serdeTopic, key);
    if (bytes === null) {
      throw new Error(`store ${this.name}: a key must not serialize to null (got ${String(key)})`);
    }
    return bytes;
  }

  private decodeValue(data: Buffer): V {
    return this.definition.value.deserialize(this.serdeTopic, data);
  }

  private *decoded(entries: IterableIterator<[Buffer, Buffer]>): IterableIterator<KeyValue<K, V>> {
    for (const [key, value] of entries) {
      yield {
        key: this.definition.key.deserialize(this.serdeTopic, key),
        value: this.decodeValue(value),
      };
    }
  }
}
