import type { Message } from 'kafkajs';
import type { ProducerRecord } from '../client';

/**
 * Converts the port's {@link ProducerRecord} into a kafkajs message. Header values stay
 * Buffers; an `undefined` header value is written as a null header. What the record leaves
 * out (or gives as `undefined`) the message leaves out.
 *
 * @example
 * toKafkajsMessage({ topic: 'out', key: Buffer.from('k'), value: null, partition: 2 });
 * // { key: <Buffer 6b>, value: null, partition: 2 }
 */
export const toKafkajsMessage = (record: ProducerRecord): Message => {
  const message: Message = { key: record.key, value: record.value };
  if (record.headers !== undefined) message.headers = { ...record.headers };
  if (record.partition !== undefined) message.partition = record.partition;
  if (record.timestamp !== undefined) message.timestamp = String(record.timestamp);
  return message;
};
