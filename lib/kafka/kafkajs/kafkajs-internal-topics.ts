import { randomUUID } from 'node:crypto';
import {
  type Admin,
  AssignerProtocol,
  type ConfigResourceTypes,
  type Consumer,
  type ConsumerConfig,
  type Kafka,
  type PartitionAssigner,
} from 'kafkajs';
import type { InternalTopics, NewTopic, TopicDescription } from '../client';
import type { Offset } from '../offset';
import type { RawRecord, TopicPartition } from '../../record/stream-record';
import { toRawRecord } from './to-raw-record';
import type { LazyConnection } from '../lazy-connection';
import { connectedAdmin } from './connected-admin';

/**
 * kafkajs's `ConfigResourceTypes.TOPIC`. Its value, not the export: Node's ESM loader cannot
 * see that export of kafkajs's CommonJS index (it follows a computed property).
 */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

/** The configuration entries a changelog is checked for. */
const CHECKED_CONFIGS = ['cleanup.policy'];

/**
 * An assigner that gives its one member exactly `tp`: kafkajs has no manual assignment, so a
 * partition is read back through a group of its own, in which this member is alone.
 */
const onlyPartition =
  (tp: TopicPartition): PartitionAssigner =>
  () => ({
    name: 'RxKstreamsReadBack',
    version: 0,
    assign: async ({ members }) =>
      members.map((member, i) => ({
        memberId: member.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: i === 0 ? { [tp.topic]: [tp.partition] } : {},
          userData: Buffer.alloc(0),
        }),
      })),
    protocol: ({ topics }) => ({
      name: 'RxKstreamsReadBack',
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 0,
        topics,
        userData: Buffer.alloc(0),
      }),
    }),
  });

/**
 * Internal topics through kafkajs: its admin lists, describes (partitions and
 * `cleanup.policy`) and creates them (replication factor the broker's default). kafkajs has
 * no manual assignment, so a partition is read back by a consumer in a group of its own
 * (`<groupId>-read-back-<uuid>`), alone there with an assigner that gives it that partition;
 * it commits nothing, so the group is gone once it leaves. One admin, connected on first use,
 * serves every call.
 *
 * @example
 * const internal = new KafkajsInternalTopics(kafka, 'word-count', consumerConfig);
 * const end = await internal.readPartition({ topic: 'word-count-counts-changelog', partition: 0 }, '0', apply);
 */
export class KafkajsInternalTopics implements InternalTopics {
  private readonly admin: LazyConnection<Admin>;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly consumerConfig: Omit<ConsumerConfig, 'groupId'>,
  ) {
    this.admin = connectedAdmin(() => kafka.admin());
  }

  async describe(names: readonly string[]): Promise<ReadonlyMap<string, TopicDescription>> {
    const admin = await this.admin.get();
    const existing = new Set(await admin.listTopics());
    const present = names.filter((name) => existing.has(name));
    const found = new Map<string, TopicDescription>();
    if (present.length === 0) return found;
    const [{ topics }, { resources }] = await Promise.all([
      admin.fetchTopicMetadata({ topics: present }),
      admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((name) => ({
          type: TOPIC_RESOURCE,
          name,
          configNames: CHECKED_CONFIGS,
        })),
      }),
    ]);
    const configs = new Map(
      resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
      ]),
    );
    for (const topic of topics) {
      found.set(topic.name, {
        name: topic.name,
        partitions: topic.partitions.length,
        config: configs.get(topic.name) ?? {},
      });
    }
    return found;
  }

  async create(topics: readonly NewTopic[]): Promise<void> {
    const admin = await this.admin.get();
    // Resolves false when a topic exists already: another instance made it first.
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        configEntries: Object.entries(topic.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  async endOffset(tp: TopicPartition): Promise<Offset> {
    const admin = await this.admin.get();
    const offsets = await admin.fetchTopicOffsets(tp.topic);
    return offsets.find((o) => o.partition === tp.partition)?.high ?? '0';
  }

  async readPartition(
    tp: TopicPartition,
    from: Offset,
    onRecords: (records: readonly RawRecord[]) => void,
    signal?: AbortSignal,
  ): Promise<Offset> {
    const end = BigInt(await this.endOffset(tp));
    if (BigInt(from) >= end) return end.toString();
    const consumer = this.kafka.consumer({
      ...this.consumerConfig,
      groupId: `${this.groupId}-read-back-${randomUUID()}`,
      partitionAssigners: [onlyPartition(tp)],
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [tp.topic], fromBeginning: true });
      await this.readTo(consumer, tp, from, end, onRecords, signal);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return end.toString();
  }

  async close(): Promise<void> {
    await this.admin.close();
  }

  /** Runs the consumer until every record before `end` was handed over (or it fails). */
  private readTo(
    consumer: Consumer,
    tp: TopicPartition,
    from: Offset,
    end: bigint,
    onRecords: (records: readonly RawRecord[]) => void,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let reached = BigInt(from);
      const abort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', abort, { once: true });
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      const done = (): void => {
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      consumer
        .run({
          // Nothing is committed (a group of its own); resolving each batch moves the fetch on.
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (batch.topic !== tp.topic || batch.partition !== tp.partition) return;
            const records: RawRecord[] = [];
            for (const m of batch.messages) {
              const offset = BigInt(m.offset);
              if (offset < reached || offset >= end) continue;
              records.push(toRawRecord(batch.topic, batch.partition, m));
            }
            if (records.length > 0) onRecords(records);
            const last = batch.messages[batch.messages.length - 1];
            if (last !== undefined && BigInt(last.offset) + 1n > reached) {
              reached = BigInt(last.offset) + 1n;
            }
            if (reached >= end) done();
          },
        })
        .then(() => {
          if (from !== '0')
            consumer.seek({ topic: tp.topic, partition: tp.partition, offset: from });
        })
        .catch(reject);
    });
  }
}
