import { topicPartitionKey } from '../record/stream-record';
import { behindBy, type Stall } from './liveness-watchdog';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * A stall in words, for logs and errors.
 *
 * @example
 * describeStall({ _tag: 'PollHung', forMs: 61_000, partitions: [{ topic: 'orders', partition: 0 }] });
 * // 'a poll has not returned for 61.0 s (partitions orders:0)'
 */
export const describeStall = (stall: Stall): string => {
  if (stall._tag === 'PollHung') {
    const on =
      stall.partitions.length === 0
        ? 'no partition assigned yet'
        : `partitions ${stall.partitions.map(topicPartitionKey).join(', ')}`;
    return `a poll has not returned for ${seconds(stall.forMs)} (${on})`;
  }
  if (stall._tag === 'SendsHung') {
    return `no send was acknowledged or failed for ${seconds(stall.forMs)} while ${stall.outstanding} waited, though the broker answers`;
  }
  const behind = stall.partitions
    .map((l) => `${topicPartitionKey(l)} (${behindBy(l)} behind)`)
    .join(', ');
  return `no poll delivered a record for ${seconds(stall.forMs)} while ${behind} had records to read`;
};
