import type {
  Admin,
  ConsumerCrashEvent,
  ConsumerGroupJoinEvent,
  ConsumerStartBatchProcessEvent,
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
  type PartitionLag,
  type PollOptions,
  type RebalanceListener,
} from '../client';
import { assignmentDiff, fromMemberAssignment } from './assignment-diff';
import { ConsumerCrashedError } from './consumer-crashed-error';
import { ConsumerRetirement } from './consumer-retirement';
import { DueHeartbeat } from './due-heartbeat';
import { EarlyRevocation } from './early-revocation';
import { isRebalanceError, isRebalanceInProgress } from './is-rebalance-error';
import { LagProbe } from './lag-probe';
import { PartitionPositions } from './partition-positions';
import { rebalanceEvents, type RebalanceEvent } from './rebalance-event';
import { RecordQueue } from './record-queue';
import { revocationTimeoutMs } from './revocation-timeout';
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
  /**
   * Longest `eachBatch` holds kafkajs's rejoin while `onRevoked` runs after a heartbeat reported
   * a rebalance, in ms (default: {@link revocationTimeoutMs} of kafkajs's defaults; 0: no wait).
   */
  readonly revokeTimeoutMs?: number;
  /**
   * kafkajs's `heartbeatInterval`, in ms. Given, a heartbeat that falls due while no
   * `eachBatch` runs (kafkajs waits on a fetch) is sent at once, so a rebalance is seen before
   * kafkajs's own heartbeat after an empty fetch rejoins. Absent, only eachBatch heartbeats.
   */
  readonly heartbeatIntervalMs?: number;
  /** Makes the admin client `lag()` asks the broker with (absent: `lag()` rejects). */
  readonly createAdmin?: () => Admin;
  readonly logger: Logger;
  /**
   * Retired at close(), so kafkajs never runs this consumer again (absent: one of its own;
   * kafkajsClient() passes the one its `retry.restartOnFailure` answers from).
   */
  readonly retirement?: ConsumerRetirement;
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
 * Rebalances (eager protocol, no revoke callback) show first as a heartbeat answered
 * `REBALANCE_IN_PROGRESS`. When the adapter's heartbeat sees it — inside `eachBatch` (after
 * every batch, and while holding the fetch loop), or from a timer when one falls due while
 * kafkajs waits on a fetch — every owned partition is reported revoked at the next `poll`,
 * and `eachBatch` holds kafkajs's rejoin until `onRevoked` has returned: the member is still
 * in its generation, so the commits made there land. The new assignment then arrives as
 * assigned, from the committed offsets. A rebalance kafkajs notices itself (its heartbeat
 * after an empty fetch) is diffed at `GROUP_JOIN` instead: revoked = old −
 * new and assigned = new − old are reported during the next `poll`, revoked first, and a
 * retained partition keeps its queue and is moved (`seek`) to just past the records already
 * handed over, so kafkajs's restart from the committed offset delivers nothing twice.
 * docs/kafka.md explains the choices.
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
  /** A revocation begun on a heartbeat of the adapter's own, until kafkajs rejoins. */
  private revocation: EarlyRevocation | undefined;
  /** eachBatch calls under way (kafkajs runs one at a time per worker). */
  private batchesRunning = 0;
  private readonly dueHeartbeat: DueHeartbeat | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private pollChain: Promise<unknown> = Promise.resolve();
  private readonly removeListeners: (() => void)[];
  private readonly lagProbe: LagProbe | undefined;
  private readonly retirement: ConsumerRetirement;

  constructor(
    private readonly consumer: KafkajsConsumerApi,
    private readonly settings: KafkajsConsumerSettings,
  ) {
    this.groupId = settings.groupId;
    this.retirement = settings.retirement ?? new ConsumerRetirement();
    this.retirement.watch(consumer, settings.groupId, settings.logger);
    const interval = settings.heartbeatIntervalMs;
    this.dueHeartbeat =
      interval === undefined
        ? undefined
        : new DueHeartbeat(interval, (heartbeat) => this.heartbeatWhileFetching(heartbeat));
    this.lagProbe =
      settings.createAdmin === undefined
        ? undefined
        : new LagProbe(settings.createAdmin, settings.groupId, settings.fromBeginning);
    this.removeListeners = [
      consumer.on(consumer.events.HEARTBEAT, () => this.dueHeartbeat?.beat()),
      consumer.on(consumer.events.START_BATCH_PROCESS, (event: ConsumerStartBatchProcessEvent) =>
        this.guard('START_BATCH_PROCESS', () => this.onFilteredBatch(event.payload)),
      ),
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

  lag(partitions: readonly TopicPartition[]): Promise<readonly PartitionLag[]> {
    if (this.lagProbe === undefined) {
      return Promise.reject(new Error('lag() needs KafkajsConsumerSettings.createAdmin'));
    }
    const owned = partitions.filter((tp) => this.owned.has(topicPartitionKey(tp)));
    // The next record poll returns: the oldest queued one, else the first not handed over yet.
    return this.lagProbe.lag(
      owned,
      (key) => this.queue.firstOffset(key) ?? this.positions.next(key),
    );
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
    // kafkajs's disconnect() may leave a runner (one starting, or a crash's restart) running:
    // see consumer-retirement.ts. Resumed, a paused partition of it reaches eachBatch, which stops it.
    this.retirement.retire();
    this.unpause([...this.owned.values()]);
    this.dueHeartbeat?.stop();
    this.revocation?.interrupt();
    this.recordsReady.notify();
    this.recordsTaken.notify();
    try {
      await Promise.all([this.consumer.disconnect(), this.lagProbe?.close()]);
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
      // An event queued while the listener was awaited must not wait for the next wake-up.
      if (this.pending.length > 0) continue;
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
          event.reported?.();
        }
      } else {
        for (const tp of partitions) this.delivered.set(topicPartitionKey(tp), tp);
        await listener.onAssigned(partitions);
      }
    }
  }

  private onGroupJoin(memberAssignment: Record<string, number[]>): void {
    const next = fromMemberAssignment(memberAssignment);
    // After a revocation of its own the member rejoined owning nothing: the whole new
    // assignment is assigned, each partition from its committed offset.
    const diff = assignmentDiff(this.endRevocation(), next);
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
    this.dueHeartbeat?.stop();
    const revoked = this.endRevocation();
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

  /**
   * kafkajs moves past a batch that holds only control records or aborted messages by itself,
   * without eachBatch: the handed-over position follows, or `lag()` would count them.
   */
  private onFilteredBatch(batch: ConsumerStartBatchProcessEvent['payload']): void {
    const key = topicPartitionKey(batch);
    if (batch.batchSize === 0 && this.owned.has(key)) this.positions.advance(key, batch.lastOffset);
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    this.batchesRunning += 1;
    try {
      await this.handleBatch(payload);
    } finally {
      this.batchesRunning -= 1;
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    // A runner that still runs after close() (consumer-retirement.ts) crashes here for good.
    if (this.retirement.retired && payload.isRunning()) throw this.retirement.refusal(this.groupId);
    if (this.closing || !payload.isRunning()) return;
    this.dueHeartbeat?.capture(payload.heartbeat);
    // Once a revocation has begun nothing is handed over: kafkajs must rejoin first.
    if (this.revocation !== undefined) return this.awaitRevocation(payload, this.revocation);
    const handedOver = this.handOver(payload);
    // kafkajs heartbeats after the batch too (throttled to heartbeatInterval): heartbeating
    // first makes a rebalance show up here, where the rejoin can wait for onRevoked.
    await this.heartbeat(payload);
    if (handedOver) await this.waitForPoll(payload);
  }

  /** Queues the batch's new records and resolves the fetch position; false when not taken. */
  private handOver({ batch, resolveOffset, isStale }: EachBatchPayload): boolean {
    const key = topicPartitionKey(batch);
    // A paused partition's batch is left unresolved: kafkajs fetches it again on resume.
    if (isStale() || !this.owned.has(key) || this.paused.has(key)) return false;
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
    const lastHandedOver = next === undefined ? undefined : BigInt(next) - 1n;
    resolveOffset(
      lastHandedOver !== undefined && lastHandedOver > BigInt(last.offset)
        ? lastHandedOver.toString()
        : last.offset,
    );
    if (lastRecord !== undefined) this.recordsReady.notify();
    return true;
  }

  /** Holds the fetch loop while too many records wait for poll, heartbeating meanwhile. */
  private async waitForPoll(payload: EachBatchPayload): Promise<void> {
    const { isRunning, isStale } = payload;
    const generation = this.generation;
    const heartbeatEveryMs = this.settings.heartbeatEveryMs ?? 500;
    const gaveUp = (): boolean =>
      this.closing || generation !== this.generation || !isRunning() || isStale();
    while (this.queue.size((key) => !this.paused.has(key)) > this.settings.maxQueuedRecords) {
      if (gaveUp()) return;
      await this.recordsTaken.wait(heartbeatEveryMs);
      if (gaveUp()) return;
      await this.heartbeat(payload);
    }
  }

  /**
   * Heartbeats (kafkajs sends one only when heartbeatInterval has passed). One answered
   * `REBALANCE_IN_PROGRESS` has every owned partition revoked, through the next poll, before
   * it is thrown on for kafkajs to rejoin; other failures are thrown on at once.
   */
  private async heartbeat(payload: EachBatchPayload): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (e) {
      if (!isRebalanceInProgress(e) || this.closing || !payload.isRunning()) throw e;
      await this.awaitRevocation(payload, this.revocation ?? this.beginRevocation(e, 'eachBatch'));
    }
  }

  /**
   * A heartbeat fell due while no eachBatch runs: kafkajs is waiting on a fetch. Sent now, a
   * rebalance shows up here, and onRevoked can run while the fetch lasts; kafkajs's own
   * heartbeat after it would rejoin at once if the fetch brings nothing, while a batch it
   * brings waits in eachBatch for the revocation.
   */
  private heartbeatWhileFetching(heartbeat: () => Promise<void>): void {
    if (this.closing || this.batchesRunning > 0 || this.revocation !== undefined) return;
    heartbeat().catch((e: unknown) => {
      if (isRebalanceInProgress(e) && !this.closing && this.revocation === undefined) {
        this.beginRevocation(e, 'between fetches');
      } else {
        this.settings.logger.debug('heartbeat between fetches failed', {
          groupId: this.groupId,
          error: describe(e),
        });
      }
    });
  }

  /** Reports every owned partition revoked at the next poll, while they are still owned. */
  private beginRevocation(
    cause: unknown,
    seenIn: 'eachBatch' | 'between fetches',
  ): EarlyRevocation {
    const revocation = new EarlyRevocation([...this.owned.values()], cause);
    const { partitions } = revocation;
    this.revocation = revocation;
    // Their records are read again by the next owner (this member too) from the commit
    // onRevoked makes: what was queued or handed over counts for nothing any more.
    for (const key of revocation.keys) this.forget(key);
    if (partitions.length === 0) revocation.reported();
    else this.pending.push({ _tag: 'Revoked', partitions, reported: () => revocation.reported() });
    this.settings.logger.info(
      'the group is rebalancing: revoking every partition before rejoining',
      {
        groupId: this.groupId,
        seenIn,
        revoked: partitions,
      },
    );
    this.recordsReady.notify();
    return revocation;
  }

  /**
   * Holds kafkajs's rejoin until `onRevoked` has returned (bounded by `revokeTimeoutMs`),
   * heartbeating meanwhile, then throws the heartbeat's error so kafkajs rejoins. Returns
   * without throwing when the consumer stops or the group moved on.
   */
  private async awaitRevocation(
    payload: EachBatchPayload,
    revocation: EarlyRevocation,
  ): Promise<void> {
    const timeoutMs = this.settings.revokeTimeoutMs ?? revocationTimeoutMs({});
    const outcome = await revocation.wait({
      timeoutMs,
      tickEveryMs: this.settings.heartbeatEveryMs ?? 500,
      giveUp: () => this.closing || !payload.isRunning() || revocation !== this.revocation,
      tick: () => this.keepAlive(payload),
    });
    if (outcome === 'gaveUp') return;
    if (outcome === 'timedOut') {
      this.settings.logger.warn('onRevoked did not return in time; rejoining the group anyway', {
        groupId: this.groupId,
        revokeTimeoutMs: timeoutMs,
      });
    }
    throw revocation.cause;
  }

  /** While the group prepares a rebalance it still drops a member that stops heartbeating. */
  private async keepAlive({ heartbeat }: EachBatchPayload): Promise<void> {
    try {
      await heartbeat();
    } catch (e) {
      if (!isRebalanceInProgress(e)) throw e;
    }
  }

  /**
   * Ends the adapter's own revocation (kafkajs rejoined or crashed) and returns kafkajs's old
   * assignment less the partitions that revocation has reported, or will report, revoked.
   */
  private endRevocation(): TopicPartition[] {
    const revoked = this.revocation?.keys;
    this.revocation?.interrupt();
    this.revocation = undefined;
    return [...this.owned.values()].filter(
      (tp) => revoked === undefined || !revoked.has(topicPartitionKey(tp)),
    );
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
