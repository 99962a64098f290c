import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import { ConfigError } from '../../errors/config-error';
import type { Offset } from '../offset';
import type { RawRecord } from '../../record/stream-record';
import type { RecordMetadata } from '../client';
import { CommitError } from '../client';
import { Cluster, type ConsumerStallMode } from './cluster';
import type { ConsumerGroup, GroupMemberState } from './consumer-group';
import { InMemoryKafkaClient } from './in-memory-kafka-client';
import type { InMemoryClientOptions } from './in-memory-kafka-client';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import type { InMemoryKafkaOptions } from './in-memory-kafka-options';
import {
  checkLatency,
  checkPartitions,
  resolveInMemoryKafkaOptions,
} from './in-memory-kafka-options';
import type { TopicLog } from './topic-log';
import { InjectedFaultError } from './injected-fault-error';
import { describeValue } from '../../errors/kind-of';
import { checkKnownKeys } from '../../errors/known-keys';
import type { InMemoryRecordInput } from './record-input';

/**
 * Which sends {@link InMemoryKafka.injectProduceErrors} fails, and with what.
 *
 * @example
 * kafka.injectProduceErrors(1, { topic: 'payments', error: new Error('broker down') });
 */
export interface ProduceFaultOptions {
  /** Only sends to this topic fail; default any topic. */
  readonly topic?: string | undefined;
  /** Default an {@link InjectedFaultError}. */
  readonly error?: Error | undefined;
}

/**
 * How {@link InMemoryKafka.injectCommitErrors} fails commits.
 *
 * @example
 * kafka.injectCommitErrors(1, { rebalanceInProgress: true });
 */
export interface CommitFaultOptions {
  /** The cause of the CommitError (a CommitError is used as it is); default an {@link InjectedFaultError}. */
  readonly error?: Error | undefined;
  /** The CommitError's `rebalanceInProgress`; default false. */
  readonly rebalanceInProgress?: boolean | undefined;
}

/**
 * A Kafka cluster in memory: topics with partitions and offsets, consumer groups with
 * members, cooperative rebalances and committed offsets, producers with acknowledgements,
 * and injectable faults. Deterministic: keys are partitioned as the Java client does
 * (murmur2), null keys round-robin from partition 0, assignments are round-robin in join
 * order. It is the demo's embedded Kafka and the runners' test double.
 *
 * @example
 * const kafka = new InMemoryKafka({ defaultPartitions: 3 });
 * kafka.produce('orders', [{ key: 'order-1', value: '{"qty":2}' }]);
 * await new Application(kafka.client({ groupId: 'billing' }), topology).run(signal);
 * kafka.committedOffsets('billing'); // { orders: { 1: '1' } }: murmur2 put 'order-1' on partition 1
 */
export class InMemoryKafka {
  private readonly cluster: Cluster;

  constructor(options?: InMemoryKafkaOptions) {
    this.cluster = new Cluster(resolveInMemoryKafkaOptions(options));
  }

  /**
   * Creates a topic; does nothing if it exists with as many partitions, throws if it
   * exists with another count. Names follow Kafka's rules (`[a-zA-Z0-9._-]`, 1 to 249).
   */
  createTopic(
    name: string,
    options: {
      readonly partitions: number;
      /** Topic configuration, e.g. `{ 'cleanup.policy': 'compact' }`: kept, not acted on. */
      readonly config?: Readonly<Record<string, string>> | undefined;
    },
  ): void {
    checkPartitions('partitions', options?.partitions);
    this.cluster.createTopic(name, options.partitions, options.config);
  }

  /** A topic's configuration as it was created ({} when none was given); throws if it does not exist. */
  topicConfig(topic: string): Readonly<Record<string, string>> {
    return this.cluster.topic(topic).config;
  }

  /** Topic names, sorted. */
  topics(): string[] {
    return this.cluster.topicNames();
  }

  /** Throws if the topic does not exist. */
  partitionCount(topic: string): number {
    return this.cluster.topic(topic).partitionCount;
  }

  /**
   * Appends records at once (all or, if one is invalid, none) and returns where they landed.
   * The partition is the record's own, else its key's (murmur2, as the Java client picks),
   * else the next in a round-robin from 0. Not subject to injected produce faults.
   */
  produce(topic: string, records: readonly InMemoryRecordInput[]): RecordMetadata[] {
    if (!Array.isArray(records)) {
      throw new InMemoryKafkaError(
        'INVALID_ARGUMENT',
        `produce: records must be an array, got ${describeValue(records)}`,
      );
    }
    return this.cluster.produce(topic, records);
  }

  /** Everything the topic holds, partition by partition in offset order; [] for an unknown topic. */
  records(topic: string): RawRecord[] {
    return pipe(
      this.cluster.findTopic(topic),
      O.match(
        () => [],
        (log) => log.all(),
      ),
    );
  }

  /** The next offset of each partition, `{ [partition]: offset }`; {} for an unknown topic. */
  endOffsets(topic: string): Record<number, Offset> {
    return pipe(
      this.cluster.findTopic(topic),
      O.match(
        () => ({}),
        (log) =>
          Object.fromEntries(
            Array.from({ length: log.partitionCount }, (_, p) => [p, String(log.endOffset(p))]),
          ),
      ),
    );
  }

  /** `{ [topic]: { [partition]: offset } }`, each the next offset the group will read. */
  committedOffsets(groupId: string): Record<string, Record<number, Offset>> {
    return pipe(
      this.cluster.findGroup(groupId),
      O.match(
        () => ({}),
        (group) => group.committedOffsets(),
      ),
    );
  }

  /**
   * Records not yet committed by the group, summed over every partition of the topics it
   * subscribes to or has committed; a partition without a commit counts from offset 0.
   */
  lag(groupId: string): number {
    const unread = (group: ConsumerGroup, log: TopicLog): number => {
      let lag = 0;
      for (let partition = 0; partition < log.partitionCount; partition += 1) {
        const committed = group.committedOffset({ topic: log.name, partition }) ?? 0;
        lag += Math.max(0, log.endOffset(partition) - committed);
      }
      return lag;
    };
    const lagOf = (group: ConsumerGroup) => (topic: string) =>
      pipe(
        this.cluster.findTopic(topic),
        O.map((log) => unread(group, log)),
        O.getOrElse(() => 0),
      );
    return pipe(
      this.cluster.findGroup(groupId),
      O.map((group) => group.knownTopics().map(lagOf(group))),
      O.map((lags) => lags.reduce((sum, lag) => sum + lag, 0)),
      O.getOrElse(() => 0),
    );
  }

  /** The group's members in join order, with what each owns and has paused right now. */
  groupState(groupId: string): GroupMemberState[] {
    return pipe(
      this.cluster.findGroup(groupId),
      O.match(
        () => [],
        (group) => group.state(),
      ),
    );
  }

  /** A client for one consumer group; every consumer it creates is a new member. */
  client(options: InMemoryClientOptions): InMemoryKafkaClient {
    checkKnownKeys<InMemoryClientOptions>('client', options, {
      groupId: true,
      fromBeginning: true,
    });
    const { groupId, fromBeginning = true } = options ?? ({} as Partial<InMemoryClientOptions>);
    if (typeof groupId !== 'string' || groupId.length === 0) {
      throw new ConfigError('groupId', `must be a non-empty string, got ${describeValue(groupId)}`);
    }
    if (typeof fromBeginning !== 'boolean') {
      throw new ConfigError(
        'fromBeginning',
        `must be a boolean, got ${describeValue(fromBeginning)}`,
      );
    }
    return new InMemoryKafkaClient(this.cluster, groupId, fromBeginning);
  }

  /** The next `count` polls, of any consumer, reject with `error` (default an {@link InjectedFaultError}). */
  injectPollErrors(count: number, error: Error = new InjectedFaultError('poll')): void {
    this.cluster.pollFaults.add(count, error);
  }

  /** The next `count` producer sends (to `topic`, if given) append nothing and their acks reject. */
  injectProduceErrors(count: number, options: ProduceFaultOptions = {}): void {
    const { topic, error = new InjectedFaultError('produce') } = options;
    this.cluster.produceFaults.add(count, error, topic);
  }

  /** The next `count` commits, of any consumer, reject with a {@link CommitError} and write nothing. */
  injectCommitErrors(count: number, options: CommitFaultOptions = {}): void {
    const { error = new InjectedFaultError('commit'), rebalanceInProgress = false } = options;
    const commitError =
      error instanceof CommitError
        ? error
        : new CommitError(`commit failed: ${error.message}`, rebalanceInProgress, { cause: error });
    this.cluster.commitFaults.add(count, commitError);
  }

  /**
   * The next `count` consumers to poll (of any group) stall from that poll on, for good, as a
   * client whose connection broke without saying so: `hang` (the default), the poll never
   * returns; `empty`, every poll returns no records although records wait. Their `lag()` still
   * answers, as a broker asked over another connection would. What a runner's liveness
   * watchdog is tested against.
   *
   * @example
   * kafka.injectConsumerStalls(1);                    // the next consumer's poll never returns
   * kafka.injectConsumerStalls(4, { mode: 'empty' }); // four consumers in a row deliver nothing
   */
  injectConsumerStalls(
    count: number,
    options: { readonly mode?: ConsumerStallMode | undefined } = {},
  ): void {
    const { mode = 'hang' } = options;
    if (!Number.isInteger(count) || count < 0) {
      throw new ConfigError('count', `must be an integer >= 0, got ${String(count)}`);
    }
    if (mode !== 'hang' && mode !== 'empty') {
      throw new ConfigError('mode', `must be 'hang' or 'empty', got ${JSON.stringify(mode)}`);
    }
    for (let i = 0; i < count; i += 1) this.cluster.pendingStalls.push(mode);
  }

  /**
   * The next `count` producers to send (of any client) stall from that send on, for good:
   * no send of theirs is written, acknowledged or failed, and their `flush()` never resolves.
   *
   * @example
   * kafka.injectProducerStalls(1); // the next producer's sends never settle
   */
  injectProducerStalls(count: number): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new ConfigError('count', `must be an integer >= 0, got ${String(count)}`);
    }
    this.cluster.pendingProducerStalls += count;
  }

  /** Drops every pending injected fault (consumers and producers stalled already stay stalled). */
  clearFaults(): void {
    this.cluster.pendingStalls.length = 0;
    this.cluster.pendingProducerStalls = 0;
    this.cluster.pollFaults.clear();
    this.cluster.produceFaults.clear();
    this.cluster.commitFaults.clear();
  }

  /** Sets how long the acknowledgement of later sends takes. */
  setProduceLatency(ms: number): void {
    checkLatency('produceLatencyMs', ms);
    this.cluster.produceLatencyMs = ms;
  }
}
