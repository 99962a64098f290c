import type { LazyConnection } from '../lazy-connection';
import { connectedClient } from './connected-client';
import type { ConsumerConfig, KafkaClient, Message } from '@kafkats/client';
import type { InternalTopics, NewTopic, TopicDescription } from '../client';
import type { Offset } from '../offset';
import type { RawRecord, TopicPartition } from '../../record/stream-record';
import { toRawRecord } from './kafkats-consumer';

/** Kafka's TOPIC_ALREADY_EXISTS: another instance made the topic first. */
const TOPIC_ALREADY_EXISTS = 36;

/** What reading a partition back needs of a consumer config: the adapter's own, and a group. */
export type RestoreConsumerConfig = ConsumerConfig;

/**
 * Internal topics through @kafkats/client: its admin describes and creates them (replication
 * factor the broker's default), and a consumer with a manual assignment (no group, nothing
 * committed) reads a partition back from an offset to its end. @kafkats/client 0.12 has no
 * DescribeConfigs: a topic's configuration is not known, so a changelog's compaction is not
 * checked. One client, connected on first use, serves every call.
 *
 * @example
 * const internal = new KafkatsInternalTopics(() => newClient(), consumerConfig);
 * const end = await internal.readPartition({ topic: 'app-counts-changelog', partition: 0 }, '0', apply);
 */
export class KafkatsInternalTopics implements InternalTopics {
  private readonly client: LazyConnection<KafkaClient>;

  constructor(
    createClient: () => KafkaClient,
    private readonly consumerConfig: RestoreConsumerConfig,
  ) {
    this.client = connectedClient(createClient);
  }

  async describe(names: readonly string[]): Promise<ReadonlyMap<string, TopicDescription>> {
    const admin = (await this.client.get()).admin();
    const existing = new Set(await admin.listTopics());
    const present = names.filter((name) => existing.has(name));
    const found = new Map<string, TopicDescription>();
    if (present.length === 0) return found;
    for (const topic of await admin.describeTopics(present)) {
      found.set(topic.name, {
        name: topic.name,
        partitions: topic.partitions.length,
        config: undefined,
      });
    }
    return found;
  }

  async create(topics: readonly NewTopic[]): Promise<void> {
    const admin = (await this.client.get()).admin();
    const results = await admin.createTopics(
      topics.map((topic) => ({
        name: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: -1,
        configs: { ...topic.config },
      })),
    );
    const failed = results.filter(
      (r) => r.errorCode !== 0 && (r.errorCode as number) !== TOPIC_ALREADY_EXISTS,
    );
    if (failed.length > 0) {
      const why = failed.map((r) => `${r.name}: ${r.errorMessage ?? `error ${r.errorCode}`}`);
      throw new Error(`could not create the topics ${why.join('; ')}`);
    }
  }

  async endOffset(tp: TopicPartition): Promise<Offset> {
    const admin = (await this.client.get()).admin();
    const ends = await admin.fetchTopicOffsets(tp.topic, [tp.partition], 'latest');
    return (ends.get(tp.partition) ?? 0n).toString();
  }

  async readPartition(
    tp: TopicPartition,
    from: Offset,
    onRecords: (records: readonly RawRecord[]) => void,
    signal?: AbortSignal,
  ): Promise<Offset> {
    const client = await this.client.get();
    const end = BigInt(await this.endOffset(tp));
    if (BigInt(from) >= end) return end.toString();
    const consumer = client.consumer({ ...this.consumerConfig, autoOffsetReset: 'earliest' });
    const stopOnAbort = (): void => consumer.stop();
    signal?.addEventListener('abort', stopOnAbort, { once: true });
    let reached = BigInt(from);
    // Its generic subscription types are too deep for a plain string: one concrete signature.
    const runBatch = consumer.runBatch.bind(consumer) as unknown as (
      topic: string,
      handler: (batch: Message[]) => Promise<void>,
      options: object,
    ) => Promise<void>;
    try {
      await runBatch(
        tp.topic,
        async (messages) => {
          const wanted = messages.filter((m) => m.partition === tp.partition && m.offset < end);
          if (wanted.length > 0) onRecords(wanted.map(toRawRecord));
          const last = messages[messages.length - 1];
          if (last !== undefined && last.offset + 1n > reached) reached = last.offset + 1n;
          if (reached >= end) consumer.stop();
        },
        {
          assignment: [{ topic: tp.topic, partition: tp.partition, offset: BigInt(from) }],
          commitOffsets: false,
          autoCommit: false,
        },
      );
    } finally {
      signal?.removeEventListener('abort', stopOnAbort);
    }
    signal?.throwIfAborted();
    if (reached < end) {
      throw new Error(
        `reading ${tp.topic}:${tp.partition} back stopped at offset ${reached}, before its end ${end}`,
      );
    }
    return end.toString();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
