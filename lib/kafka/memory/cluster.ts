import * as O from 'fp-ts/lib/Option.js';
import type { RecordMetadata } from '../client';
import { ConsumerGroup } from './consumer-group';
import { FaultInjector } from './fault-injector';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import { parseRecordInput } from './record-input';
import { TopicLog } from './topic-log';

/**
 * How an injected stall stops a consumer: `hang`, its poll never returns (nor does any
 * later one); `empty`, its polls return no records though records wait.
 */
export type ConsumerStallMode = 'hang' | 'empty';

/** The broker's settings, options already checked. */
export interface ClusterSettings {
  readonly defaultPartitions: number;
  readonly autoCreateTopics: boolean;
  readonly produceLatencyMs: number;
  readonly now: () => number;
}

/**
 * The broker's state behind {@link InMemoryKafka}, shared with its consumers and producers:
 * topics, consumer groups, pending faults and the produce latency.
 *
 * @example
 * const cluster = new Cluster({ defaultPartitions: 1, autoCreateTopics: true, produceLatencyMs: 0, now: Date.now });
 * cluster.produce('orders', [{ key: 'k', value: 'v' }]);
 */
export class Cluster {
  readonly pollFaults = new FaultInjector();
  readonly produceFaults = new FaultInjector();
  readonly commitFaults = new FaultInjector();
  /** Stalls for the next consumers to poll, oldest first ({@link InMemoryKafka.injectConsumerStalls}). */
  readonly pendingStalls: ConsumerStallMode[] = [];
  /** Producers still to stall at their next send ({@link InMemoryKafka.injectProducerStalls}). */
  pendingProducerStalls = 0;
  produceLatencyMs: number;
  private readonly topicLogs = new Map<string, TopicLog>();
  private readonly groups = new Map<string, ConsumerGroup>();

  constructor(private readonly settings: ClusterSettings) {
    this.produceLatencyMs = settings.produceLatencyMs;
  }

  createTopic(
    name: string,
    partitions: number,
    config: Readonly<Record<string, string>> = {},
  ): TopicLog {
    const existing = this.topicLogs.get(name);
    if (existing !== undefined) {
      if (existing.partitionCount === partitions) return existing;
      throw new InMemoryKafkaError(
        'TOPIC_ALREADY_EXISTS',
        `topic "${name}" already exists with ${existing.partitionCount} partitions, not ${partitions}`,
      );
    }
    const log = new TopicLog(name, partitions, Object.freeze({ ...config }));
    this.topicLogs.set(name, log);
    return log;
  }

  topicNames(): string[] {
    return [...this.topicLogs.keys()].sort();
  }

  /** The topic, if it exists (inspection never creates one). */
  findTopic(name: string): O.Option<TopicLog> {
    return O.fromNullable(this.topicLogs.get(name));
  }

  /** The topic, which must exist. */
  topic(name: string): TopicLog {
    const log = this.topicLogs.get(name);
    if (log === undefined) throw unknownTopic(name);
    return log;
  }

  /** The topic, created with the default partition count if it is missing and auto-creation is on. */
  ensureTopic(name: string): TopicLog {
    const log = this.topicLogs.get(name);
    if (log !== undefined) return log;
    if (!this.settings.autoCreateTopics) {
      throw unknownTopic(name, ' (auto-creation is off: call createTopic first)');
    }
    return this.createTopic(name, this.settings.defaultPartitions);
  }

  /** Appends all records or, if any is invalid, none; wakes the groups reading the topic. */
  produce(topic: string, inputs: readonly unknown[]): RecordMetadata[] {
    const log = this.ensureTopic(topic);
    const parsed = inputs.map((input, i) => {
      const where = inputs.length === 1 ? `record for "${topic}"` : `record ${i} for "${topic}"`;
      const record = parseRecordInput(input, where);
      if (record.partition !== undefined) log.checkPartition(record.partition, where);
      return record;
    });
    const metadata = parsed.map((record) => log.append(record, this.settings.now()));
    if (metadata.length > 0) {
      this.groups.forEach((group) => {
        if (group.subscribes(topic)) group.wakeAll();
      });
    }
    return metadata;
  }

  /** The group, created on first use. */
  group(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new ConsumerGroup(groupId, (topic) => this.topic(topic).partitionCount);
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** The group, if a member ever joined it or it committed (inspection never creates one). */
  findGroup(groupId: string): O.Option<ConsumerGroup> {
    return O.fromNullable(this.groups.get(groupId));
  }
}

const unknownTopic = (name: unknown, hint = ''): InMemoryKafkaError =>
  new InMemoryKafkaError(
    'UNKNOWN_TOPIC_OR_PARTITION',
    `topic ${JSON.stringify(name)} does not exist${hint}`,
  );
