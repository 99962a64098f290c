import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import { partitionForKey } from '../murmur2';

/** Java's `Utils.toPositive`: clears the sign bit (not the absolute value). */
const toPositive = (n: number): number => n & 0x7fffffff;

/**
 * The kafkajs client's default partitioner, choosing what kafkajs's `DefaultPartitioner`
 * (and Java's default partitioner for keyed records) chooses: a message that names its
 * partition goes there; a keyed one to `toPositive(murmur2(key)) % partitions`; an unkeyed
 * one round-robin over the partitions that have a leader, from a random start per topic
 * (not Java's sticky partitioner). It hashes with the in-memory Kafka's murmur2 (plain 32-bit
 * integer arithmetic), which allocates nothing where kafkajs's allocates a `Long` per step.
 *
 * @example
 * const producer = kafka.producer({ createPartitioner: javaCompatiblePartitioner });
 */
export const javaCompatiblePartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    const { key } = message;
    if (key !== undefined && key !== null) {
      const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
      return partitionForKey(bytes, partitionMetadata.length);
    }
    const counter = (counters.get(topic) ?? Math.floor(Math.random() * 2 ** 31)) + 1;
    counters.set(topic, counter);
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    if (available.length > 0) {
      return available[toPositive(counter) % available.length]?.partitionId ?? 0;
    }
    return toPositive(counter) % partitionMetadata.length;
  };
};
