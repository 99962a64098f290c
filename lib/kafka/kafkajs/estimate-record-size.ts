import type { ProducerRecord } from '../client';

/** Bytes a record adds to a batch besides its key, value and headers (a generous bound). */
export const RECORD_OVERHEAD_BYTES = 24;

/**
 * A record's size in a produce request, estimated from its key, value and headers: what
 * `maxBatchBytes` is measured in.
 *
 * @example
 * estimateRecordSize({ topic: 't', key: Buffer.from('k'), value: Buffer.from('value') }); // 30
 */
export const estimateRecordSize = (record: ProducerRecord): number => {
  let bytes = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const [key, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(key, 'utf8') + (value?.length ?? 0) + 2;
  }
  return bytes;
};
