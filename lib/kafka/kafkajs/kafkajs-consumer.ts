import type {
  ConsumerCrashEvent,
  ConsumerGroupJoinEvent,
  ConsumerStartBatchProcessEvent,
  EachBatchPayload,
  Consumer as KafkajsConsumerApi,
} from 'kafkajs';
import { topicPartitionKey, type RawRecord, type TopicPartition } from '../../record/stream-record';
import {
  CommitError,
  type CommitOffset,
  type Consumer,
  type PartitionLag,
  type PollOptions,
  type RebalanceListener,
} from '../client';
import { ConsumerCrashedError } from './consumer-crashed-error';
import { ConsumerRetirement } from './consumer-retirement';
import { messageOf } from '../../errors/message-of';
import { FetchBridge } from './fetch-bridge';
import { checkSubscription, SerialPolls } from '../serial-polls';
import { FetchControl } from './fetch-control';
import { HeartbeatWatch } from './heartbeat-watch';
import { isRebalanceError } from './is-rebalance-error';
import { LagProbe } from './lag-probe';
import { RebalanceTranslator } from './rebalance-translator';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import { connectError, isUnknownTopic } from './client-errors';
import type { KafkajsConsumerSettings } from './kafkajs-consumer-settings';
import { revocationTimeoutMs } from './revocation-timeout';

/**
 * The port's {@link Consumer} over a kafkajs consumer: it wires three parts together and
 * handles what none of them owns, crashes and close.
 *
 * kafkajs pushes batches (`eachBatch`); the port pulls (`poll`). The {@link FetchBridge}
 * hands a batch's records to a per-partition queue, moves the kafkajs fetch position to just
 * past them, and returns; `poll` drains the queue. When more than `maxQueuedRecords` wait,
 * `eachBatch` holds the fetch loop (heartbeating) until `poll` takes some.
 *
 * Rebalances (eager protocol, no revoke callback) show first as a heartbeat answered
 * `REBALANCE_IN_PROGRESS`. When the adapter's heartbeat ({@link HeartbeatWatch}) sees it —
 * inside `eachBatch` (after every batch, and while holding the fetch loop), or from a timer
 * when one falls due while kafkajs waits on a fetch — every owned partition is reported
 * revoked at the next `poll`, and `eachBatch` holds kafkajs's rejoin until `onRevoked` has
 * returned: the member is still in its generation, so the commits made there land. The new
 * assignment then arrives as assigned, from the committed offsets. A rebalance kafkajs
 * notices itself (its heartbeat after an empty fetch) is diffed at `GROUP_JOIN` instead
 * ({@link RebalanceTranslator}): revoked = old − new and assigned = new − old are reported
 * during the next `poll`, revoked first, and a retained partition keeps its queue and is
 * moved (`seek`) to just past the records already handed over, so kafkajs's restart from the
 * committed offset delivers nothing twice. docs/kafka.md explains the choices.
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
  private readonly bridge: FetchBridge;
  private readonly translator: RebalanceTranslator;
  private readonly heartbeats: HeartbeatWatch;
  /** A crash kafkajs recovers from: the next poll rejects with it once. */
  private crash: ConsumerCrashedError | undefined;
  /** A crash kafkajs does not recover from: every poll rejects with it. */
  private fatal: ConsumerCrashedError | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  /** One poll at a time: the listener must see rebalances in order. */
  private readonly polls = new SerialPolls((options) => this.pollNow(options));
  private readonly removeListeners: (() => void)[];
  private readonly lagProbe: LagProbe | undefined;
  /** Retired at close(): kafkajs must never run this consumer again (see consumer-retirement). */
  private readonly retirement: ConsumerRetirement;

  constructor(
    private readonly consumer: KafkajsConsumerApi,
    private readonly settings: KafkajsConsumerSettings,
  ) {
    const { groupId, logger } = settings;
    this.groupId = groupId;
    this.retirement = settings.retirement ?? new ConsumerRetirement();
    this.retirement.watch(consumer, groupId, logger);
    const heartbeatEveryMs = settings.heartbeatEveryMs ?? 500;
    const control = new FetchControl(consumer, logger, groupId);
    this.bridge = new FetchBridge(control, {
      owns: (key) => this.translator.owns(key),
      maxQueuedRecords: settings.maxQueuedRecords,
      heartbeatEveryMs,
    });
    this.translator = new RebalanceTranslator(this.bridge, control, logger, groupId);
    this.heartbeats = new HeartbeatWatch(this.translator, {
      groupId,
      heartbeatEveryMs,
      revokeTimeoutMs: settings.revokeTimeoutMs ?? revocationTimeoutMs({}),
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      isClosing: () => this.closing,
      logger,
    });
    this.lagProbe =
      settings.createAdmin === undefined
        ? undefined
        : new LagProbe(settings.createAdmin, groupId, settings.fromBeginning);
    this.removeListeners = [
      consumer.on(consumer.events.HEARTBEAT, () => this.heartbeats.beat()),
      consumer.on(consumer.events.START_BATCH_PROCESS, (event: ConsumerStartBatchProcessEvent) =>
        this.guard('START_BATCH_PROCESS', () => this.bridge.onFilteredBatch(event.payload)),
      ),
      consumer.on(consumer.events.GROUP_JOIN, (event: ConsumerGroupJoinEvent) =>
        this.guard('GROUP_JOIN', () => this.translator.onGroupJoin(event.payload.memberAssignment)),
      ),
      consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) =>
        this.guard('CRASH', () => this.onCrash(event.payload.error, event.payload.restart)),
      ),
    ];
  }

  async connect(): Promise<void> {
    const startedAt = Date.now();
    try {
      await this.consumer.connect();
    } catch (error) {
      throw connectError(
        error,
        this.settings.brokers ?? [],
        startedAt,
        Date.now(),
        this.settings.credentials,
      );
    }
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void> {
    checkSubscription(topics, this.listener !== undefined);
    this.listener = listener;
    try {
      await this.consumer.subscribe({
        topics: [...topics],
        fromBeginning: this.settings.fromBeginning,
      });
    } catch (error) {
      if (!isUnknownTopic(error)) throw error;
      throw new UnknownTopicError(await this.missing(topics), this.settings.brokers ?? [], error);
    }
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.heartbeats.whileBatchRuns(() => this.onBatch(payload)),
    });
  }

  /** Which of `topics` the cluster does not have (all of them when it cannot tell). */
  private async missing(topics: readonly string[]): Promise<readonly string[]> {
    const admin = this.settings.createAdmin?.();
    if (admin === undefined) return topics;
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      return missing.length === 0 ? topics : missing;
    } catch {
      return topics;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  poll(options: PollOptions): Promise<readonly RawRecord[]> {
    return this.polls.poll(options);
  }

  pause(partitions: readonly TopicPartition[]): void {
    // Only partitions the listener was told about and kafkajs still owns.
    this.bridge.pause(
      partitions.filter((tp) => this.translator.isAnnounced(topicPartitionKey(tp))),
    );
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.bridge.resume(partitions);
  }

  assignment(): readonly TopicPartition[] {
    return this.translator.assignment();
  }

  lag(partitions: readonly TopicPartition[]): Promise<readonly PartitionLag[]> {
    if (this.lagProbe === undefined) {
      return Promise.reject(new Error('lag() needs KafkajsConsumerSettings.createAdmin'));
    }
    const owned = partitions.filter((tp) => this.translator.owns(topicPartitionKey(tp)));
    // The next record poll returns: the oldest queued one, else the first not handed over yet.
    return this.lagProbe.lag(owned, (key) => this.bridge.nextOffset(key));
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    const owns = (o: CommitOffset): boolean => this.translator.owns(topicPartitionKey(o));
    const mine = offsets.filter(owns);
    if (mine.length < offsets.length) {
      this.settings.logger.debug('commit skips partitions this member does not own', {
        groupId: this.groupId,
        skipped: offsets.filter((o) => !owns(o)),
      });
    }
    if (mine.length === 0) return;
    try {
      await this.consumer.commitOffsets(
        mine.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      );
    } catch (e) {
      throw new CommitError(
        `commit for group ${this.groupId} failed: ${messageOf(e)}`,
        isRebalanceError(e),
        { cause: e },
      );
    }
  }

  close(): Promise<void> {
    this.closed ??= this.closeNow();
    return this.closed;
  }

  private async closeNow(): Promise<void> {
    this.closing = true;
    this.retirement.retire();
    // A leftover kafkajs runner must get a batch, to meet the retirement and stop for good.
    this.bridge.unpause(this.translator.ownedPartitions());
    this.heartbeats.stop();
    this.translator.interruptRevocation();
    this.bridge.wakeAll();
    try {
      await Promise.all([this.consumer.disconnect(), this.lagProbe?.close()]);
    } finally {
      for (const remove of this.removeListeners) remove();
      this.bridge.clear();
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
      await this.translator.deliverEvents(this.listener);
      if (this.fatal !== undefined) throw this.fatal;
      if (this.crash !== undefined) {
        const crash = this.crash;
        this.crash = undefined;
        throw crash;
      }
      const records = this.bridge.take(maxRecords, (key) => this.translator.isAnnounced(key));
      if (records.length > 0) return records;
      // An event queued while the listener was awaited must not wait for the next wake-up.
      if (this.translator.hasPendingEvents) continue;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.closing || signal?.aborted === true) return [];
      await this.bridge.waitForRecords(remaining, signal);
    }
  }

  private onCrash(error: Error, restart: boolean): void {
    if (this.closing) return;
    // kafkajs left the group: everything is revoked, and a restart joins as a new member.
    this.heartbeats.stop();
    this.translator.onLeftGroup();
    const crashed = new ConsumerCrashedError(this.groupId, restart, { cause: error });
    if (restart) this.crash = crashed;
    else this.fatal = crashed;
    this.settings.logger.error(crashed.message, { groupId: this.groupId, restart });
    this.bridge.wakeAll();
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    if (this.retirement.retired && payload.isRunning()) throw this.retirement.refusal(this.groupId);
    if (this.closing || !payload.isRunning()) return;
    this.heartbeats.capture(payload);
    // Once a revocation has begun nothing is handed over: kafkajs must rejoin first.
    const { revocation } = this.translator;
    if (revocation !== undefined) return this.heartbeats.awaitRevocation(payload, revocation);
    const handedOver = this.bridge.handOver(payload);
    // kafkajs heartbeats after the batch too (throttled to heartbeatInterval): heartbeating
    // first makes a rebalance show up here, where the rejoin can wait for onRevoked.
    await this.heartbeats.heartbeat(payload);
    if (!handedOver) return;
    const { isRunning, isStale } = payload;
    const generation = this.translator.generation;
    await this.bridge.waitForPoll({
      gaveUp: () =>
        this.closing || generation !== this.translator.generation || !isRunning() || isStale(),
      heartbeat: () => this.heartbeats.heartbeat(payload),
    });
  }

  /** kafkajs calls event listeners synchronously: an exception must not reach its join loop. */
  private guard(event: string, handle: () => void): void {
    try {
      handle();
    } catch (e) {
      this.settings.logger.error(`handling kafkajs ${event} failed`, {
        groupId: this.groupId,
        error: messageOf(e),
      });
    }
  }
}
