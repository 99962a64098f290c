import type { LazyConnection } from '../lazy-connection';
import { connectedClient } from './connected-client';
import type {
  Consumer as KafkatsConsumerApi,
  KafkaClient,
  Message,
  RunBatchOptions,
} from '@kafkats/client';
import { topicPartitionKey, type RawRecord, type TopicPartition } from '../../record/stream-record';
import {
  CommitError,
  type CommitOffset,
  type Consumer,
  type PartitionLag,
  type PollOptions,
  type RebalanceListener,
} from '../client';
import type { Logger } from '../../logger/logger';
import { messageOf } from '../../errors/message-of';
import { UnknownTopicError } from '../../errors/unknown-topic-error';
import { RecordQueue } from '../record-queue';
import { checkSubscription, SerialPolls } from '../serial-polls';
import { Wakeup } from '../wakeup';
import type { RebalanceEvent } from '../kafkajs/rebalance-event';
import {
  kafkatsInternals,
  type KafkatsConsumerInternals,
  type KafkatsPartition,
  type KafkatsPartitionStart,
} from './kafkats-internals';
import { kafkatsConnectError, isRebalanceCode } from './kafkats-errors';
import { KafkatsConsumerStoppedError } from './kafkats-consumer-stopped-error';
import { isUnreachableNoise } from './kafkats-logger';

/** What a {@link KafkatsConsumer} needs besides the @kafkats/client objects. */
export interface KafkatsConsumerSettings {
  readonly groupId: string;
  readonly brokers: readonly string[];
  /** Fetched-but-unpolled records of unpaused partitions above which fetching waits. */
  readonly maxQueuedRecords: number;
  /** Longest wait of a revocation for the runner's `onRevoked`, in ms. */
  readonly revokeTimeoutMs: number;
  readonly logger: Logger;
  /** Says who tried to connect, for errors (SASL mechanism and user; never the password). */
  readonly credentials?: string | undefined;
  /** Builds the client `lag()` asks the broker with: its own connections, not the fetch ones. */
  readonly createClient: () => KafkaClient;
}

/** A @kafkats/client message as the port's record. */
export const toRawRecord = (message: Message): RawRecord => ({
  topic: message.topic,
  partition: message.partition,
  offset: message.offset.toString(),
  timestamp: Number(message.timestamp),
  key: message.key,
  value: message.value as Buffer | null,
  headers: message.headers,
});

const same = (tp: KafkatsPartition): TopicPartition => ({
  topic: tp.topic,
  partition: tp.partition,
});

/**
 * The port's {@link Consumer} over a @kafkats/client consumer.
 *
 * @kafkats/client runs its own loop (`runBatch`): it fetches in the background, hands each
 * partition's batches to a handler, and rebalances between batches. The handler here queues a
 * batch's records and returns (waiting only while more than `maxQueuedRecords` wait for `poll`);
 * `poll` drains the queue. Pause and resume are @kafkats/client's own, per partition (a
 * paused partition's buffered fetches are dropped and fetched again on resume; its queued
 * records stay queued and are not returned until it is resumed).
 *
 * Rebalances are @kafkats/client's, cooperative by default: a retained partition is neither
 * revoked nor restarted. Its group code awaits the revocation callback before partitions move,
 * while their offsets can still be committed; the adapter hooks there, reports the partitions
 * revoked at the next `poll` and waits until the runner's `onRevoked` has returned (drained
 * and committed), or `revokeTimeoutMs`. Assigned partitions are reported at the next `poll`;
 * their records are returned only after `onAssigned`. Commits go through the run's offset
 * manager, which skips partitions the member no longer owns.
 *
 * @example
 * const consumer = new KafkatsConsumer(kafka, kafka.consumer({ groupId: 'g' }), settings);
 * await consumer.connect();
 * await consumer.subscribe(['orders'], listener);
 * const records = await consumer.poll({ maxRecords: 500, timeoutMs: 1000 });
 */
export class KafkatsConsumer implements Consumer {
  readonly groupId: string;
  private listener: RebalanceListener | undefined;
  private readonly internals: KafkatsConsumerInternals;
  private readonly queue = new RecordQueue();
  private readonly recordsReady = new Wakeup();
  private readonly spaceFreed = new Wakeup();
  /** Partitions @kafkats/client owns and has not begun to revoke. */
  private readonly owned = new Map<string, TopicPartition>();
  /** Partitions the listener was told about (and not yet told are revoked). */
  private readonly announced = new Map<string, TopicPartition>();
  private readonly paused = new Set<string>();
  /** Per partition, the offset just past the records handed over to the queue. */
  private readonly handedOver = new Map<string, string>();
  /** Per partition, where fetching started at its assignment. */
  private readonly started = new Map<string, string>();
  private readonly pending: RebalanceEvent[] = [];
  private readonly revocations = new Set<() => void>();
  private fatal: Error | undefined;
  private running: Promise<void> | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  /** One poll at a time: the listener must see rebalances in order. */
  private readonly polls = new SerialPolls((options) => this.pollNow(options));
  private readonly lagClient: LazyConnection<KafkaClient>;

  constructor(
    private readonly client: KafkaClient,
    private readonly consumer: KafkatsConsumerApi,
    private readonly settings: KafkatsConsumerSettings,
  ) {
    this.groupId = settings.groupId;
    this.lagClient = connectedClient(settings.createClient);
    this.internals = kafkatsInternals(consumer);
    this.hookRebalances();
    // An 'error' event without a listener would throw out of @kafkats/client's loop.
    consumer.on('error', (error) => {
      if (this.closing) return;
      const message = messageOf(error);
      const level = isUnreachableNoise({ error: message }) ? 'debug' : 'warn';
      settings.logger[level](`@kafkats/client consumer error: ${message}`, {
        groupId: this.groupId,
      });
    });
  }

  async connect(): Promise<void> {
    const startedAt = Date.now();
    try {
      await this.client.connect();
    } catch (error) {
      throw kafkatsConnectError(error, this.settings, startedAt);
    }
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void> {
    checkSubscription(topics, this.listener !== undefined);
    const existing = new Set(await this.client.admin().listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new UnknownTopicError(missing, this.settings.brokers, undefined);
    }
    this.listener = listener;
    // Its generic subscription types are too deep for a plain string[]: one concrete signature.
    const runBatch = this.consumer.runBatch.bind(this.consumer) as unknown as (
      topics: string[],
      handler: (batch: Message[]) => Promise<void>,
      options: RunBatchOptions,
    ) => Promise<void>;
    this.running = runBatch([...topics], (batch) => this.onBatch(batch), {
      commitOffsets: false,
      autoCommit: false,
      // Every partition's handler may run at once: it only queues.
      partitionConcurrency: Number.MAX_SAFE_INTEGER,
    }).then(
      () => {
        if (!this.closing) this.fail(new KafkatsConsumerStoppedError(this.groupId, undefined));
      },
      (error: unknown) => {
        if (!this.closing) this.fail(new KafkatsConsumerStoppedError(this.groupId, error));
      },
    );
  }

  poll(options: PollOptions): Promise<readonly RawRecord[]> {
    return this.polls.poll(options);
  }

  pause(partitions: readonly TopicPartition[]): void {
    const mine = partitions.filter((tp) => this.isAnnounced(topicPartitionKey(tp)));
    if (mine.length === 0) return;
    for (const tp of mine) this.paused.add(topicPartitionKey(tp));
    this.control(() => this.consumer.pause(mine.map(same)));
    // Records of paused partitions do not count against maxQueuedRecords.
    this.spaceFreed.notify();
  }

  resume(partitions: readonly TopicPartition[]): void {
    const mine = partitions.filter((tp) => this.paused.delete(topicPartitionKey(tp)));
    if (mine.length === 0) return;
    this.control(() => this.consumer.resume(mine.map(same)));
    this.recordsReady.notify();
  }

  assignment(): readonly TopicPartition[] {
    return [...this.announced.values()].filter((tp) => this.owned.has(topicPartitionKey(tp)));
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    const manager = this.internals.offsetManager;
    const owns = (o: CommitOffset): boolean =>
      manager !== null && manager.isPartitionAssigned(o.topic, o.partition);
    const mine = offsets.filter(owns);
    if (mine.length < offsets.length) {
      this.settings.logger.debug('commit skips partitions this member does not own', {
        groupId: this.groupId,
        skipped: offsets.filter((o) => !owns(o)),
      });
    }
    if (manager === null || mine.length === 0) return;
    // The manager commits the offset after the one marked consumed.
    for (const { topic, partition, offset } of mine) {
      manager.markConsumed(topic, partition, BigInt(offset) - 1n);
    }
    try {
      await manager.commitPendingOffsets();
    } catch (e) {
      throw new CommitError(
        `commit for group ${this.groupId} failed: ${messageOf(e)}`,
        isRebalanceCode(e),
        { cause: e },
      );
    }
  }

  async lag(partitions: readonly TopicPartition[]): Promise<readonly PartitionLag[]> {
    const owned = partitions.filter((tp) => this.owned.has(topicPartitionKey(tp)));
    if (owned.length === 0) return [];
    const admin = (await this.lagClient.get()).admin();
    const byTopic = new Map<string, number[]>();
    for (const tp of owned) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    const ends = new Map<string, bigint>();
    await Promise.all(
      [...byTopic].map(async ([topic, numbers]) => {
        for (const [partition, end] of await admin.fetchTopicOffsets(topic, numbers, 'latest')) {
          ends.set(topicPartitionKey({ topic, partition }), end);
        }
      }),
    );
    return owned.flatMap((tp) => {
      const key = topicPartitionKey(tp);
      const end = ends.get(key);
      if (end === undefined) return [];
      // The next record poll returns: the oldest queued one, else the first not handed over.
      const position =
        this.queue.firstOffset(key) ??
        this.handedOver.get(key) ??
        this.started.get(key) ??
        end.toString();
      return [{ topic: tp.topic, partition: tp.partition, endOffset: end.toString(), position }];
    });
  }

  close(): Promise<void> {
    this.closed ??= this.closeNow();
    return this.closed;
  }

  private async closeNow(): Promise<void> {
    this.closing = true;
    for (const release of [...this.revocations]) release();
    this.recordsReady.notify();
    this.spaceFreed.notify();
    this.consumer.stop();
    try {
      await this.running;
    } finally {
      this.queue.clear();
      await Promise.all([this.client.disconnect().catch(() => undefined), this.lagClient.close()]);
    }
  }

  private isAnnounced(key: string): boolean {
    return this.announced.has(key) && this.owned.has(key);
  }

  /** pause/resume throw when the consumer is not running (stopping, or not started). */
  private control(act: () => void): void {
    try {
      act();
    } catch (e) {
      this.settings.logger.debug(`@kafkats/client pause/resume skipped: ${messageOf(e)}`, {
        groupId: this.groupId,
      });
    }
  }

  private fail(error: Error): void {
    this.fatal = error;
    this.settings.logger.error(error.message, { groupId: this.groupId });
    this.recordsReady.notify();
  }

  private async pollNow({
    maxRecords,
    timeoutMs,
    signal,
  }: PollOptions): Promise<readonly RawRecord[]> {
    const listener = this.listener;
    if (listener === undefined) throw new Error('poll() before subscribe()');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.deliverEvents(listener);
      if (this.fatal !== undefined) throw this.fatal;
      const records = this.queue.take(
        maxRecords,
        (key) => this.isAnnounced(key) && !this.paused.has(key),
      );
      if (records.length > 0) {
        this.spaceFreed.notify();
        return records;
      }
      if (this.pending.length > 0) continue;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.closing || signal?.aborted === true) return [];
      await this.recordsReady.wait(remaining, signal);
    }
  }

  private async deliverEvents(listener: RebalanceListener): Promise<void> {
    for (let event = this.pending.shift(); event !== undefined; event = this.pending.shift()) {
      const { partitions } = event;
      if (event._tag === 'Revoked') {
        try {
          await listener.onRevoked(partitions);
        } finally {
          for (const tp of partitions) this.announced.delete(topicPartitionKey(tp));
          event.reported?.();
        }
      } else {
        const still = partitions.filter((tp) => this.owned.has(topicPartitionKey(tp)));
        for (const tp of still) this.announced.set(topicPartitionKey(tp), tp);
        if (still.length > 0) await listener.onAssigned(still);
      }
    }
  }

  private async onBatch(messages: Message[]): Promise<void> {
    const first = messages[0];
    const last = messages[messages.length - 1];
    if (first === undefined || last === undefined || this.closing) return;
    const key = topicPartitionKey(first);
    if (!this.owned.has(key)) return;
    this.queue.push(key, messages.map(toRawRecord));
    this.handedOver.set(key, (last.offset + 1n).toString());
    this.recordsReady.notify();
    const counted = (k: string): boolean => !this.paused.has(k);
    while (
      !this.closing &&
      this.owned.has(key) &&
      this.queue.size(counted) > this.settings.maxQueuedRecords
    ) {
      await this.spaceFreed.wait(1000);
    }
  }

  /** Wraps the run's rebalance callbacks (see {@link KafkatsConsumerInternals}). */
  private hookRebalances(): void {
    const build = this.internals.createProviderCallbacks.bind(this.consumer);
    this.internals.createProviderCallbacks = () => {
      const base = build();
      return {
        ...base,
        onPartitionsAssigned: async (partitions: KafkatsPartitionStart[]) => {
          await base.onPartitionsAssigned(partitions);
          this.onAssigned(partitions);
        },
        onPartitionsRevoked: async (partitions: KafkatsPartition[]) => {
          await this.onRevoking(partitions);
          await base.onPartitionsRevoked(partitions);
        },
        onPartitionsLost: (partitions: KafkatsPartition[]) => {
          base.onPartitionsLost(partitions);
          this.onLost(partitions);
        },
      };
    };
  }

  private onAssigned(partitions: readonly KafkatsPartitionStart[]): void {
    if (partitions.length === 0) return;
    const assigned = partitions.map(same);
    for (const tp of partitions) {
      const key = topicPartitionKey(tp);
      this.owned.set(key, same(tp));
      this.started.set(key, tp.offset.toString());
      this.handedOver.delete(key);
    }
    this.pending.push({ _tag: 'Assigned', partitions: assigned });
    this.settings.logger.debug('@kafkats/client consumer was assigned partitions', {
      groupId: this.groupId,
      assigned,
    });
    this.recordsReady.notify();
  }

  /** Forgets what was queued: the next owner reads it again from the commit `onRevoked` makes. */
  private forget(partitions: readonly KafkatsPartition[]): TopicPartition[] {
    const gone = partitions.map(same);
    for (const tp of gone) {
      const key = topicPartitionKey(tp);
      this.owned.delete(key);
      this.paused.delete(key);
      this.queue.drop(key);
      this.handedOver.delete(key);
      this.started.delete(key);
    }
    this.spaceFreed.notify();
    return gone;
  }

  private async onRevoking(partitions: readonly KafkatsPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    const revoked = this.forget(partitions);
    if (this.closing) return;
    const { revokeTimeoutMs } = this.settings;
    const startedAt = Date.now();
    let release: () => void = () => undefined;
    const reported = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.revocations.add(release);
    const timer = setTimeout(release, revokeTimeoutMs);
    this.pending.push({ _tag: 'Revoked', partitions: revoked, reported: release });
    this.recordsReady.notify();
    try {
      await reported;
    } finally {
      clearTimeout(timer);
      this.revocations.delete(release);
    }
    const waitedMs = Date.now() - startedAt;
    if (waitedMs >= revokeTimeoutMs && !this.closing) {
      this.settings.logger.warn(
        `the partitions moved before onRevoked returned (waited ${waitedMs} ms): their next owner may read records again`,
        { groupId: this.groupId, revoked },
      );
    }
  }

  private onLost(partitions: readonly KafkatsPartition[]): void {
    if (partitions.length === 0) return;
    const lost = this.forget(partitions);
    this.settings.logger.warn('@kafkats/client consumer lost its session: partitions revoked', {
      groupId: this.groupId,
      lost,
    });
    this.pending.push({ _tag: 'Revoked', partitions: lost });
    this.recordsReady.notify();
  }
}
