import type { RecordMetadata as KafkajsRecordMetadata } from 'kafkajs';

/** Offset reported when the broker gave none (acks=0, or no answer for the partition). */
export const UNKNOWN_OFFSET = '-1';

/** Hands out the offsets of one acknowledged batch's records, one call per record. */
export interface BatchOffsets {
  /** The offset of the next record (in send order) that went to this partition. */
  next(topic: string, partition: number): string;
}

/** A partition's base offset and how many of its records were given an offset so far. */
interface Counter {
  readonly base: bigint;
  /** `base` as a number when every offset of the batch stays a safe integer. */
  readonly baseNumber: number | undefined;
  given: number;
}

/** Offsets this far below 2^53 stay exact as numbers, whatever the batch size (≤ 2^31). */
const SAFE_BASE = Number.MAX_SAFE_INTEGER - 2 ** 31;

/**
 * Per-record offsets of one acknowledged `sendBatch`. The broker answers once per
 * partition with the base offset of the records it appended there, in request order; the
 * record at position i (counted within its partition) got base offset + i. Ask for each
 * record's offset in send order.
 *
 * @param responses what `sendBatch` resolved with
 *
 * @example
 * const offsets = batchOffsets([
 *   { topicName: 't', partition: 0, baseOffset: '10', errorCode: 0 },
 *   { topicName: 't', partition: 1, baseOffset: '3', errorCode: 0 },
 * ]);
 * offsets.next('t', 0); // '10'
 * offsets.next('t', 1); // '3'
 * offsets.next('t', 0); // '11'
 */
export const batchOffsets = (responses: readonly KafkajsRecordMetadata[]): BatchOffsets => {
  const counters = new Map<string, Map<number, Counter>>();
  for (const response of responses) {
    if (response.baseOffset === undefined || response.baseOffset === null) continue;
    const base = BigInt(response.baseOffset);
    if (base < 0n) continue;
    let partitions = counters.get(response.topicName);
    if (partitions === undefined) {
      partitions = new Map();
      counters.set(response.topicName, partitions);
    }
    const baseNumber = base <= BigInt(SAFE_BASE) ? Number(base) : undefined;
    partitions.set(response.partition, { base, baseNumber, given: 0 });
  }
  return {
    next: (topic, partition) => {
      const counter = counters.get(topic)?.get(partition);
      if (counter === undefined) return UNKNOWN_OFFSET;
      const i = counter.given;
      counter.given = i + 1;
      return counter.baseNumber === undefined
        ? (counter.base + BigInt(i)).toString()
        : String(counter.baseNumber + i);
    },
  };
};
