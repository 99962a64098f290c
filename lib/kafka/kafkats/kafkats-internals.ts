import type { Consumer as KafkatsConsumerApi } from '@kafkats/client';

/** A partition as @kafkats/client's group code passes it, with the offset it starts from. */
export interface KafkatsPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What an assignment callback is given: each partition and where fetching starts. */
export interface KafkatsPartitionStart extends KafkatsPartition {
  readonly offset: bigint;
}

/**
 * The rebalance callbacks @kafkats/client 0.12 builds for each run (`createProviderCallbacks`).
 * Its group code awaits `onPartitionsRevoked` before it lets the partitions go (cooperative:
 * between the two joins; eager: before the rejoin), with the offsets of those partitions still
 * committable: the awaited hook the port's `onRevoked` needs. Its public `onBeforeRebalance`
 * is awaited too, but is not told which partitions go.
 */
export interface KafkatsProviderCallbacks {
  onRebalance(): Promise<void>;
  onPartitionsAssigned(partitions: KafkatsPartitionStart[]): Promise<void>;
  onPartitionsRevoked(partitions: KafkatsPartition[]): Promise<void>;
  onPartitionsLost(partitions: KafkatsPartition[]): void;
  onError(error: Error): void;
}

/** The commit half of @kafkats/client's offset manager (one per run). */
export interface KafkatsOffsetManager {
  isPartitionAssigned(topic: string, partition: number): boolean;
  markConsumed(topic: string, partition: number, offset: bigint): void;
  commitPendingOffsets(): Promise<void>;
}

/**
 * The private members of @kafkats/client's `Consumer` the adapter uses. Its public API commits
 * only after a handler returns (or on a timer); the port commits offsets of its choosing, so
 * the adapter marks them on the run's offset manager and commits those (which skips partitions
 * the member no longer owns). Checked by {@link kafkatsInternals} when a consumer is built.
 */
export interface KafkatsConsumerInternals {
  createProviderCallbacks(): KafkatsProviderCallbacks;
  readonly offsetManager: KafkatsOffsetManager | null;
}

/** The @kafkats/client versions the adapter's use of its internals was checked against. */
export const SUPPORTED_KAFKATS = '0.12.x';

/** What a @kafkats/client without the internals the adapter uses is refused with. */
export const unsupportedKafkats = (): Error =>
  new Error(
    `this @kafkats/client is not one rx-kstreams/kafkats supports (it needs ${SUPPORTED_KAFKATS}): install @kafkats/client@0.12`,
  );

/**
 * The consumer's internals, checked: a @kafkats/client whose consumer lacks them (another
 * version) is refused here, when the client is built, not in the middle of a rebalance.
 *
 * @example
 * const internals = kafkatsInternals(client.consumer({ groupId: 'g' }));
 * internals.offsetManager?.markConsumed('orders', 0, 41n);
 */
export const kafkatsInternals = (consumer: KafkatsConsumerApi): KafkatsConsumerInternals => {
  const candidate = consumer as unknown as Partial<KafkatsConsumerInternals>;
  if (typeof candidate.createProviderCallbacks !== 'function' || !('offsetManager' in candidate)) {
    throw unsupportedKafkats();
  }
  return candidate as KafkatsConsumerInternals;
};

/** A partition count @kafkats/client's producer cached for a topic, and when. */
interface CachedPartitionCount {
  readonly count: number;
  readonly fetchedAt: number;
}

/**
 * The private members of @kafkats/client's `Producer` the adapter uses. Its `send` awaits the
 * producer's initialisation and the topic's partition count before it queues the record, each
 * call on its own: sends made while either is being fetched (the first sends, and the first
 * after the count's five-minute cache expires) can be queued out of order, and records of one
 * partition then land out of the order they were sent in. The adapter holds such sends back
 * until both are known ({@link ProducerReadiness}).
 */
interface KafkatsProducerInternals {
  readonly config: { readonly idempotent: boolean };
  readonly idempotentState: string;
  readonly partitionCache: Map<string, CachedPartitionCount>;
  readonly cluster: {
    refreshMetadata(
      topics: string[],
    ): Promise<{ topics: Map<string, { partitions: Map<number, unknown> }> }>;
  };
  ensureInitialized(): Promise<void>;
  getPartitionCount(topic: string): Promise<number>;
}

/** How long @kafkats/client caches a topic's partition count (its PARTITION_CACHE_TTL_MS). */
const PARTITION_CACHE_TTL_MS = 5 * 60_000;
/** A count this close to expiring is refreshed before more sends go through. */
const REFRESH_MARGIN_MS = 30_000;

/**
 * Tells whether a `send` to a topic would be queued in call order, and makes it so.
 *
 * @example
 * const readiness = producerReadiness(client.producer());
 * if (!readiness.ready('orders')) await readiness.prepare('orders');
 */
export interface ProducerReadiness {
  /** True when the producer is initialised and the topic's partition count is cached and fresh. */
  ready(topic: string, now?: number): boolean;
  /** Initialises the producer and caches a fresh partition count of the topic. */
  prepare(topic: string): Promise<void>;
}

/**
 * The producer's {@link ProducerReadiness}, checked: a @kafkats/client whose producer lacks the
 * internals it reads (another version) is refused here.
 *
 * @example
 * producerReadiness(client.producer()).ready('orders'); // false before the first send
 */
export const producerReadiness = (producer: object): ProducerReadiness => {
  const p = producer as Partial<KafkatsProducerInternals>;
  if (
    !(p.partitionCache instanceof Map) ||
    typeof p.ensureInitialized !== 'function' ||
    typeof p.getPartitionCount !== 'function' ||
    typeof p.cluster?.refreshMetadata !== 'function' ||
    typeof p.config?.idempotent !== 'boolean'
  ) {
    throw unsupportedKafkats();
  }
  const internals = p as KafkatsProducerInternals;
  const fresh = (topic: string, now: number): boolean => {
    const cached = internals.partitionCache.get(topic);
    return (
      cached !== undefined && now - cached.fetchedAt < PARTITION_CACHE_TTL_MS - REFRESH_MARGIN_MS
    );
  };
  return {
    ready: (topic, now = Date.now()) =>
      (!internals.config.idempotent || internals.idempotentState === 'running') &&
      fresh(topic, now),
    prepare: async (topic) => {
      await internals.ensureInitialized();
      if (fresh(topic, Date.now())) return;
      if (!internals.partitionCache.has(topic)) {
        await internals.getPartitionCount(topic);
        return;
      }
      // An entry near its end is replaced, not dropped: a send already on its way still finds it.
      const meta = (await internals.cluster.refreshMetadata([topic])).topics.get(topic);
      if (meta !== undefined) {
        internals.partitionCache.set(topic, { count: meta.partitions.size, fetchedAt: Date.now() });
      }
    },
  };
};
