import type { KafkaMessage } from 'kafkajs';
import type { Headers, RawRecord } from '../../record/stream-record';

type KafkajsHeaderValue = Buffer | string | null | undefined | (Buffer | string | null)[];

const toBuffer = (value: Buffer | string | null | undefined): Buffer | undefined => {
  if (value === null || value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
};

/**
 * Converts kafkajs record headers to the port's {@link Headers}. A header that occurs more
 * than once keeps its last value (Java's `lastHeader`); a null value becomes `undefined`.
 *
 * @example
 * toHeaders({ 'x-id': Buffer.from('1'), 'x-n': [Buffer.from('a'), Buffer.from('b')] });
 * // { 'x-id': <Buffer 31>, 'x-n': <Buffer 62> }
 */
export const toHeaders = (headers: Record<string, KafkajsHeaderValue> | undefined): Headers => {
  const out: Record<string, Buffer | undefined> = {};
  if (headers === undefined) return out;
  for (const [key, value] of Object.entries(headers)) {
    out[key] = toBuffer(Array.isArray(value) ? value[value.length - 1] : value);
  }
  return out;
};

/**
 * Converts one message of a kafkajs batch into the port's {@link RawRecord}: key and value
 * stay Buffers (or null), headers become Buffers, the timestamp becomes a number.
 *
 * @example
 * const record = toRawRecord('orders', 0, message);
 * record.offset; // '42'
 */
export const toRawRecord = (
  topic: string,
  partition: number,
  message: KafkaMessage,
): RawRecord => ({
  topic,
  partition,
  offset: message.offset,
  timestamp: Number(message.timestamp),
  key: message.key ?? null,
  value: message.value ?? null,
  headers: toHeaders(message.headers as Record<string, KafkajsHeaderValue> | undefined),
});
