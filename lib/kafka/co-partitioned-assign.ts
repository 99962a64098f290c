import type { TopicPartition } from '../record/stream-record';
import { compareTopicPartitions } from './memory/topic-partition-order';

/**
 * A group's assignment that keeps partition N of every topic on one member: the partition
 * numbers are dealt to the members in turn (number i to member i mod members), and each
 * topic-partition goes to the member of its number. Topics with as many partitions as each
 * other (co-partitioned: a table and the stream joined with it) are so assigned together,
 * what Kafka Streams' assignor does; for one topic it is a plain round robin.
 *
 * @example
 * coPartitionedAssign(['m1', 'm2'], [{ topic: 'a', partition: 0 }, { topic: 'b', partition: 0 }]);
 * // Map { 'm1' => [a:0, b:0], 'm2' => [] }
 */
export const coPartitionedAssign = (
  memberIds: readonly string[],
  partitions: readonly TopicPartition[],
): Map<string, TopicPartition[]> => {
  const assignment = new Map<string, TopicPartition[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return assignment;
  const numbers = [...new Set(partitions.map((tp) => tp.partition))].sort((a, b) => a - b);
  const owner = new Map(numbers.map((n, i) => [n, memberIds[i % memberIds.length]!]));
  for (const tp of [...partitions].sort(compareTopicPartitions))
    assignment.get(owner.get(tp.partition)!)!.push(tp);
  return assignment;
};
