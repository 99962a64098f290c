import { ConfigError } from '../../../lib/errors/config-error';
import {
  resolveKafkatsClientOptions,
  type KafkatsClientOptions,
} from '../../../lib/kafka/kafkats/kafkats-client-options';

const base = { brokers: ['127.0.0.1:9092'], groupId: 'g' };

/** The ConfigError a bad options object throws (undefined when none). */
const errorOf = (options: unknown): ConfigError | undefined => {
  try {
    resolveKafkatsClientOptions(options as KafkatsClientOptions);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
};

describe('resolveKafkatsClientOptions', () => {
  it('should apply the defaults', () => {
    const resolved = resolveKafkatsClientOptions(base);
    expect(resolved.connection).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'rx-kstreams' });
    expect(resolved.consumer).toEqual({
      maxWaitMs: 100,
      partitionAssignmentStrategy: 'cooperative-sticky',
      maxRecords: Number.MAX_SAFE_INTEGER,
    });
    expect(resolved.producer).toEqual({
      lingerMs: 5,
      maxBatchBytes: 1_000_000,
      acks: 'all',
      idempotent: true,
      partitioner: 'murmur2',
    });
    expect(resolved.fromBeginning).toBe(true);
    expect(resolved.maxQueuedRecords).toBe(10_000);
    expect(resolved.logLevel).toBe('warn');
    expect(resolved.credentials).toBeUndefined();
  });

  it('should pass consumer, producer, TLS and SASL settings through', () => {
    const resolved = resolveKafkatsClientOptions({
      ...base,
      clientId: 'orders',
      tls: { ca: 'PEM', servername: undefined },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'app', password: 'secret' },
      connectionTimeoutMs: 2000,
      consumer: { maxWaitMs: 50, partitionAssignmentStrategy: 'range', minBytes: undefined },
      producer: { lingerMs: 0, idempotent: false, acks: 'leader' },
    });
    expect(resolved.connection).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'orders',
      connectionTimeoutMs: 2000,
      tls: { ca: 'PEM', enabled: true },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'app', password: 'secret' },
    });
    expect(resolved.consumer).toEqual({
      maxWaitMs: 50,
      partitionAssignmentStrategy: 'range',
      maxRecords: Number.MAX_SAFE_INTEGER,
    });
    expect(resolved.producer).toMatchObject({ lingerMs: 0, idempotent: false, acks: 'leader' });
    expect(resolved.credentials).toBe('SASL SCRAM-SHA-512 as "app"');
    expect(resolveKafkatsClientOptions({ ...base, tls: true }).connection.tls).toEqual({
      enabled: true,
    });
  });

  it.each([
    [{ groupId: 'g' }, 'brokers'],
    [{ ...base, brokers: ['localhost'] }, 'brokers'],
    [{ ...base, groupId: ' ' }, 'groupId'],
    [{ ...base, logLevel: 'nothing' }, 'logLevel'],
    [{ ...base, fromBeginning: 'yes' }, 'fromBeginning'],
    [{ ...base, maxQueuedRecords: 0 }, 'maxQueuedRecords'],
    [{ ...base, connectionTimeoutMs: -1 }, 'connectionTimeoutMs'],
    [{ ...base, tls: 'on' }, 'tls'],
    [
      { ...base, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } },
      'sasl.mechanism',
    ],
    [{ ...base, sasl: { mechanism: 'PLAIN', password: 'p' } }, 'sasl.username'],
    [{ ...base, consumer: { maxWaitMs: 1.5 } }, 'consumer.maxWaitMs'],
    [
      { ...base, consumer: { partitionAssignmentStrategy: 'roundrobin' } },
      'consumer.partitionAssignmentStrategy',
    ],
    [
      { ...base, consumer: { heartbeatIntervalMs: 5000, sessionTimeoutMs: 4000 } },
      'consumer.heartbeatIntervalMs',
    ],
    [{ ...base, producer: { acks: -1 } }, 'producer.acks'],
    [{ ...base, producer: { acks: 'leader' } }, 'producer.acks'],
    [{ ...base, producer: { maxInFlight: 6 } }, 'producer.maxInFlight'],
  ])('should refuse %j, naming %s', (options, option) => {
    expect(errorOf(options)?.option).toBe(option);
  });

  it('should name an unknown option and the one probably meant, at every level', () => {
    expect(errorOf({ ...base, groupID: 'g' })?.message).toMatch(/groupID.*groupId/);
    expect(errorOf({ ...base, consumer: { maxWaitTimeInMs: 100 } })?.message).toMatch(
      /maxWaitTimeInMs/,
    );
    // Left out on purpose: a part of a fetch would be handed out after later fetches.
    expect(errorOf({ ...base, consumer: { maxRecords: 100 } })?.message).toMatch(/maxRecords/);
    expect(errorOf({ ...base, producer: { transactionalId: 't' } })?.message).toMatch(
      /transactionalId/,
    );
  });

  it('should never echo a SASL password', () => {
    const error = errorOf({
      ...base,
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'app', password: 42 },
    });
    expect(error?.option).toBe('sasl.password');
    expect(error?.message).not.toMatch(/42/);
  });
});
