import { ConfigError } from '../../errors/config-error';
import type { TopicPartition } from '../../record/stream-record';
import type { CommitOffset, PollOptions, RebalanceListener } from '../client';
import { isOffset } from '../offset';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import { describeValue } from '../../errors/kind-of';

const invalid = (problem: string): InMemoryKafkaError =>
  new InMemoryKafkaError('INVALID_ARGUMENT', problem);

/**
 * Throws unless `topics` is a non-empty array of strings.
 *
 * @example
 * checkTopics(['orders']);
 */
export const checkTopics = (topics: unknown): readonly string[] => {
  if (!Array.isArray(topics) || topics.length === 0) {
    throw invalid(`subscribe: topics must be a non-empty array of topic names`);
  }
  topics.forEach((t: unknown) => {
    if (typeof t !== 'string')
      throw invalid(`subscribe: a topic name must be a string, got ${describeValue(t)}`);
  });
  return topics as string[];
};

/**
 * Throws unless `listener` has `onAssigned` and `onRevoked` functions.
 *
 * @example
 * checkListener({ onAssigned: () => undefined, onRevoked: () => undefined });
 */
export const checkListener = (listener: unknown): RebalanceListener => {
  const l = listener as Partial<RebalanceListener> | null | undefined;
  if (typeof l?.onAssigned !== 'function' || typeof l.onRevoked !== 'function') {
    throw invalid('subscribe: the listener must have onAssigned and onRevoked functions');
  }
  return l as RebalanceListener;
};

/**
 * Throws a ConfigError naming the poll option that is out of range.
 *
 * @example
 * checkPollOptions({ maxRecords: 100, timeoutMs: 0 });
 */
export const checkPollOptions = (options: PollOptions): void => {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('poll options', `must be an object, got ${describeValue(options)}`);
  }
  const { maxRecords, timeoutMs } = options;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) {
    throw new ConfigError('maxRecords', `must be an integer >= 1, got ${String(maxRecords)}`);
  }
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || timeoutMs === Infinity) {
    throw new ConfigError('timeoutMs', `must be a finite number >= 0, got ${String(timeoutMs)}`);
  }
};

/**
 * Throws unless every element is a `{ topic, partition }`.
 *
 * @example
 * checkTopicPartitions('pause', [{ topic: 'orders', partition: 0 }]);
 */
export const checkTopicPartitions = (
  operation: string,
  partitions: unknown,
): readonly TopicPartition[] => {
  if (!Array.isArray(partitions)) {
    throw invalid(
      `${operation}: expected an array of { topic, partition }, got ${describeValue(partitions)}`,
    );
  }
  partitions.forEach((tp: unknown) => {
    const p = tp as Partial<TopicPartition> | null;
    if (typeof p?.topic !== 'string' || !Number.isInteger(p.partition) || p.partition! < 0) {
      throw invalid(
        `${operation}: expected { topic: string, partition: integer >= 0 }, got ${JSON.stringify(tp)}`,
      );
    }
  });
  return partitions as TopicPartition[];
};

/**
 * Throws unless every element is a `{ topic, partition, offset }` with a decimal offset.
 *
 * @example
 * checkCommitOffsets([{ topic: 'orders', partition: 0, offset: '42' }]);
 */
export const checkCommitOffsets = (offsets: unknown): readonly CommitOffset[] => {
  checkTopicPartitions('commit', offsets);
  (offsets as Partial<CommitOffset>[]).forEach((o) => {
    if (
      typeof o.offset !== 'string' ||
      !isOffset(o.offset) ||
      !Number.isSafeInteger(Number(o.offset))
    ) {
      throw invalid(
        `commit: offset of ${o.topic}:${o.partition} must be a decimal string >= 0, got ${JSON.stringify(o.offset)}`,
      );
    }
  });
  return offsets as CommitOffset[];
};
