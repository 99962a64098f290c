import type { CompressionTypes, ConsumerConfig, Kafka, KafkaConfig, ProducerConfig } from 'kafkajs';
import { requireInteger } from '../../errors/require-integer';
import { ConfigError } from '../../errors/config-error';
import { describeSaslLogin } from '../../errors/broker-authentication-error';
import { checkBrokers, givenOnly, requireNonEmptyString } from '../client-options';
import { checkKnownKeys, type KnownKeys } from '../../errors/known-keys';
import type { Logger } from '../../logger/logger';

/** How much kafkajs logs when the client builds the `Kafka` instance. */
export type KafkajsLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/**
 * `T` with every property also taking `undefined`, which stands for "not given" (kafkajs
 * declares its settings without it, so under `exactOptionalPropertyTypes` a `retry:
 * undefined` would not compile).
 */
type OrUndefined<T> = { [P in keyof T]: T[P] | undefined };

/** The producer's options: kafkajs `ProducerConfig` plus how sends are batched. */
export interface KafkajsProducerOptions extends OrUndefined<
  Omit<ProducerConfig, 'transactionalId' | 'transactionTimeout'>
> {
  /**
   * How long a record waits for others to share its `sendBatch`, in ms (default 0: until the
   * current event-loop turn ends, so the sends of one turn — one poll's batch — go together,
   * and while a batch is in flight the next one fills anyway).
   */
  readonly lingerMs?: number | undefined;
  /** At most this many records in one `sendBatch` (default 1000). */
  readonly maxBatchRecords?: number | undefined;
  /** At most this many (estimated) bytes in one `sendBatch` (default 1,000,000). */
  readonly maxBatchBytes?: number | undefined;
  /** Acknowledgements the broker waits for: -1 all in-sync replicas (default), 1 leader, 0 none. */
  readonly acks?: -1 | 0 | 1 | undefined;
  /** How long the broker may take to acknowledge, in ms (kafkajs default 30000). */
  readonly timeout?: number | undefined;
  /** Compression of each batch (default none). */
  readonly compression?: CompressionTypes | undefined;
}

/**
 * Options of {@link kafkajsClient}. Give `brokers` (the client builds the kafkajs `Kafka`
 * instance) or `kafka` (yours, with your SSL/SASL/logging settings), not both.
 */
export interface KafkajsClientOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers?: readonly string[] | undefined;
  /** A kafkajs `Kafka` instance to use instead of building one from `brokers`. */
  readonly kafka?: Kafka | undefined;
  /** The consumer group every consumer of this client joins. */
  readonly groupId: string;
  /** kafkajs `clientId` (default `rx-kstreams`); only with `brokers`. */
  readonly clientId?: string | undefined;
  /** TLS, as kafkajs takes it (`true`, or tls.connect options: `{ ca, cert, key }`); only with `brokers`. */
  readonly ssl?: KafkaConfig['ssl'] | undefined;
  /** SASL, as kafkajs takes it (`{ mechanism: 'scram-sha-512', username, password }`); only with `brokers`. */
  readonly sasl?: KafkaConfig['sasl'] | undefined;
  /**
   * kafkajs consumer settings; `maxWaitTimeInMs` defaults to 100 here (kafkajs: 5000): kafkajs
   * also sleeps that long when every partition is paused, and a `resume()` does not wake it.
   */
  readonly consumer?: OrUndefined<Partial<Omit<ConsumerConfig, 'groupId'>>> | undefined;
  /** Producer settings and batching. */
  readonly producer?: KafkajsProducerOptions | undefined;
  /** Start from the earliest offset when the group has no committed offset (default true). */
  readonly fromBeginning?: boolean | undefined;
  /**
   * Records fetched but not yet polled, above which the fetch loop waits (heartbeating) for
   * `poll()` to catch up (default 10000). Records of paused partitions do not count.
   */
  readonly maxQueuedRecords?: number | undefined;
  /** kafkajs log level (default `warn`); only with `brokers`. */
  readonly logLevel?: KafkajsLogLevel | undefined;
  /** Where kafkajs logs go (default: kafkajs's console logger); only with `brokers`. */
  readonly logger?: Logger | undefined;
}

const KAFKAJS_CLIENT_KEYS: KnownKeys<KafkajsClientOptions> = {
  brokers: true,
  kafka: true,
  groupId: true,
  clientId: true,
  ssl: true,
  sasl: true,
  consumer: true,
  producer: true,
  fromBeginning: true,
  maxQueuedRecords: true,
  logLevel: true,
  logger: true,
};

/** The options with defaults applied, checked. */
export interface ResolvedKafkajsClientOptions {
  readonly brokers?: readonly string[] | undefined;
  readonly kafka?: Kafka | undefined;
  readonly groupId: string;
  readonly clientId: string;
  readonly ssl?: KafkaConfig['ssl'] | undefined;
  readonly sasl?: KafkaConfig['sasl'] | undefined;
  /** What errors may say about the credentials: the mechanism and user, never the secret. */
  readonly credentials?: string | undefined;
  readonly consumer: ConsumerConfig;
  readonly producer: ProducerConfig;
  /** What every `sendBatch` is given: kafkajs's `ProducerBatch` settings, only those set. */
  readonly send: {
    readonly acks: -1 | 0 | 1;
    readonly timeout?: number;
    readonly compression?: CompressionTypes;
  };
  readonly batch: {
    readonly lingerMs: number;
    readonly maxRecords: number;
    readonly maxBytes: number;
  };
  readonly fromBeginning: boolean;
  readonly maxQueuedRecords: number;
  readonly logLevel: KafkajsLogLevel;
  readonly logger?: Logger | undefined;
}

const LOG_LEVELS: readonly KafkajsLogLevel[] = ['nothing', 'error', 'warn', 'info', 'debug'];

const optionalInteger = (option: string, value: unknown, min: number): number | undefined =>
  value === undefined ? undefined : requireInteger(option, value, min);

const onlyWithBrokers = (options: KafkajsClientOptions): void => {
  for (const option of ['clientId', 'ssl', 'sasl', 'logLevel', 'logger'] as const) {
    if (options[option] !== undefined) {
      throw new ConfigError(
        option,
        'applies only with `brokers`; set it on your own Kafka instance',
      );
    }
  }
};

const resolveProducer = (
  producer: KafkajsProducerOptions,
): Pick<ResolvedKafkajsClientOptions, 'producer' | 'send' | 'batch'> => {
  const { lingerMs, maxBatchRecords, maxBatchBytes, acks, timeout, compression, ...config } =
    givenOnly(producer);
  for (const option of ['transactionalId', 'transactionTimeout']) {
    if (option in config) {
      throw new ConfigError(`producer.${option}`, 'transactions are not supported by this client');
    }
  }
  if (acks !== undefined && acks !== -1 && acks !== 0 && acks !== 1) {
    throw new ConfigError('producer.acks', `must be -1, 0 or 1, got ${String(acks)}`);
  }
  if (config.idempotent === true && acks !== undefined && acks !== -1) {
    throw new ConfigError('producer.acks', 'an idempotent producer needs acks -1');
  }
  const sendTimeout = optionalInteger('producer.timeout', timeout, 1);
  return {
    producer: config,
    send: {
      acks: acks ?? -1,
      ...(sendTimeout === undefined ? {} : { timeout: sendTimeout }),
      ...(compression === undefined ? {} : { compression }),
    },
    batch: {
      lingerMs: requireInteger('producer.lingerMs', lingerMs ?? 0, 0),
      maxRecords: requireInteger('producer.maxBatchRecords', maxBatchRecords ?? 1000, 1),
      maxBytes: requireInteger('producer.maxBatchBytes', maxBatchBytes ?? 1_000_000, 1),
    },
  };
};

/**
 * Checks {@link KafkajsClientOptions} and applies the defaults; a bad option throws a
 * `ConfigError` naming it.
 *
 * @example
 * resolveKafkajsClientOptions({ brokers: ['127.0.0.1:9092'], groupId: 'orders' }).batch.lingerMs; // 0
 */
export const resolveKafkajsClientOptions = (
  options: KafkajsClientOptions,
): ResolvedKafkajsClientOptions => {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', 'must be an object');
  }
  checkKnownKeys('kafkajsClient', options, KAFKAJS_CLIENT_KEYS);
  const groupId = requireNonEmptyString('groupId', options.groupId);
  if (options.kafka !== undefined && options.brokers !== undefined) {
    throw new ConfigError('brokers', 'give either `brokers` or `kafka`, not both');
  }
  if (options.kafka === undefined && options.brokers === undefined) {
    throw new ConfigError('brokers', 'give `brokers` (or a kafkajs `kafka` instance)');
  }
  if (options.kafka !== undefined) {
    if (
      typeof options.kafka.consumer !== 'function' ||
      typeof options.kafka.producer !== 'function'
    ) {
      throw new ConfigError('kafka', 'must be a kafkajs Kafka instance');
    }
    onlyWithBrokers(options);
  }
  const brokers = options.brokers === undefined ? undefined : checkBrokers(options.brokers);
  const clientId = requireNonEmptyString('clientId', options.clientId ?? 'rx-kstreams');
  const logLevel = options.logLevel ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      'logLevel',
      `must be one of ${LOG_LEVELS.join(', ')}, got ${String(logLevel)}`,
    );
  }
  if (options.fromBeginning !== undefined && typeof options.fromBeginning !== 'boolean') {
    throw new ConfigError('fromBeginning', 'must be a boolean');
  }
  const consumerOptions = givenOnly(options.consumer ?? {});
  if ('groupId' in consumerOptions) {
    throw new ConfigError('consumer.groupId', 'set the top-level `groupId` instead');
  }
  const consumer: ConsumerConfig = { maxWaitTimeInMs: 100, ...consumerOptions, groupId };
  requireInteger('consumer.maxWaitTimeInMs', consumer.maxWaitTimeInMs, 0);
  for (const option of ['sessionTimeout', 'heartbeatInterval', 'rebalanceTimeout'] as const) {
    optionalInteger(`consumer.${option}`, consumer[option], 1);
  }
  if ((consumer.heartbeatInterval ?? 3000) >= (consumer.sessionTimeout ?? 30000)) {
    throw new ConfigError(
      'consumer.heartbeatInterval',
      'must be lower than consumer.sessionTimeout',
    );
  }
  const sasl = options.sasl;
  if (sasl !== undefined) {
    const mechanism = (sasl as { mechanism?: unknown } | null)?.mechanism;
    if (typeof mechanism !== 'string' || mechanism === '') {
      throw new ConfigError(
        'sasl.mechanism',
        "must be a kafkajs SASL mechanism ('plain', 'scram-sha-256', 'scram-sha-512', 'aws', 'oauthbearer')",
      );
    }
  }
  return {
    brokers,
    kafka: options.kafka,
    groupId,
    clientId,
    ssl: options.ssl,
    sasl,
    credentials: sasl === undefined ? undefined : describeSaslLogin(sasl),
    consumer,
    ...resolveProducer(options.producer ?? {}),
    fromBeginning: options.fromBeginning ?? true,
    maxQueuedRecords: requireInteger('maxQueuedRecords', options.maxQueuedRecords ?? 10_000, 1),
    logLevel,
    logger: options.logger,
  };
};
