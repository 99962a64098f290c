import type { Message } from 'kafkajs';
import { helperKafka } from './broker';
import { keep, type Order, price } from './orders';

/** Options of the hand-written kafkajs pipeline. */
export interface KafkajsPipelineOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly input: string;
  readonly output: string;
  /** kafkajs `partitionsConsumedConcurrently` (default 1, as kafkajs). */
  readonly concurrency?: number;
  /** kafkajs `maxWaitTimeInMs`; 100 as the rx-kstreams adapter's default. */
  readonly maxWaitTimeInMs?: number;
  /** Called with each batch's output messages once the broker acknowledged them. */
  readonly onAcknowledged?: (messages: readonly Message[]) => void;
}

/** A running hand-written pipeline. */
export interface KafkajsPipeline {
  /** Resolves once the consumer joined its group (GROUP_JOIN). */
  readonly joined: Promise<void>;
  /** Input records handled (their outputs acknowledged and offsets committed). */
  readonly handled: () => number;
  stop(): Promise<void>;
}

/**
 * The kafkajs code rx-kstreams replaces: `eachBatch` deserializes key and value, filters,
 * maps and serializes each message, sends the batch's outputs with one `sendBatch`
 * (acks -1), and once they are acknowledged resolves and commits the batch's offset
 * (at-least-once), then heartbeats.
 *
 * @example
 * const pipeline = await startKafkajsPipeline({ brokers, groupId, input, output });
 * await pipeline.joined;
 */
export const startKafkajsPipeline = async (
  options: KafkajsPipelineOptions,
): Promise<KafkajsPipeline> => {
  const kafka = helperKafka(options.brokers, 'hand-written-pipeline');
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 100,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  let markJoined!: () => void;
  const joined = new Promise<void>((resolve) => (markJoined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => markJoined());
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic: options.input, fromBeginning: true });
  let handled = 0;
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.concurrency ?? 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const messages: Message[] = [];
      for (const m of batch.messages) {
        const key = m.key === null ? null : m.key.toString('utf8');
        const order = m.value === null ? null : (JSON.parse(m.value.toString('utf8')) as Order);
        if (keep(order)) {
          messages.push({
            key: key === null ? null : Buffer.from(key, 'utf8'),
            value: Buffer.from(JSON.stringify(price(order)), 'utf8'),
            headers: m.headers,
            timestamp: m.timestamp,
          });
        }
      }
      if (messages.length > 0) {
        await producer.sendBatch({
          topicMessages: [{ topic: options.output, messages }],
          acks: -1,
        });
        options.onAcknowledged?.(messages);
      }
      const last = batch.lastOffset();
      resolveOffset(last);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
      handled += batch.messages.length;
      await heartbeat();
    },
  });
  return {
    joined,
    handled: () => handled,
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
};
