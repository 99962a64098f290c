import type { TopicPartition } from '../../record/stream-record';

/**
 * Orders partitions by topic name, then partition number.
 *
 * @example
 * [{ topic: 'b', partition: 0 }, { topic: 'a', partition: 10 }].sort(compareTopicPartitions);
 */
export const compareTopicPartitions = (a: TopicPartition, b: TopicPartition): number =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

/**
 * Kafka's round-robin assignor: partitions sorted by topic then number are dealt to the
 * members in turn, members in the order given (the group's join order).
 *
 * @example
 * roundRobinAssign(['m1', 'm2'], [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
 * // Map { 'm1' => [t:0], 'm2' => [t:1] }
 */
export const roundRobinAssign = (
  memberIds: readonly string[],
  partitions: readonly TopicPartition[],
): Map<string, TopicPartition[]> => {
  const assignment = new Map<string, TopicPartition[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return assignment;
  [...partitions].sort(compareTopicPartitions).forEach((tp, i) => {
    assignment.get(memberIds[i % memberIds.length]!)!.push(tp);
  });
  return assignment;
};
