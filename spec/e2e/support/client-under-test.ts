import type { KafkaClient } from '../../../lib/kafka/client';
import type { Logger } from '../../../lib/logger/logger';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import { kafkatsClient } from 'rx-kstreams/kafkats';
import { brokers } from './broker';

/** The client adapters the real-broker and chaos suites run against. */
export type ClientName = 'kafkajs' | 'kafkats';

/** The client under test: `KAFKA_CLIENT` (`kafkajs`, the default, or `kafkats`). */
export const clientName = (): ClientName => {
  const name = process.env['KAFKA_CLIENT'] ?? 'kafkajs';
  if (name !== 'kafkajs' && name !== 'kafkats') {
    throw new Error(`KAFKA_CLIENT must be kafkajs or kafkats, got ${JSON.stringify(name)}`);
  }
  return name;
};

/** What a test may set on the client under test. */
export interface TestClientOptions {
  readonly groupId: string;
  readonly brokers?: readonly string[] | undefined;
  /** Quick rebalances: short heartbeats and session, fetches that return within 100 ms. */
  readonly fastGroup?: boolean | undefined;
  readonly fromBeginning?: boolean | undefined;
  readonly maxQueuedRecords?: number | undefined;
  readonly logger?: Logger | undefined;
  /** TLS with this CA (PEM). */
  readonly tlsCa?: Buffer | undefined;
  /** SASL/SCRAM-SHA-512 with these credentials. */
  readonly scram?: { readonly username: string; readonly password: string } | undefined;
}

/**
 * The client under test ({@link clientName}) with the same settings in either adapter's terms.
 *
 * @example
 * const client = testClient({ groupId: uniqueName('g'), fastGroup: true });
 */
export const testClient = (options: TestClientOptions): KafkaClient => {
  const fast = options.fastGroup ?? true;
  const common = {
    brokers: options.brokers ?? brokers(),
    groupId: options.groupId,
    fromBeginning: options.fromBeginning,
    maxQueuedRecords: options.maxQueuedRecords,
    logger: options.logger,
  };
  const { tlsCa, scram } = options;
  if (clientName() === 'kafkats') {
    return kafkatsClient({
      ...common,
      tls: tlsCa === undefined ? undefined : { ca: tlsCa, servername: 'localhost' },
      sasl: scram === undefined ? undefined : { mechanism: 'SCRAM-SHA-512', ...scram },
      logLevel: options.logger === undefined ? 'silent' : 'warn',
      consumer: fast
        ? { heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000, maxWaitMs: 100 }
        : undefined,
    });
  }
  return kafkajsClient({
    ...common,
    // The broker's certificate names localhost and 127.0.0.1; an IP as TLS server name is
    // deprecated in Node, so the name is given.
    ssl: tlsCa === undefined ? undefined : { ca: [tlsCa], servername: 'localhost' },
    sasl: scram === undefined ? undefined : { mechanism: 'scram-sha-512', ...scram },
    logLevel: options.logger === undefined ? 'nothing' : 'warn',
    consumer: fast
      ? { heartbeatInterval: 300, sessionTimeout: 10_000, maxWaitTimeInMs: 100 }
      : undefined,
  });
};
