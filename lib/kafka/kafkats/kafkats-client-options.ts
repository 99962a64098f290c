import type { ConsumerConfig, KafkaClientConfig, ProducerConfig } from '@kafkats/client';
import { requireInteger } from '../../errors/require-integer';
import { ConfigError } from '../../errors/config-error';
import { describeSaslLogin } from '../../errors/broker-authentication-error';
import { checkBrokers, givenOnly, requireNonEmptyString } from '../client-options';
import { checkKnownKeys, type KnownKeys } from '../../errors/known-keys';
import type { Logger } from '../../logger/logger';

/** How much @kafkats/client logs (its own levels). */
export type KafkatsLogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** `T` with every property also taking `undefined`, which stands for "not given". */
type OrUndefined<T> = { [P in keyof T]: T[P] | undefined };

/** TLS: `true` (the system's CAs), or @kafkats/client's TLS settings (`ca`, `cert`, `key`, …). */
export type KafkatsTlsOptions =
  true | OrUndefined<Omit<NonNullable<KafkaClientConfig['tls']>, 'enabled'>>;

/** SASL: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER, as @kafkats/client takes it. */
export type KafkatsSaslOptions = NonNullable<KafkaClientConfig['sasl']>;

/** Consumer settings of @kafkats/client the adapter passes on. */
export type KafkatsConsumerOptions = OrUndefined<
  Partial<
    Pick<
      ConsumerConfig,
      | 'groupInstanceId'
      | 'sessionTimeoutMs'
      | 'rebalanceTimeoutMs'
      | 'heartbeatIntervalMs'
      | 'maxBytesPerPartition'
      | 'minBytes'
      | 'maxWaitMs'
      | 'isolationLevel'
      | 'checkCrcs'
      | 'partitionAssignmentStrategy'
      | 'defaultApiTimeoutMs'
    >
  >
>;

/** Producer settings of @kafkats/client the adapter passes on (no transactions). */
export type KafkatsProducerOptions = OrUndefined<
  Partial<
    Pick<
      ProducerConfig,
      | 'lingerMs'
      | 'maxBatchBytes'
      | 'acks'
      | 'retries'
      | 'retryBackoffMs'
      | 'maxRetryBackoffMs'
      | 'compression'
      | 'requestTimeoutMs'
      | 'idempotent'
      | 'maxInFlight'
    >
  >
>;

/** Options of {@link kafkatsClient}. */
export interface KafkatsClientOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  /** The consumer group every consumer of this client joins. */
  readonly groupId: string;
  /** The client id sent to the brokers (default `rx-kstreams`). */
  readonly clientId?: string | undefined;
  /** TLS to the brokers (default off). */
  readonly tls?: KafkatsTlsOptions | undefined;
  /** SASL authentication (default none). */
  readonly sasl?: KafkatsSaslOptions | undefined;
  /** How long connecting to a broker may take, in ms (default 10000). */
  readonly connectionTimeoutMs?: number | undefined;
  /** How long a broker may take to answer a request, in ms (default 30000). */
  readonly requestTimeoutMs?: number | undefined;
  /**
   * Consumer settings. Defaults differ from @kafkats/client's in two places: `maxWaitMs` 100
   * (a fetch of an idle partition returns sooner, so a shutdown or a resume is not held up)
   * and `partitionAssignmentStrategy` `cooperative-sticky` (its default too).
   */
  readonly consumer?: KafkatsConsumerOptions | undefined;
  /**
   * Producer settings. Defaults here: `idempotent` true (a retried batch cannot be written
   * twice or out of order), `acks` `all`, `maxBatchBytes` 1,000,000, `lingerMs` 5.
   */
  readonly producer?: KafkatsProducerOptions | undefined;
  /** Start from the earliest offset when the group has no committed offset (default true). */
  readonly fromBeginning?: boolean | undefined;
  /**
   * Records fetched but not yet polled, of partitions not paused, above which fetching waits
   * for `poll()` to catch up (default 10000).
   */
  readonly maxQueuedRecords?: number | undefined;
  /** @kafkats/client's log level (default `warn`). */
  readonly logLevel?: KafkatsLogLevel | undefined;
  /** Where @kafkats/client's log lines go (default: the runner's logger). */
  readonly logger?: Logger | undefined;
}

const KAFKATS_CLIENT_KEYS: KnownKeys<KafkatsClientOptions> = {
  brokers: true,
  groupId: true,
  clientId: true,
  tls: true,
  sasl: true,
  connectionTimeoutMs: true,
  requestTimeoutMs: true,
  consumer: true,
  producer: true,
  fromBeginning: true,
  maxQueuedRecords: true,
  logLevel: true,
  logger: true,
};

const CONSUMER_KEYS: KnownKeys<KafkatsConsumerOptions> = {
  groupInstanceId: true,
  sessionTimeoutMs: true,
  rebalanceTimeoutMs: true,
  heartbeatIntervalMs: true,
  maxBytesPerPartition: true,
  minBytes: true,
  maxWaitMs: true,
  isolationLevel: true,
  checkCrcs: true,
  partitionAssignmentStrategy: true,
  defaultApiTimeoutMs: true,
};

const PRODUCER_KEYS: KnownKeys<KafkatsProducerOptions> = {
  lingerMs: true,
  maxBatchBytes: true,
  acks: true,
  retries: true,
  retryBackoffMs: true,
  maxRetryBackoffMs: true,
  compression: true,
  requestTimeoutMs: true,
  idempotent: true,
  maxInFlight: true,
};

/** The options with defaults applied, checked. */
export interface ResolvedKafkatsClientOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  /** What each @kafkats/client `KafkaClient` is built with (logger aside). */
  readonly connection: Omit<KafkaClientConfig, 'logger' | 'logLevel'>;
  readonly consumer: Omit<ConsumerConfig, 'groupId'>;
  readonly producer: ProducerConfig;
  readonly fromBeginning: boolean;
  readonly maxQueuedRecords: number;
  readonly logLevel: KafkatsLogLevel;
  readonly logger?: Logger | undefined;
  /** What errors may say about the credentials: the mechanism and user, never the secret. */
  readonly credentials?: string | undefined;
}

const LOG_LEVELS: readonly KafkatsLogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];
const STRATEGIES = ['cooperative-sticky', 'sticky', 'range'];
const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'];

const checkIntegers = (prefix: string, options: object, min: Record<string, number>): void => {
  for (const [key, value] of Object.entries(options)) {
    if (key in min && value !== undefined) requireInteger(`${prefix}${key}`, value, min[key] ?? 0);
  }
};

const resolveTls = (tls: KafkatsTlsOptions | undefined): KafkaClientConfig['tls'] => {
  if (tls === undefined) return undefined;
  if (tls === true) return { enabled: true };
  if (typeof tls !== 'object' || tls === null) {
    throw new ConfigError(
      'tls',
      'must be true or an object of TLS settings ({ ca, cert, key, … })',
    );
  }
  return { ...givenOnly(tls), enabled: true };
};

const resolveSasl = (sasl: KafkatsSaslOptions | undefined): KafkatsSaslOptions | undefined => {
  if (sasl === undefined) return undefined;
  const mechanism = (sasl as { mechanism?: unknown } | null)?.mechanism;
  if (typeof mechanism !== 'string' || !SASL_MECHANISMS.includes(mechanism)) {
    throw new ConfigError(
      'sasl.mechanism',
      `must be one of ${SASL_MECHANISMS.join(', ')}, got ${JSON.stringify(mechanism)}`,
    );
  }
  if (mechanism !== 'OAUTHBEARER') {
    const { username, password } = sasl as { username?: unknown; password?: unknown };
    requireNonEmptyString('sasl.username', username);
    if (typeof password !== 'string' || password === '') {
      // The value is never echoed: it is a secret.
      throw new ConfigError('sasl.password', 'must be a non-empty string');
    }
  }
  return sasl;
};

const resolveConsumer = (options: KafkatsConsumerOptions): Omit<ConsumerConfig, 'groupId'> => {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('consumer', 'must be an object');
  }
  checkKnownKeys('kafkatsClient consumer', options, CONSUMER_KEYS);
  const given = givenOnly(options);
  checkIntegers('consumer.', given, {
    sessionTimeoutMs: 1,
    rebalanceTimeoutMs: 1,
    heartbeatIntervalMs: 1,
    maxBytesPerPartition: 1,
    minBytes: 0,
    maxWaitMs: 0,
    defaultApiTimeoutMs: 1,
  });
  if (
    given.partitionAssignmentStrategy !== undefined &&
    !STRATEGIES.includes(given.partitionAssignmentStrategy)
  ) {
    throw new ConfigError(
      'consumer.partitionAssignmentStrategy',
      `must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(given.partitionAssignmentStrategy)}`,
    );
  }
  if ((given.heartbeatIntervalMs ?? 3000) >= (given.sessionTimeoutMs ?? 30000)) {
    throw new ConfigError(
      'consumer.heartbeatIntervalMs',
      'must be lower than consumer.sessionTimeoutMs',
    );
  }
  return {
    maxWaitMs: 100,
    partitionAssignmentStrategy: 'cooperative-sticky',
    ...given,
    // @kafkats/client 0.12 hands out what it has buffered at most `maxRecords` at a time, and
    // a fetch it hands out in part goes to the back of its buffer, behind later fetches of
    // the same partition: records would come out of offset order. Taking all it has leaves no
    // part behind. The adapter's own queue and `poll({ maxRecords })` bound what a poll returns.
    maxRecords: Number.MAX_SAFE_INTEGER,
  };
};

const resolveProducer = (options: KafkatsProducerOptions): ProducerConfig => {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('producer', 'must be an object');
  }
  checkKnownKeys('kafkatsClient producer', options, PRODUCER_KEYS);
  const given = givenOnly(options);
  checkIntegers('producer.', given, {
    lingerMs: 0,
    maxBatchBytes: 1,
    retries: 0,
    retryBackoffMs: 0,
    maxRetryBackoffMs: 0,
    requestTimeoutMs: 1,
    maxInFlight: 1,
  });
  if (given.acks !== undefined && !['all', 'leader', 'none'].includes(given.acks)) {
    throw new ConfigError(
      'producer.acks',
      `must be 'all', 'leader' or 'none', got ${JSON.stringify(given.acks)}`,
    );
  }
  const idempotent = given.idempotent ?? true;
  if (idempotent && given.acks !== undefined && given.acks !== 'all') {
    throw new ConfigError(
      'producer.acks',
      "an idempotent producer needs acks 'all' (or set producer.idempotent: false)",
    );
  }
  if (idempotent && (given.maxInFlight ?? 5) > 5) {
    throw new ConfigError('producer.maxInFlight', 'an idempotent producer allows at most 5');
  }
  return {
    lingerMs: 5,
    maxBatchBytes: 1_000_000,
    acks: 'all',
    ...given,
    idempotent,
    // Keys land where the Java client and kafkajs's JavaCompatiblePartitioner put them.
    partitioner: 'murmur2',
  };
};

/**
 * Checks {@link KafkatsClientOptions} and applies the defaults; a bad option throws a
 * `ConfigError` naming it (a SASL password is never echoed).
 *
 * @example
 * resolveKafkatsClientOptions({ brokers: ['127.0.0.1:9092'], groupId: 'orders' }).fromBeginning; // true
 */
export const resolveKafkatsClientOptions = (
  options: KafkatsClientOptions,
): ResolvedKafkatsClientOptions => {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', 'must be an object');
  }
  checkKnownKeys('kafkatsClient', options, KAFKATS_CLIENT_KEYS);
  const groupId = requireNonEmptyString('groupId', options.groupId);
  const brokers = checkBrokers(options.brokers);
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
  const tls = resolveTls(options.tls);
  const sasl = resolveSasl(options.sasl);
  const timeouts = givenOnly({
    connectionTimeoutMs: options.connectionTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  checkIntegers('', timeouts, { connectionTimeoutMs: 1, requestTimeoutMs: 1 });
  return {
    brokers,
    groupId,
    connection: {
      brokers: [...brokers],
      clientId,
      ...timeouts,
      ...(tls === undefined ? {} : { tls }),
      ...(sasl === undefined ? {} : { sasl }),
    },
    consumer: resolveConsumer(options.consumer ?? {}),
    producer: resolveProducer(options.producer ?? {}),
    fromBeginning: options.fromBeginning ?? true,
    maxQueuedRecords: requireInteger('maxQueuedRecords', options.maxQueuedRecords ?? 10_000, 1),
    logLevel,
    logger: options.logger,
    credentials: sasl === undefined ? undefined : describeSaslLogin(sasl),
  };
};
