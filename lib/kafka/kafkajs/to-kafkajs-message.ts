import type { Message } from 'kafkajs';
import type { ProducerRecord } from '../client';

/**
 * Converts the port's {@link ProducerRecord} into a kafkajs message. Header values stay
 * Buffers; an `undefined` header value is written as a null header.
 *
 * @example
 * toKafkajsMessage({ topic: 'out', key: Buffer.from('k'), value: null, partition: 2 });
 * // { key: <Buffer 6b>, value: null, headers: undefined, partition: 2, timestamp: undefined }
 */
export const toKafkajsMessage = (record: ProducerRecord): Message => ({
  key: record.key,
  value: record.value,
  headers: record.headers === undefined ? undefined : { ...record.headers },
  partition: record.partition,
  timestamp: record.timestamp === undefined ? undefined : String(record.timestamp),
});
