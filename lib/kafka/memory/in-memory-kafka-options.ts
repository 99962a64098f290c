import { checkKnownKeys, type KnownKeys } from '../../errors/known-keys';
import { ConfigError } from '../../errors/config-error';
import type { ClusterSettings } from './cluster';
import { describeValue } from '../../errors/kind-of';

// Reads Date.now at each call, so fake timers installed later are followed too.
const currentTime = (): number => Date.now();

/**
 * How an {@link InMemoryKafka} behaves.
 *
 * @example
 * new InMemoryKafka({ defaultPartitions: 3, autoCreateTopics: false, produceLatencyMs: 5, now: () => 0 });
 */
export interface InMemoryKafkaOptions {
  /** Partitions of a topic created on first use. Default 1. */
  readonly defaultPartitions?: number | undefined;
  /** Create a missing topic on first produce or subscribe (else that is an error). Default true. */
  readonly autoCreateTopics?: boolean | undefined;
  /** How long a producer's acknowledgement takes, in ms. Default 0 (the next macrotask). */
  readonly produceLatencyMs?: number | undefined;
  /** The clock that stamps records produced without a timestamp. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

const IN_MEMORY_KAFKA_KEYS: KnownKeys<InMemoryKafkaOptions> = {
  defaultPartitions: true,
  autoCreateTopics: true,
  produceLatencyMs: true,
  now: true,
};

/**
 * Checks the options and fills in the defaults; a bad option is a ConfigError naming it.
 *
 * @example
 * resolveInMemoryKafkaOptions({ defaultPartitions: 3 }).autoCreateTopics; // true
 */
export const resolveInMemoryKafkaOptions = (
  options: InMemoryKafkaOptions = {},
): ClusterSettings => {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(
      'InMemoryKafka options',
      `must be an object, got ${describeValue(options)}`,
    );
  }
  checkKnownKeys('InMemoryKafka', options, IN_MEMORY_KAFKA_KEYS);
  const {
    defaultPartitions = 1,
    autoCreateTopics = true,
    produceLatencyMs = 0,
    now = currentTime,
  } = options;
  checkPartitions('defaultPartitions', defaultPartitions);
  if (typeof autoCreateTopics !== 'boolean') {
    throw new ConfigError(
      'autoCreateTopics',
      `must be a boolean, got ${describeValue(autoCreateTopics)}`,
    );
  }
  checkLatency('produceLatencyMs', produceLatencyMs);
  if (typeof now !== 'function') {
    throw new ConfigError(
      'now',
      `must be a function returning epoch ms, got ${describeValue(now)}`,
    );
  }
  return { defaultPartitions, autoCreateTopics, produceLatencyMs, now };
};

/**
 * Throws a ConfigError unless `partitions` is a positive integer.
 *
 * @example
 * checkPartitions('partitions', 3);
 */
export const checkPartitions = (option: string, partitions: unknown): void => {
  if (!Number.isInteger(partitions) || (partitions as number) < 1) {
    throw new ConfigError(option, `must be an integer >= 1, got ${String(partitions)}`);
  }
};

/**
 * Throws a ConfigError unless `ms` is a finite number >= 0.
 *
 * @example
 * checkLatency('produceLatencyMs', 5);
 */
export const checkLatency = (option: string, ms: unknown): void => {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new ConfigError(option, `must be a finite number >= 0, got ${String(ms)}`);
  }
};
