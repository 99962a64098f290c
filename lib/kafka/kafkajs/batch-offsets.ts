import type { RecordMetadata as KafkajsRecordMetadata } from 'kafkajs';
import { topicPartitionKey, type TopicPartition } from '../../record/stream-record';
import type { RecordMetadata } from '../client';

/** Offset reported when the broker gave none (acks=0, or no answer for the partition). */
export const UNKNOWN_OFFSET = '-1';

/**
 * Per-record offsets of one acknowledged `sendBatch`. The broker answers once per
 * partition with the base offset of the records it appended there, in request order; the
 * record at position i (counted within its partition) got base offset + i.
 *
 * @param targets where each record of the batch went, in send order
 * @param responses what `sendBatch` resolved with
 *
 * @example
 * batchOffsets(
 *   [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }, { topic: 't', partition: 0 }],
 *   [{ topicName: 't', partition: 0, baseOffset: '10', errorCode: 0 }, { topicName: 't', partition: 1, baseOffset: '3', errorCode: 0 }],
 * ); // offsets '10', '3', '11'
 */
export const batchOffsets = (
  targets: readonly TopicPartition[],
  responses: readonly KafkajsRecordMetadata[],
): RecordMetadata[] => {
  const base = new Map<string, bigint>();
  for (const response of responses) {
    if (response.baseOffset === undefined || response.baseOffset === null) continue;
    const offset = BigInt(response.baseOffset);
    if (offset < 0n) continue;
    base.set(
      topicPartitionKey({ topic: response.topicName, partition: response.partition }),
      offset,
    );
  }
  const position = new Map<string, bigint>();
  return targets.map(({ topic, partition }) => {
    const key = topicPartitionKey({ topic, partition });
    const i = position.get(key) ?? 0n;
    position.set(key, i + 1n);
    const first = base.get(key);
    return {
      topic,
      partition,
      offset: first === undefined ? UNKNOWN_OFFSET : (first + i).toString(),
    };
  });
};
