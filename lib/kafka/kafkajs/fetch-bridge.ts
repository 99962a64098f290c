import type { ConsumerStartBatchProcessEvent, EachBatchPayload } from 'kafkajs';
import { topicPartitionKey, type RawRecord, type TopicPartition } from '../../record/stream-record';
import { compareOffsets, offsetBefore } from '../offset';
import type { FetchControl } from './fetch-control';
import { PartitionPositions } from './partition-positions';
import { RecordQueue } from '../record-queue';
import { toRawRecord } from './to-raw-record';
import { Wakeup } from '../wakeup';

/** What a {@link FetchBridge} needs. */
export interface FetchBridgeSettings {
  /** True while kafkajs's current assignment holds the partition (`topic:partition` key). */
  readonly owns: (key: string) => boolean;
  /** Fetched-but-unpolled records (of unpaused partitions) above which the fetch loop waits. */
  readonly maxQueuedRecords: number;
  /** How often a waiting fetch loop heartbeats, in ms. */
  readonly heartbeatEveryMs: number;
}

/** How {@link FetchBridge.waitForPoll} holds the fetch loop. */
export interface FetchLoopHold {
  /** Checked around every wait; true lets the fetch loop go (closing, rejoined, stale batch). */
  readonly gaveUp: () => boolean;
  /** Keeps the member in its group while the fetch loop waits. */
  readonly heartbeat: () => Promise<void>;
}

/**
 * The push-to-pull bridge: kafkajs pushes batches (`eachBatch`), the port pulls (`poll`).
 * `handOver` queues a batch's new records per partition and moves the kafkajs fetch position
 * to just past them, so `eachBatch` can return at once (holding it would stall every
 * partition of that broker); `take` drains the queue for `poll`. When more than
 * `maxQueuedRecords` wait, `waitForPoll` holds the fetch loop until `poll` takes some: that
 * bounds memory. It also keeps the paused set, because a paused partition's records stay
 * queued and its batches are left for kafkajs to fetch again on resume.
 *
 * @example
 * const bridge = new FetchBridge(control, { owns, maxQueuedRecords: 10_000, heartbeatEveryMs: 500 });
 * // in eachBatch:
 * if (bridge.handOver(payload)) await bridge.waitForPoll({ gaveUp, heartbeat });
 * // in poll:
 * const records = bridge.take(500, (key) => announced(key));
 */
export class FetchBridge {
  private readonly queue = new RecordQueue();
  private readonly positions = new PartitionPositions();
  private readonly paused = new Set<string>();
  private readonly recordsReady = new Wakeup();
  private readonly recordsTaken = new Wakeup();

  constructor(
    private readonly control: FetchControl,
    private readonly settings: FetchBridgeSettings,
  ) {}

  /** Queues the batch's new records and resolves the fetch position; false when not taken. */
  handOver({ batch, resolveOffset, isStale }: EachBatchPayload): boolean {
    const key = topicPartitionKey(batch);
    // A paused partition's batch is left unresolved: kafkajs fetches it again on resume.
    if (isStale() || !this.settings.owns(key) || this.paused.has(key)) return false;
    const last = batch.messages[batch.messages.length - 1];
    if (last === undefined) return false;
    const { topic, partition, messages } = batch;
    const records: RawRecord[] = [];
    // Offsets rise within a batch: once one is new, every later one is too.
    let fresh = false;
    for (const message of messages) {
      fresh ||= this.positions.accepts(key, message.offset);
      if (fresh) records.push(toRawRecord(topic, partition, message));
    }
    const lastRecord = records[records.length - 1];
    if (lastRecord !== undefined) {
      this.queue.push(key, records);
      this.positions.advance(key, lastRecord.offset);
    }
    // The fetch position moves to just past what was handed over (never further).
    const next = this.positions.next(key);
    const lastHandedOver = next === undefined ? undefined : offsetBefore(next);
    resolveOffset(
      lastHandedOver !== undefined && compareOffsets(lastHandedOver, last.offset) > 0
        ? lastHandedOver
        : last.offset,
    );
    if (lastRecord !== undefined) this.recordsReady.notify();
    return true;
  }

  /**
   * kafkajs moves past a batch that holds only control records or aborted messages by itself,
   * without eachBatch: the handed-over position follows, or `lag()` would count them.
   */
  onFilteredBatch(batch: ConsumerStartBatchProcessEvent['payload']): void {
    const key = topicPartitionKey(batch);
    if (batch.batchSize === 0 && this.settings.owns(key)) {
      this.positions.advance(key, batch.lastOffset);
    }
  }

  /** Holds the fetch loop while too many records wait for poll, heartbeating meanwhile. */
  async waitForPoll({ gaveUp, heartbeat }: FetchLoopHold): Promise<void> {
    const { maxQueuedRecords, heartbeatEveryMs } = this.settings;
    while (this.queue.size((key) => !this.paused.has(key)) > maxQueuedRecords) {
      if (gaveUp()) return;
      await this.recordsTaken.wait(heartbeatEveryMs);
      if (gaveUp()) return;
      await heartbeat();
    }
  }

  /** Takes up to `max` queued records of unpaused partitions `canTake` allows, for poll. */
  take(max: number, canTake: (key: string) => boolean): RawRecord[] {
    const records = this.queue.take(max, (key) => canTake(key) && !this.paused.has(key));
    if (records.length > 0) this.recordsTaken.notify();
    return records;
  }

  /** Waits until records are queued or `wakePoll`/`wakeAll` is called, at most `ms`. */
  waitForRecords(ms: number, signal?: AbortSignal): Promise<void> {
    return this.recordsReady.wait(ms, signal);
  }

  /** The offset the next poll of a partition returns: its oldest queued record, else the next. */
  nextOffset(key: string): string | undefined {
    return this.queue.firstOffset(key) ?? this.positions.next(key);
  }

  /** The offset after the last record handed over, or undefined when none was. */
  handedOverUpTo(key: string): string | undefined {
    return this.positions.next(key);
  }

  pause(partitions: readonly TopicPartition[]): void {
    if (partitions.length === 0) return;
    for (const tp of partitions) this.paused.add(topicPartitionKey(tp));
    this.control.pause(partitions);
    this.recordsTaken.notify();
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (this.unpause(partitions)) this.recordsReady.notify();
  }

  /** Clears the pause of those partitions that are paused, here and in kafkajs. */
  unpause(partitions: readonly TopicPartition[]): boolean {
    const paused = partitions.filter((tp) => this.paused.has(topicPartitionKey(tp)));
    if (paused.length === 0) return false;
    for (const tp of paused) this.paused.delete(topicPartitionKey(tp));
    this.control.resume(paused);
    return true;
  }

  /** Drops a partition's queued records and position: its next owner reads from the commit. */
  forget(key: string): void {
    this.queue.drop(key);
    this.positions.forget(key);
  }

  /** Forgets every partition and pause (kafkajs left the group; a restart joins anew). */
  reset(): void {
    this.queue.clear();
    this.positions.clear();
    this.paused.clear();
  }

  /** Drops the queued records (the consumer closed). */
  clear(): void {
    this.queue.clear();
  }

  /** Wakes a waiting poll so it looks again (a rebalance event is pending). */
  wakePoll(): void {
    this.recordsReady.notify();
  }

  /** Wakes a waiting poll and a waiting fetch loop so both look again. */
  wakeAll(): void {
    this.recordsReady.notify();
    this.recordsTaken.notify();
  }
}
