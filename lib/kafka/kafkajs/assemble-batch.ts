import type { Message, TopicMessages } from 'kafkajs';

/** One record waiting in the producer, ready for a `sendBatch`. */
export interface BatchItem {
  readonly topic: string;
  readonly message: Message;
  /** Its estimated size ({@link estimateRecordSize}). */
  readonly bytes: number;
}

/** How big one `sendBatch` may grow. */
export interface BatchLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

/** The records of one `sendBatch` and the request that carries them. */
export interface AssembledBatch<T extends BatchItem> {
  /** The records taken from the head of the pending list, in send order. */
  readonly items: readonly T[];
  /** One entry per topic, messages in send order (kafkajs keeps that order per partition). */
  readonly topicMessages: TopicMessages[];
}

/**
 * Takes records from the head of the pending list for one `sendBatch`: at most
 * `maxRecords`, and no more bytes than `maxBytes` — but always at least one record, so a
 * record larger than the limit still goes out (alone) and the broker decides.
 *
 * @example
 * const { items, topicMessages } = assembleBatch(pending, { maxRecords: 1000, maxBytes: 1_000_000 });
 * await producer.sendBatch({ topicMessages });
 */
export const assembleBatch = <T extends BatchItem>(
  pending: readonly T[],
  limits: BatchLimits,
): AssembledBatch<T> => {
  const items: T[] = [];
  let bytes = 0;
  for (const item of pending) {
    if (items.length >= limits.maxRecords) break;
    if (items.length > 0 && bytes + item.bytes > limits.maxBytes) break;
    items.push(item);
    bytes += item.bytes;
  }
  const byTopic = new Map<string, Message[]>();
  for (const item of items) {
    const messages = byTopic.get(item.topic);
    if (messages === undefined) byTopic.set(item.topic, [item.message]);
    else messages.push(item.message);
  }
  const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  return { items, topicMessages };
};
