import type { Offset } from '../offset';
import type { TopicPartition } from '../../record/stream-record';
import { topicPartitionKey } from '../../record/stream-record';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import { compareTopicPartitions, roundRobinAssign } from './topic-partition-order';
import { coPartitionedAssign } from '../co-partitioned-assign';

/** What a group needs from one of its members. */
export interface GroupMember {
  readonly memberId: string;
  /** Wakes the member's waiting poll: its target assignment or the data changed. */
  wake(): void;
  assignment(): readonly TopicPartition[];
  paused(): readonly TopicPartition[];
  /** Asks for partition N of every topic on one member (a topology with joins). */
  readonly coPartitioned?: boolean | undefined;
}

/**
 * One member of a group as {@link InMemoryKafka.groupState} shows it: the partitions it owns
 * right now and those of them it has paused.
 *
 * @example
 * kafka.groupState('billing');
 * // [{ memberId: 'billing-member-1', assignment: [{ topic: 'orders', partition: 0 }], paused: [] }]
 */
export interface GroupMemberState {
  readonly memberId: string;
  readonly assignment: readonly TopicPartition[];
  readonly paused: readonly TopicPartition[];
}

/**
 * A consumer group's coordinator: members in join order, the target assignment computed
 * when membership changes, who owns each partition now, and the committed offsets.
 * A partition has at most one owner; it changes hands only when the old owner releases it.
 *
 * @example
 * const group = new ConsumerGroup('billing', () => 3);
 * group.join(member, ['orders']); // member's target: orders 0, 1, 2
 */
export class ConsumerGroup {
  private members: GroupMember[] = [];
  private topics: readonly string[] = [];
  private targets = new Map<string, ReadonlySet<string>>();
  private readonly owners = new Map<string, string>();
  private readonly committed = new Map<string, Map<number, number>>();
  private membersCreated = 0;

  constructor(
    readonly groupId: string,
    private readonly partitionsOf: (topic: string) => number,
  ) {}

  /** A fresh member id: `${groupId}-member-N`, N counting from 1. */
  nextMemberId(): string {
    this.membersCreated += 1;
    return `${this.groupId}-member-${this.membersCreated}`;
  }

  /** Throws unless a member subscribing to `topics` may join (members share one subscription). */
  checkSubscription(topics: readonly string[]): void {
    if (this.members.length > 0 && !sameTopics(this.topics, topics)) {
      throw new InMemoryKafkaError(
        'INCONSISTENT_SUBSCRIPTION',
        `group "${this.groupId}" is subscribed to [${this.topics.join(', ')}]; every member must subscribe to the same topics, got [${topics.join(', ')}]`,
      );
    }
  }

  join(member: GroupMember, topics: readonly string[]): void {
    this.checkSubscription(topics);
    this.topics = [...new Set(topics)].sort();
    this.members.push(member);
    this.rebalance();
  }

  /** Removes a member; what it still owns stays owned until it releases it. */
  leave(memberId: string): void {
    const before = this.members.length;
    this.members = this.members.filter((m) => m.memberId !== memberId);
    if (this.members.length !== before) this.rebalance();
  }

  /** The partitions the current assignment gives this member, sorted. */
  target(memberId: string): TopicPartition[] {
    return this.allPartitions().filter((tp) => this.isTargetOf(memberId, tp));
  }

  isTargetOf(memberId: string, tp: TopicPartition): boolean {
    return this.targets.get(memberId)?.has(topicPartitionKey(tp)) === true;
  }

  ownerOf(tp: TopicPartition): string | undefined {
    return this.owners.get(topicPartitionKey(tp));
  }

  /** Makes `memberId` the owner of partitions nobody owns. */
  claim(memberId: string, partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const owner = this.ownerOf(tp);
      if (owner !== undefined) {
        throw new InMemoryKafkaError(
          'ILLEGAL_STATE',
          `${tp.topic}:${tp.partition} is owned by ${owner}; ${memberId} cannot take it`,
        );
      }
      this.owners.set(topicPartitionKey(tp), memberId);
    }
  }

  /** Gives up the partitions `memberId` owns among these, waking the others to take them. */
  release(memberId: string, partitions: readonly TopicPartition[]): void {
    const mine = partitions.filter((tp) => this.ownerOf(tp) === memberId);
    mine.forEach((tp) => this.owners.delete(topicPartitionKey(tp)));
    if (mine.length > 0) this.wakeAll();
  }

  commit(tp: TopicPartition, offset: number): void {
    const offsets = this.committed.get(tp.topic) ?? new Map<number, number>();
    offsets.set(tp.partition, offset);
    this.committed.set(tp.topic, offsets);
  }

  committedOffset(tp: TopicPartition): number | undefined {
    return this.committed.get(tp.topic)?.get(tp.partition);
  }

  /** `{ [topic]: { [partition]: offset } }`, the offset being the next one to read. */
  committedOffsets(): Record<string, Record<number, Offset>> {
    const result: Record<string, Record<number, Offset>> = {};
    for (const topic of [...this.committed.keys()].sort()) {
      const offsets = this.committed.get(topic)!;
      result[topic] = Object.fromEntries(
        [...offsets.entries()].sort(([a], [b]) => a - b).map(([p, o]) => [p, String(o)]),
      ) as Record<number, Offset>;
    }
    return result;
  }

  /** The topics the group reads: its subscription and any topic it has committed offsets for. */
  knownTopics(): string[] {
    return [...new Set([...this.topics, ...this.committed.keys()])].sort();
  }

  subscribes(topic: string): boolean {
    return this.members.length > 0 && this.topics.includes(topic);
  }

  wakeAll(): void {
    this.members.forEach((m) => m.wake());
  }

  state(): GroupMemberState[] {
    return this.members.map((m) => ({
      memberId: m.memberId,
      assignment: m.assignment(),
      paused: m.paused(),
    }));
  }

  private rebalance(): void {
    // Round robin, unless a member asks for partition N of every topic on one member (a join).
    const assign = this.members.some((m) => m.coPartitioned)
      ? coPartitionedAssign
      : roundRobinAssign;
    const assignment = assign(
      this.members.map((m) => m.memberId),
      this.allPartitions(),
    );
    this.targets = new Map(
      [...assignment].map(([id, tps]) => [id, new Set(tps.map(topicPartitionKey))]),
    );
    this.wakeAll();
  }

  private allPartitions(): TopicPartition[] {
    if (this.members.length === 0) return [];
    return this.topics
      .flatMap((topic) =>
        Array.from({ length: this.partitionsOf(topic) }, (_, partition) => ({ topic, partition })),
      )
      .sort(compareTopicPartitions);
  }
}

const sameTopics = (a: readonly string[], b: readonly string[]): boolean => {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((t, i) => t === right[i]);
};
