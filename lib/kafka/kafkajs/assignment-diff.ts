import { topicPartitionKey, type TopicPartition } from '../../record/stream-record';

/** What changed between two assignments of one member. */
export interface AssignmentDiff {
  /** Owned before, not any more. */
  readonly revoked: readonly TopicPartition[];
  /** Owned now, not before. */
  readonly assigned: readonly TopicPartition[];
  /** Owned before and now. */
  readonly retained: readonly TopicPartition[];
}

const byTopicThenPartition = (a: TopicPartition, b: TopicPartition): number =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

/**
 * The partitions of a kafkajs `GROUP_JOIN` payload's `memberAssignment`
 * (`{ [topic]: number[] }`), sorted by topic then partition.
 *
 * @example
 * fromMemberAssignment({ orders: [1, 0] });
 * // [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]
 */
export const fromMemberAssignment = (
  memberAssignment: Readonly<Record<string, readonly number[]>>,
): TopicPartition[] =>
  Object.entries(memberAssignment)
    .flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))
    .sort(byTopicThenPartition);

/**
 * Compares the assignment a member had with the one it has now: the eager protocol
 * reports only the new one, so revoked = old − new and assigned = new − old.
 *
 * @example
 * const { revoked, assigned } = assignmentDiff(
 *   [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }],
 *   [{ topic: 't', partition: 1 }, { topic: 't', partition: 2 }],
 * );
 * // revoked: t-0, assigned: t-2 (t-1 is retained)
 */
export const assignmentDiff = (
  previous: readonly TopicPartition[],
  next: readonly TopicPartition[],
): AssignmentDiff => {
  const before = new Set(previous.map(topicPartitionKey));
  const after = new Set(next.map(topicPartitionKey));
  const dedupe = (tps: readonly TopicPartition[]): TopicPartition[] => {
    const seen = new Set<string>();
    return tps.filter((tp) => {
      const key = topicPartitionKey(tp);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const prev = dedupe(previous).sort(byTopicThenPartition);
  const curr = dedupe(next).sort(byTopicThenPartition);
  return {
    revoked: prev.filter((tp) => !after.has(topicPartitionKey(tp))),
    assigned: curr.filter((tp) => !before.has(topicPartitionKey(tp))),
    retained: curr.filter((tp) => before.has(topicPartitionKey(tp))),
  };
};
