import type { Admin } from 'kafkajs';
import type { Logger } from '../../logger/logger';
import type { ConsumerRetirement } from './consumer-retirement';

/**
 * What a `KafkajsConsumer` needs besides the kafkajs consumer. Kept apart from the
 * consumer so that its options read in one place; `kafkajsClient` fills them in from
 * `KafkajsClientOptions`.
 *
 * @example
 * const settings: KafkajsConsumerSettings = {
 *   groupId: 'g', fromBeginning: true, maxQueuedRecords: 10_000, logger: noopLogger,
 * };
 */
export interface KafkajsConsumerSettings {
  readonly groupId: string;
  /** Start from the earliest offset when the group has no committed offset. */
  readonly fromBeginning: boolean;
  /** Fetched-but-unpolled records (of unpaused partitions) above which the fetch loop waits. */
  readonly maxQueuedRecords: number;
  /** How often a waiting fetch loop heartbeats, in ms (kafkajs throttles to heartbeatInterval). */
  readonly heartbeatEveryMs?: number | undefined;
  /**
   * Longest `eachBatch` holds kafkajs's rejoin while `onRevoked` runs after a heartbeat reported
   * a rebalance, in ms (default: `revocationTimeoutMs` of kafkajs's defaults; 0: no wait).
   */
  readonly revokeTimeoutMs?: number | undefined;
  /**
   * kafkajs's `heartbeatInterval`, in ms. Given, a heartbeat that falls due while no
   * `eachBatch` runs (kafkajs waits on a fetch) is sent at once, so a rebalance is seen before
   * kafkajs's own heartbeat after an empty fetch rejoins. Absent, only eachBatch heartbeats.
   */
  readonly heartbeatIntervalMs?: number | undefined;
  /** Makes the admin client `lag()` asks the broker with (absent: `lag()` rejects). */
  readonly createAdmin?: (() => Admin) | undefined;
  readonly logger: Logger;
  /**
   * Retired at close(), so kafkajs never runs this consumer again (absent: one of its own;
   * kafkajsClient() makes one per consumer).
   */
  readonly retirement?: ConsumerRetirement | undefined;
  /** The bootstrap brokers, for errors that say where (absent: a Kafka instance was given). */
  readonly brokers?: readonly string[] | undefined;
  /** The SASL mechanism and user, for errors (never the password). */
  readonly credentials?: string | undefined;
}
