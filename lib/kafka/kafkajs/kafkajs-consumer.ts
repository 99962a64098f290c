import type {
  ConsumerCrashEvent,
  ConsumerGroupJoinEvent,
  EachBatchPayload,
  Consumer as KafkajsConsumerApi,
  TopicPartitions,
} from 'kafkajs';
import type { Logger } from '../../logger/logger';
import { topicPartitionKey, type RawRecord, type TopicPartition } from '../../record/stream-record';
import {
  CommitError,
  type CommitOffset,
  type Consumer,
  type PollOptions,
  type RebalanceListener,
} from '../client';
import { assignmentDiff, fromMemberAssignment } from './assignment-diff';
import { ConsumerCrashedError } from './consumer-crashed-error';
import { isRebalanceError } from './is-rebalance-error';
import { PartitionPositions } from './partition-positions';
import { rebalanceEvents, type RebalanceEvent } from './rebalance-event';
import { RecordQueue } from './record-queue';
import { toRawRecord } from './to-raw-record';
import { Wakeup } from './wakeup';

/** What a {@link KafkajsConsumer} needs besides the kafkajs consumer. */
export interface KafkajsConsumerSettings {
  readonly groupId: string;
  /** Start from the earliest offset when the group has no committed offset. */
  readonly fromBeginning: boolean;
  /** Fetched-but-unpolled records (of unpaused partitions) above which the fetch loop waits. */
  readonly maxQueuedRecords: number;
  /** How often a waiting fetch loop heartbeats, in ms (kafkajs throttles to heartbeatInterval). */
  readonly heartbeatEveryMs?: number;
  readonly logger: Logger;
}

const byTopic = (tps: readonly TopicPartition[]): TopicPartitions[] => {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of tps) {
    const partitions = topics.get(topic);
    if (partitions === undefined) topics.set(topic, [partition]);
    else partitions.push(partition);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
};

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The port's {@link Consumer} over a kafkajs consumer.
 *
 * kafkajs pushes batches (`eachBatch`); the port pulls (`poll`). `eachBatch` hands a batch's
 * records to a per-partition queue, moves the kafkajs fetch position to just past them, and
 * returns; `poll` drains the queue. When more than `maxQueuedRecords` wait, `eachBatch`
 * holds the fetch loop (heartbeating) until `poll` takes some.
 *
 * Rebalances come from `GROUP_JOIN` (eager protocol, no revoke callback): revoked = old −
 * new and assigned = new − old are reported through the listener during the next `poll`,
 * revoked first. A retained partition keeps its queue and is moved (`seek`) to just past
 * the records already handed over, so kafkajs's restart from the committed offset delivers
 * nothing twice. docs/kafka.md explains the choices.
 *
 * @example
 * const consumer = new KafkajsConsumer(kafka.consumer({ groupId: 'g' }), {
 *   groupId: 'g', fromBeginning: true, maxQueuedRecords: 10_000, logger: noopLogger,
 * });
 * await consumer.connect();
 * await consumer.subscribe(['orders'], listener);
 * const records = await consumer.poll({ maxRecords: 500, timeoutMs: 1000 });
 */
export class KafkajsConsumer implements Consumer {
  readonly groupId: string;
  private listener: RebalanceListener | undefined;
  /** kafkajs's current assignment (from the last GROUP_JOIN). */
  private owned = new Map<string, TopicPartition>();
  /** The assignment the listener has been told about. */
  private readonly delivered = new Map<string, TopicPartition>();
  private readonly pending: RebalanceEvent[] = [];
  private readonly queue = new RecordQueue();
  private readonly positions = new PartitionPositions();
  private readonly paused = new Set<string>();
  private readonly recordsReady = new Wakeup();
  private readonly recordsTaken = new Wakeup();
  /** A crash kafkajs recovers from: the next poll rejects with it once. */
  private crash: ConsumerCrashedError | undefined;
  /** A crash kafkajs does not recover from: every poll rejects with it. */
  private fatal: ConsumerCrashedError | undefined;
  /** Bumped by every rejoin and crash: a waiting eachBatch of an older one gives up. */
  private generation = 0;
  private closing = false;
  private closed: Promise<void> | undefined;
  private pollChain: Promise<unknown> = Promise.resolve();
  private readonly removeListeners: (() => void)[];

  constructor(
    private readonly consumer: KafkajsConsumerApi,
    private readonly settings: KafkajsConsumerSettings,
  ) {
    this.groupId = settings.groupId;
    this.removeListeners = [
      consumer.on(consumer.events.GROUP_JOIN, (event: ConsumerGroupJoinEvent) =>
        this.guard('GROUP_JOIN', () => this.onGroupJoin(event.payload.memberAssignment)),
      ),
      consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) =>
        this.guard('CRASH', () => this.onCrash(event.payload.error, event.payload.restart)),
      ),
    ];
  }

  async connect(): Promise<void> {
    await this.consumer.connect();
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void> {
    if (this.listener !== undefined) {
      throw new Error('subscribe() was already called on this consumer: create another consumer');
    }
    if (!Array.isArray(topics) || topics.length === 0) {
      throw new TypeError('subscribe() needs a non-empty array of topic names');
    }
    for (const topic of topics) {
      if (typeof topic !== 'string' || topic === '') {
        throw new TypeError(`subscribe(): invalid topic name ${JSON.stringify(topic)}`);
      }
    }
    this.listener = listener;
    await this.consumer.subscribe({
      topics: [...topics],
      fromBeginning: this.settings.fromBeginning,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  poll(options: PollOptions): Promise<readonly RawRecord[]> {
    const { maxRecords, timeoutMs } = options;
    if (!Number.isInteger(maxRecords) || maxRecords < 1) {
      return Promise.reject(
        new RangeError(`poll(): maxRecords must be an integer >= 1, got ${maxRecords}`),
      );
    }
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      return Promise.reject(new RangeError(`poll(): timeoutMs must be >= 0, got ${timeoutMs}`));
    }
    // One poll at a time: the listener must see rebalances in order.
    const run = this.pollChain.then(() => this.pollNow(options));
    this.pollChain = run.catch(() => undefined);
    return run;
  }

  pause(partitions: readonly TopicPartition[]): void {
    // Only partitions the listener was told about and kafkajs still owns.
    const mine = partitions.filter((tp) => {
      const key = topicPartitionKey(tp);
      return this.delivered.has(key) && this.owned.has(key);
    });
    if (mine.length === 0) return;
    for (const tp of mine) this.paused.add(topicPartitionKey(tp));
    this.kafkajs('pause', () => this.consumer.pause(byTopic(mine)));
    this.recordsTaken.notify();
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (this.unpause(partitions)) this.recordsReady.notify();
  }

  assignment(): readonly TopicPartition[] {
    return [...this.delivered.values()];
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    const mine = offsets.filter((o) => this.owned.has(topicPartitionKey(o)));
    if (mine.length < offsets.length) {
      this.settings.logger.debug('commit skips partitions this member does not own', {
        groupId: this.groupId,
        skipped: offsets.filter((o) => !this.owned.has(topicPartitionKey(o))),
      });
    }
    if (mine.length === 0) return;
    try {
      await this.consumer.commitOffsets(
        mine.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      );
    } catch (e) {
      throw new CommitError(
        `commit for group ${this.groupId} failed: ${describe(e)}`,
        isRebalanceError(e),
        {
          cause: e,
        },
      );
    }
  }

  close(): Promise<void> {
    this.closed ??= this.closeNow();
    return this.closed;
  }

  private async closeNow(): Promise<void> {
    this.closing = true;
    this.recordsReady.notify();
    this.recordsTaken.notify();
    try {
      await this.consumer.disconnect();
    } finally {
      for (const remove of this.removeListeners) remove();
      this.queue.clear();
    }
  }

  private async pollNow({
    maxRecords,
    timeoutMs,
    signal,
  }: PollOptions): Promise<readonly RawRecord[]> {
    if (this.listener === undefined) throw new Error('poll() before subscribe()');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.deliverEvents(this.listener);
      if (this.fatal !== undefined) throw this.fatal;
      if (this.crash !== undefined) {
        const crash = this.crash;
        this.crash = undefined;
        throw crash;
      }
      const records = this.queue.take(
        maxRecords,
        (key) => this.delivered.has(key) && this.owned.has(key) && !this.paused.has(key),
      );
      if (records.length > 0) {
        this.recordsTaken.notify();
        return records;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.closing || signal?.aborted === true) return [];
      await this.recordsReady.wait(remaining, signal);
    }
  }

  /** Reports pending rebalances, in the order they happened. */
  private async deliverEvents(listener: RebalanceListener): Promise<void> {
    for (let event = this.pending.shift(); event !== undefined; event = this.pending.shift()) {
      const { partitions } = event;
      if (event._tag === 'Revoked') {
        try {
          await listener.onRevoked(partitions);
        } finally {
          for (const tp of partitions) this.delivered.delete(topicPartitionKey(tp));
          // A pause belongs to one ownership: a partition assigned again starts unpaused.
          this.unpause(partitions);
        }
      } else {
        for (const tp of partitions) this.delivered.set(topicPartitionKey(tp), tp);
        await listener.onAssigned(partitions);
      }
    }
  }

  private onGroupJoin(memberAssignment: Record<string, number[]>): void {
    const next = fromMemberAssignment(memberAssignment);
    const diff = assignmentDiff([...this.owned.values()], next);
    this.unpause(diff.revoked);
    for (const tp of diff.revoked) this.forget(topicPartitionKey(tp));
    // kafkajs restarts a retained partition from the committed offset: move it past what
    // was handed over already (its queued records stay queued).
    for (const tp of diff.retained) {
      const offset = this.positions.next(topicPartitionKey(tp));
      if (offset !== undefined) this.kafkajs('seek', () => this.consumer.seek({ ...tp, offset }));
    }
    this.owned = new Map(next.map((tp) => [topicPartitionKey(tp), tp]));
    this.generation += 1;
    this.pending.push(...rebalanceEvents(diff));
    this.settings.logger.debug('kafkajs consumer joined the group', {
      groupId: this.groupId,
      revoked: diff.revoked,
      assigned: diff.assigned,
      retained: diff.retained,
    });
    this.recordsReady.notify();
    this.recordsTaken.notify();
  }

  private onCrash(error: Error, restart: boolean): void {
    if (this.closing) return;
    // kafkajs left the group: everything is revoked, and a restart joins as a new member.
    const revoked = [...this.owned.values()];
    this.owned = new Map();
    this.queue.clear();
    this.positions.clear();
    this.paused.clear();
    this.generation += 1;
    this.pending.push(...rebalanceEvents({ revoked, assigned: [] }));
    const crashed = new ConsumerCrashedError(this.groupId, restart, { cause: error });
    if (restart) this.crash = crashed;
    else this.fatal = crashed;
    this.settings.logger.error(crashed.message, { groupId: this.groupId, restart });
    this.recordsReady.notify();
    this.recordsTaken.notify();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, isRunning, isStale } = payload;
    const key = topicPartitionKey(batch);
    // A paused partition's batch is left unresolved: kafkajs fetches it again on resume.
    if (this.closing || !isRunning() || isStale() || !this.owned.has(key) || this.paused.has(key)) {
      return;
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last === undefined) return;
    const records = batch.messages
      .filter((message) => this.positions.accepts(key, message.offset))
      .map((message) => toRawRecord(batch.topic, batch.partition, message));
    const lastRecord = records[records.length - 1];
    if (lastRecord !== undefined) {
      this.queue.push(key, records);
      this.positions.advance(key, lastRecord.offset);
    }
    // The fetch position moves to just past what was handed over (never further).
    const next = this.positions.next(key);
    const lastHandedOver = next === undefined ? undefined : BigInt(next) - 1n;
    resolveOffset(
      lastHandedOver !== undefined && lastHandedOver > BigInt(last.offset)
        ? lastHandedOver.toString()
        : last.offset,
    );
    if (lastRecord !== undefined) this.recordsReady.notify();
    await this.waitForPoll(payload);
  }

  /** Holds the fetch loop while too many records wait for poll, heartbeating meanwhile. */
  private async waitForPoll({ heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const generation = this.generation;
    const heartbeatEveryMs = this.settings.heartbeatEveryMs ?? 500;
    const gaveUp = (): boolean =>
      this.closing || generation !== this.generation || !isRunning() || isStale();
    while (this.queue.size((key) => !this.paused.has(key)) > this.settings.maxQueuedRecords) {
      if (gaveUp()) return;
      await this.recordsTaken.wait(heartbeatEveryMs);
      if (gaveUp()) return;
      // Throws when the group rebalances: kafkajs then rejoins, as after any fetch.
      await heartbeat();
    }
  }

  private forget(key: string): void {
    this.queue.drop(key);
    this.positions.forget(key);
  }

  /** Clears the pause of those partitions that are paused, here and in kafkajs. */
  private unpause(partitions: readonly TopicPartition[]): boolean {
    const paused = partitions.filter((tp) => this.paused.has(topicPartitionKey(tp)));
    if (paused.length === 0) return false;
    for (const tp of paused) this.paused.delete(topicPartitionKey(tp));
    this.kafkajs('resume', () => this.consumer.resume(byTopic(paused)));
    return true;
  }

  /** Runs a kafkajs call that fails only when its consumer is not running (stopping, crashed). */
  private kafkajs(what: string, call: () => void): void {
    try {
      call();
    } catch (e) {
      this.settings.logger.warn(`kafkajs ${what} failed`, {
        groupId: this.groupId,
        error: describe(e),
      });
    }
  }

  /** kafkajs calls event listeners synchronously: an exception must not reach its join loop. */
  private guard(event: string, handle: () => void): void {
    try {
      handle();
    } catch (e) {
      this.settings.logger.error(`handling kafkajs ${event} failed`, {
        groupId: this.groupId,
        error: describe(e),
      });
    }
  }
}
