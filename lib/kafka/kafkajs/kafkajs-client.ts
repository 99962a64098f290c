import { coPartitionedAssigner } from './co-partitioned-assigner';
import { Kafka, logLevel as kafkajsLogLevel, type logLevel } from 'kafkajs';
import type { Logger } from '../../logger/logger';
import { handedOverLogger } from '../../logger/handed-over-logger';
import type { KafkaClient } from '../client';
import {
  resolveKafkajsClientOptions,
  type KafkajsClientOptions,
  type KafkajsLogLevel,
} from './kafkajs-client-options';
import { ConsumerRetirement } from './consumer-retirement';
import { KafkajsConsumer } from './kafkajs-consumer';
import { applyKafkajsFixes } from './kafkajs-fixes';
import { kafkajsLogCreator } from './kafkajs-log-creator';
import { KafkajsProducer } from './kafkajs-producer';
import { KafkajsInternalTopics } from './kafkajs-internal-topics';
import { javaCompatiblePartitioner } from './java-compatible-partitioner';
import { memoPartitioner } from './memo-partitioner';
import { revocationTimeoutMs } from './revocation-timeout';

const LOG_LEVEL: Record<KafkajsLogLevel, logLevel> = {
  nothing: kafkajsLogLevel.NOTHING,
  error: kafkajsLogLevel.ERROR,
  warn: kafkajsLogLevel.WARN,
  info: kafkajsLogLevel.INFO,
  debug: kafkajsLogLevel.DEBUG,
};

/** kafkajs's default `heartbeatInterval`. */
const KAFKAJS_HEARTBEAT_INTERVAL_MS = 3000;

/**
 * The real Kafka client: the port's {@link KafkaClient} over kafkajs 2. Options are checked
 * here (a `ConfigError` names the bad one); nothing connects until a runner connects the
 * consumer and producer it creates.
 *
 * @example
 * import { kafkajsClient } from 'rx-kstreams/kafkajs';
 *
 * const client = kafkajsClient({ brokers: ['127.0.0.1:9092'], groupId: 'orders-app' });
 * await new Application(client, topology).runWith(signal, partitionedRunner());
 */
export const kafkajsClient = (options: KafkajsClientOptions): KafkaClient => {
  const resolved = resolveKafkajsClientOptions(options);
  // kafkajs's lines go to the client's `logger`, else to the runner's (useLogger); before a
  // runner hands its logger over, warnings and errors go to the console.
  const lines = handedOverLogger();
  const logger: Logger = resolved.logger ?? lines.logger;
  const brokers = resolved.brokers ?? [];
  const kafka =
    resolved.kafka ??
    new Kafka({
      clientId: resolved.clientId,
      brokers: [...brokers],
      ...(resolved.ssl === undefined ? {} : { ssl: resolved.ssl }),
      ...(resolved.sasl === undefined ? {} : { sasl: resolved.sasl }),
      logLevel: LOG_LEVEL[resolved.logLevel],
      logCreator: kafkajsLogCreator(logger),
    });
  // Told through kafkajs's own logger: it is the one the user configured for their instance.
  applyKafkajsFixes(kafka.logger());
  if (!((kafka as object) instanceof Kafka)) {
    kafka
      .logger()
      .warn(
        'this Kafka instance comes from another copy of kafkajs than rx-kstreams/kafkajs resolves: ' +
          'the kafkajs fixes (docs/reliability.md) do not reach it; install a single kafkajs',
      );
  }
  return {
    groupId: resolved.groupId,
    useLogger: (given) => lines.handOver(given),
    createConsumer: (options) => {
      // A closed consumer must never hold partitions of the group (consumer-retirement.ts).
      const retirement = new ConsumerRetirement();
      const config = options?.coPartitioned
        ? { ...resolved.consumer, partitionAssigners: [coPartitionedAssigner] }
        : resolved.consumer;
      return new KafkajsConsumer(kafka.consumer(config), {
        groupId: resolved.groupId,
        fromBeginning: resolved.fromBeginning,
        maxQueuedRecords: resolved.maxQueuedRecords,
        revokeTimeoutMs: revocationTimeoutMs(resolved.consumer),
        heartbeatIntervalMs: resolved.consumer.heartbeatInterval ?? KAFKAJS_HEARTBEAT_INTERVAL_MS,
        createAdmin: () => kafka.admin(),
        logger,
        retirement,
        brokers,
        credentials: resolved.credentials,
      });
    },
    createInternalTopics: () =>
      new KafkajsInternalTopics(kafka, resolved.groupId, {
        ...(resolved.consumer.heartbeatInterval === undefined
          ? {}
          : { heartbeatInterval: resolved.consumer.heartbeatInterval }),
        ...(resolved.consumer.sessionTimeout === undefined
          ? {}
          : { sessionTimeout: resolved.consumer.sessionTimeout }),
        maxWaitTimeInMs: resolved.consumer.maxWaitTimeInMs ?? 100,
      }),
    createProducer: () => {
      const memo = memoPartitioner(
        resolved.producer.createPartitioner ?? javaCompatiblePartitioner,
      );
      const producer = kafka.producer({
        ...resolved.producer,
        createPartitioner: memo.createPartitioner,
      });
      return new KafkajsProducer(producer, memo, {
        send: resolved.send,
        batch: resolved.batch,
        brokers,
        credentials: resolved.credentials,
      });
    },
  };
};
