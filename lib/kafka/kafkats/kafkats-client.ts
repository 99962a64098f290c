import { KafkaClient as KafkatsKafkaClient } from '@kafkats/client';
import type { Logger } from '../../logger/logger';
import { handedOverLogger } from '../../logger/handed-over-logger';
import type { KafkaClient } from '../client';
import { resolveKafkatsClientOptions, type KafkatsClientOptions } from './kafkats-client-options';
import { KafkatsConsumer } from './kafkats-consumer';
import { kafkatsInternals } from './kafkats-internals';
import { kafkatsLogger } from './kafkats-logger';
import { KafkatsProducer } from './kafkats-producer';
import { KafkatsInternalTopics } from './kafkats-internal-topics';
import { applyKafkatsReconnectFix } from './kafkats-reconnect-fix';

/** @kafkats/client's defaults for the settings the revocation budget reads. */
const KAFKATS_DEFAULTS = { rebalanceTimeoutMs: 60_000, heartbeatIntervalMs: 3000 };

/**
 * The port's {@link KafkaClient} over `@kafkats/client` 0.12, a maintained, pure-TypeScript
 * Kafka client: cooperative rebalancing (a retained partition keeps running), per-partition
 * pause, an awaited revocation (the runner drains and commits before partitions move), TLS and
 * SASL (PLAIN, SCRAM, OAUTHBEARER). Options are checked here (a `ConfigError` names the bad
 * one); nothing connects until a runner connects the consumer and producer it creates, each
 * with connections of its own.
 *
 * @example
 * import { kafkatsClient } from 'rx-kstreams/kafkats';
 *
 * const client = kafkatsClient({ brokers: ['127.0.0.1:9092'], groupId: 'orders-app' });
 * await new Application(client, topology).runWith(signal, partitionedRunner());
 */
export const kafkatsClient = (options: KafkatsClientOptions): KafkaClient => {
  const resolved = resolveKafkatsClientOptions(options);
  // A dropped connection is reconnected when next used (kafkats-reconnect-fix.ts).
  applyKafkatsReconnectFix();
  // Its lines go to the client's `logger`, else to the runner's (useLogger); before a runner
  // hands its logger over, warnings and errors go to the console.
  const lines = handedOverLogger();
  const logger: Logger = resolved.logger ?? lines.logger;
  const newClient = (): KafkatsKafkaClient =>
    new KafkatsKafkaClient({
      ...resolved.connection,
      logger: kafkatsLogger(logger, resolved.logLevel, { client: '@kafkats/client' }),
    });
  const { brokers, groupId, consumer, producer, credentials } = resolved;
  const rebalanceTimeoutMs = consumer.rebalanceTimeoutMs ?? KAFKATS_DEFAULTS.rebalanceTimeoutMs;
  const heartbeatIntervalMs = consumer.heartbeatIntervalMs ?? KAFKATS_DEFAULTS.heartbeatIntervalMs;
  // Nothing holds the partitions' next owner but the time the group allows for a rebalance.
  const revokeTimeoutMs = Math.max(
    1000,
    rebalanceTimeoutMs - heartbeatIntervalMs - Math.max(1000, rebalanceTimeoutMs / 10),
  );
  // A @kafkats/client without the internals the adapter uses is refused now, not at run time.
  kafkatsInternals(newClient().consumer({ groupId }));
  return {
    groupId,
    useLogger: (given) => lines.handOver(given),
    createConsumer: (options) => {
      const client = newClient();
      return new KafkatsConsumer(
        client,
        client.consumer({
          ...consumer,
          groupId,
          autoOffsetReset: resolved.fromBeginning ? 'earliest' : 'latest',
          // Range keeps partition N of topics with as many partitions on one member (eager).
          ...(options?.coPartitioned ? { partitionAssignmentStrategy: 'range' as const } : {}),
        }),
        {
          groupId,
          brokers,
          maxQueuedRecords: resolved.maxQueuedRecords,
          revokeTimeoutMs,
          logger,
          credentials,
          createClient: newClient,
        },
      );
    },
    createInternalTopics: () => new KafkatsInternalTopics(newClient, { ...consumer, groupId }),
    createProducer: () => {
      const client = newClient();
      return new KafkatsProducer(client, client.producer(producer), {
        brokers,
        credentials,
      });
    },
  };
};
