import type { RawRecord, TopicPartition } from '../../record/stream-record';
import { topicPartitionKey as keyOf } from '../../record/stream-record';
import type {
  CommitOffset,
  Consumer,
  PartitionLag,
  PollOptions,
  RebalanceListener,
} from '../client';
import type { Cluster, ConsumerStallMode } from './cluster';
import {
  checkCommitOffsets,
  checkListener,
  checkPollOptions,
  checkTopicPartitions,
  checkTopics,
} from './consumer-arguments';
import type { ConsumerGroup, GroupMember } from './consumer-group';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import { compareTopicPartitions } from './topic-partition-order';
import { Waker } from './waker';

type ConsumerState = 'created' | 'connected' | 'closing' | 'closed';

/**
 * A member of an in-memory consumer group, implementing the client port's {@link Consumer}
 * with the Java client's cooperative rebalance semantics:
 *
 * - partitions a member loses are revoked during its next `poll()` (`onRevoked`, awaited;
 *   they stay owned and committable until it returns), and only then handed to their new
 *   owner, whose next `poll()` runs `onAssigned` before returning any of their records;
 * - a partition it keeps is neither revoked nor reassigned, and keeps its position;
 * - a newly assigned partition starts at the group's committed offset, else at 0
 *   (`fromBeginning`) or the end;
 * - `close()` runs `onRevoked` for what it owns, then leaves; `crash()` leaves at once.
 *
 * Beyond the port it offers {@link paused} and {@link crash}, for tests.
 *
 * @example
 * const consumer = kafka.client({ groupId: 'billing' }).createConsumer();
 * await consumer.connect();
 * await consumer.subscribe(['orders'], { onAssigned: () => undefined, onRevoked: () => undefined });
 * const records = await consumer.poll({ maxRecords: 100, timeoutMs: 1000 });
 */
export class InMemoryConsumer implements Consumer {
  /** `${groupId}-member-N`. */
  readonly memberId: string;
  private state: ConsumerState = 'created';
  private listener: RebalanceListener | undefined;
  private readonly owned = new Map<string, TopicPartition>();
  private readonly positions = new Map<string, number>();
  private readonly pausedPartitions = new Map<string, TopicPartition>();
  private readonly revoking = new Set<string>();
  private lastServed: TopicPartition | undefined;
  private polling = false;
  /** An injected stall this consumer took at a poll; it lasts as long as the consumer. */
  private stall: ConsumerStallMode | undefined;
  private closing: Promise<void> | undefined;
  private readonly waker = new Waker();
  private readonly member: GroupMember;

  /** Made by {@link InMemoryKafkaClient.createConsumer}; not for direct use. */
  constructor(
    private readonly cluster: Cluster,
    private readonly group: ConsumerGroup,
    private readonly fromBeginning: boolean,
    coPartitioned = false,
  ) {
    this.memberId = group.nextMemberId();
    this.member = {
      memberId: this.memberId,
      wake: () => this.waker.notify(),
      assignment: () => this.assignment(),
      paused: () => this.paused(),
      coPartitioned,
    };
  }

  async connect(): Promise<void> {
    if (this.isClosed()) throw this.closedError('connect');
    this.state = 'connected';
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void> {
    this.requireConnected('subscribe');
    if (this.listener !== undefined) {
      throw illegal(
        `${this.memberId} is already subscribed; create a new consumer to change topics`,
      );
    }
    const unique = [...new Set(checkTopics(topics))].sort();
    checkListener(listener);
    this.group.checkSubscription(unique);
    unique.forEach((topic) => this.cluster.ensureTopic(topic));
    this.listener = listener;
    this.group.join(this.member, unique);
  }

  async poll(options: PollOptions): Promise<readonly RawRecord[]> {
    checkPollOptions(options);
    if (this.isClosed()) return [];
    this.requireConnected('poll');
    const listener = this.listener;
    if (listener === undefined) throw illegal(`call subscribe() before poll() (${this.memberId})`);
    if (this.polling) {
      throw illegal(`${this.memberId} is already polling; a consumer runs one poll at a time`);
    }
    const fault = this.cluster.pollFaults.take();
    if (fault !== undefined) throw fault;
    this.stall ??= this.cluster.pendingStalls.shift();
    if (this.stall === 'hang') return new Promise<never>(() => undefined);
    this.polling = true;
    try {
      return await this.pollUntilRecords(listener, options);
    } finally {
      this.polling = false;
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    checkTopicPartitions('pause', partitions).forEach((tp) => {
      const owned = this.owned.get(keyOf(tp));
      if (owned !== undefined) this.pausedPartitions.set(keyOf(tp), owned);
    });
  }

  resume(partitions: readonly TopicPartition[]): void {
    const resumed = checkTopicPartitions('resume', partitions).filter((tp) =>
      this.pausedPartitions.delete(keyOf(tp)),
    );
    if (resumed.length > 0) this.waker.notify();
  }

  assignment(): readonly TopicPartition[] {
    return [...this.owned.values()].sort(compareTopicPartitions);
  }

  async lag(partitions: readonly TopicPartition[]): Promise<readonly PartitionLag[]> {
    return checkTopicPartitions('lag', partitions)
      .filter((tp) => this.owned.has(keyOf(tp)))
      .map((tp) => ({
        topic: tp.topic,
        partition: tp.partition,
        endOffset: String(this.endOffset(tp)),
        position: String(this.positions.get(keyOf(tp))),
      }));
  }

  /** The assigned partitions that are paused. */
  paused(): readonly TopicPartition[] {
    return [...this.pausedPartitions.values()].sort(compareTopicPartitions);
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    checkCommitOffsets(offsets);
    // A closed member may still commit from inside an `onRevoked` that a poll is running.
    if (this.state === 'closed' && this.revoking.size === 0) throw this.closedError('commit');
    const fault = this.cluster.commitFaults.take();
    if (fault !== undefined) throw fault;
    offsets.forEach((o) => {
      if (this.owned.has(keyOf(o))) this.group.commit(o, Number(o.offset));
    });
  }

  /**
   * Runs `onRevoked` for the partitions it owns (they can be committed there), then leaves
   * the group; the others take its partitions at their next polls. Does not commit.
   * A waiting poll returns at once. Rejects with the listener's error, after leaving.
   */
  close(): Promise<void> {
    this.closing ??= this.closeGracefully();
    return this.closing;
  }

  /**
   * Leaves the group at once without running `onRevoked`, as a killed process would: the
   * others take its partitions from the last committed offsets.
   */
  crash(): void {
    if (this.state !== 'closed') this.leave(true);
  }

  private async closeGracefully(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.waker.notify();
    const partitions = this.assignment().filter((tp) => !this.revoking.has(keyOf(tp)));
    let failure: { error: unknown } | undefined;
    if (this.listener !== undefined && partitions.length > 0) {
      try {
        await this.listener.onRevoked(partitions);
      } catch (error) {
        failure = { error };
      }
    }
    this.leave(false);
    if (failure !== undefined) throw failure.error;
  }

  /** Leaves the group and releases its partitions, or all but those a poll is revoking. */
  private leave(includingRevoking: boolean): void {
    this.state = 'closed';
    const released = this.assignment().filter(
      (tp) => includingRevoking || !this.revoking.has(keyOf(tp)),
    );
    this.group.leave(this.memberId);
    this.drop(released);
    this.group.release(this.memberId, released);
    this.waker.notify();
  }

  private async pollUntilRecords(
    listener: RebalanceListener,
    { maxRecords, timeoutMs, signal }: PollOptions,
  ): Promise<readonly RawRecord[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      this.waker.reset();
      await this.syncAssignment(listener);
      if (this.isClosed()) return [];
      const records = this.stall === 'empty' ? [] : this.fetch(maxRecords);
      const remaining = deadline - performance.now();
      if (records.length > 0 || remaining <= 0 || signal?.aborted === true) return records;
      await this.waker.wait(remaining, signal);
    }
  }

  /** Revokes what the group's target no longer gives it, then takes what it gives and nobody owns. */
  private async syncAssignment(listener: RebalanceListener): Promise<void> {
    const lost = this.assignment().filter((tp) => !this.group.isTargetOf(this.memberId, tp));
    if (lost.length > 0) await this.revoke(listener, lost);
    if (this.isClosed()) return;
    const gained = this.group
      .target(this.memberId)
      .filter((tp) => !this.owned.has(keyOf(tp)) && this.group.ownerOf(tp) === undefined);
    if (gained.length > 0) await this.assign(listener, gained);
  }

  private async revoke(listener: RebalanceListener, partitions: TopicPartition[]): Promise<void> {
    partitions.forEach((tp) => this.revoking.add(keyOf(tp)));
    try {
      await listener.onRevoked(partitions);
    } finally {
      this.drop(partitions);
      this.group.release(this.memberId, partitions);
    }
  }

  private async assign(listener: RebalanceListener, partitions: TopicPartition[]): Promise<void> {
    this.group.claim(this.memberId, partitions);
    partitions.forEach((tp) => {
      this.owned.set(keyOf(tp), tp);
      this.positions.set(keyOf(tp), this.startOffset(tp));
    });
    await listener.onAssigned(partitions);
  }

  private startOffset(tp: TopicPartition): number {
    const end = this.endOffset(tp);
    const committed = this.group.committedOffset(tp);
    if (committed !== undefined && committed <= end) return committed;
    return this.fromBeginning ? 0 : end;
  }

  private drop(partitions: readonly TopicPartition[]): void {
    partitions.forEach((tp) => {
      const key = keyOf(tp);
      this.owned.delete(key);
      this.positions.delete(key);
      this.pausedPartitions.delete(key);
      this.revoking.delete(key);
    });
  }

  /**
   * Takes up to `maxRecords`, dealt one at a time to the partitions with records in turn,
   * starting after the partition the last poll served last, so none starves the others.
   */
  private fetch(maxRecords: number): RawRecord[] {
    const ready = this.assignment().filter(
      (tp) => !this.pausedPartitions.has(keyOf(tp)) && this.available(tp) > 0,
    );
    if (ready.length === 0) return [];
    const last = this.lastServed;
    const start =
      last === undefined
        ? 0
        : Math.max(
            0,
            ready.findIndex((tp) => compareTopicPartitions(tp, last) > 0),
          );
    const order = [...ready.slice(start), ...ready.slice(0, start)];
    const quotas = this.dealQuotas(order, maxRecords);
    return order.flatMap((tp, i) => this.take(tp, quotas[i]!));
  }

  private dealQuotas(order: readonly TopicPartition[], maxRecords: number): number[] {
    const available = order.map((tp) => this.available(tp));
    const quotas = order.map(() => 0);
    let left = maxRecords;
    let dealt = true;
    while (left > 0 && dealt) {
      dealt = false;
      for (let i = 0; i < order.length && left > 0; i += 1) {
        if (quotas[i]! < available[i]!) {
          quotas[i]! += 1;
          left -= 1;
          dealt = true;
          this.lastServed = order[i];
        }
      }
    }
    return quotas;
  }

  private take(tp: TopicPartition, count: number): RawRecord[] {
    if (count === 0) return [];
    const position = this.positions.get(keyOf(tp))!;
    const records = this.cluster.topic(tp.topic).read(tp.partition, position, count);
    this.positions.set(keyOf(tp), position + records.length);
    return records;
  }

  private available(tp: TopicPartition): number {
    return this.endOffset(tp) - this.positions.get(keyOf(tp))!;
  }

  private endOffset(tp: TopicPartition): number {
    return this.cluster.topic(tp.topic).endOffset(tp.partition);
  }

  private isClosed(): boolean {
    return this.state === 'closing' || this.state === 'closed';
  }

  private requireConnected(operation: string): void {
    if (this.isClosed()) throw this.closedError(operation);
    if (this.state === 'created')
      throw illegal(`call connect() before ${operation}() (${this.memberId})`);
  }

  private closedError(operation: string): InMemoryKafkaError {
    return illegal(`${operation}(): ${this.memberId} is closed`);
  }
}

const illegal = (message: string): InMemoryKafkaError =>
  new InMemoryKafkaError('ILLEGAL_STATE', message);
