import { KafkaClient, type Message, type ProducerMessage } from '@kafkats/client';
import { keep, type Order, price } from './orders';

/** Options of the hand-written @kafkats/client pipeline. */
export interface KafkatsPipelineOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly input: string;
  readonly output: string;
  /** `partitionConcurrency`: partitions whose batches are handled at once. */
  readonly concurrency: number;
}

/** A running hand-written pipeline. */
export interface KafkatsPipeline {
  /** The error the consumer's run failed with, if it has. */
  readonly failed: () => unknown;
  stop(): Promise<void>;
}

/**
 * What a @kafkats/client user writes for the same work: `runBatch` with a handler that
 * deserializes, filters, maps and serializes each message and sends the batch's outputs in one
 * `send` (acks all), `partitionConcurrency` partitions at once; the client commits a batch's
 * offsets after its handler returns (its `autoCommit`, every 5 s, and on stop): at-least-once.
 * The same settings as the adapter's where they matter: `maxWaitMs` 100, idempotent producer,
 * `maxBatchBytes` 1,000,000.
 *
 * @example
 * const pipeline = await startKafkatsPipeline({ brokers, groupId, input, output, concurrency: 8 });
 * await pipeline.stop();
 */
export const startKafkatsPipeline = async (
  options: KafkatsPipelineOptions,
): Promise<KafkatsPipeline> => {
  const client = new KafkaClient({
    brokers: [...options.brokers],
    clientId: 'hand-written-kafkats',
  });
  await client.connect();
  const consumer = client.consumer({
    groupId: options.groupId,
    autoOffsetReset: 'earliest',
    maxWaitMs: 100,
  });
  const producer = client.producer({ idempotent: true, acks: 'all', maxBatchBytes: 1_000_000 });
  const handle = async (batch: Message[]): Promise<void> => {
    const messages: ProducerMessage<Buffer, Buffer>[] = [];
    for (const m of batch) {
      const key = m.key === null ? null : m.key.toString('utf8');
      const value = m.value as Buffer | null;
      const order = value === null ? null : (JSON.parse(value.toString('utf8')) as Order);
      if (keep(order)) {
        messages.push({
          key: key === null ? null : Buffer.from(key, 'utf8'),
          value: Buffer.from(JSON.stringify(price(order)), 'utf8'),
          headers: m.headers,
        });
      }
    }
    if (messages.length > 0) await producer.send(options.output, messages);
  };
  let failure: unknown;
  const running = consumer
    .runBatch(options.input, handle, { partitionConcurrency: options.concurrency })
    .catch((error: unknown) => {
      failure = error ?? new Error('runBatch failed');
    });
  return {
    failed: () => failure,
    stop: async () => {
      consumer.stop();
      await running;
      await producer.disconnect();
      await client.disconnect();
    },
  };
};
