import type { Offset } from '../kafka/offset';

/** Kafka record headers, as kafkajs gives them: a value may be absent. */
export type Headers = Record<string, Buffer | undefined>;

/**
 * One record flowing through a topology.
 *
 * @example
 * const r: StreamRecord<string, Order> = {
 *   key: 'order-1', value: { id: 1 }, topic: 'orders', partition: 0,
 *   offset: '42', timestamp: Date.now(), headers: {},
 * };
 */
export interface StreamRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly topic: string;
  readonly partition: number;
  /** Decimal string, as kafkajs gives it. */
  readonly offset: Offset;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly headers: Headers;
}

/** A record as it comes off (or goes onto) the wire: key and value are bytes or null. */
export type RawRecord = StreamRecord<Buffer | null, Buffer | null>;

/** Identifies one partition of one topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

// Runners look a record's partition up for every record: the key strings are made once.
const keys = new Map<string, string[]>();

/** The key of a partition in maps: `topic:partition`. */
export const topicPartitionKey = (tp: TopicPartition): string => {
  let ofTopic = keys.get(tp.topic);
  if (ofTopic === undefined) {
    ofTopic = [];
    // Bounded: a process that meets many short-lived topics does not keep them all.
    if (keys.size >= 10_000) keys.clear();
    keys.set(tp.topic, ofTopic);
  }
  return (ofTopic[tp.partition] ??= `${tp.topic}:${tp.partition}`);
};
