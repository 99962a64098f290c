import { Kafka } from 'kafkajs';
import { ConfigError } from '../../../lib/errors/config-error';
import {
  resolveKafkajsClientOptions,
  type KafkajsClientOptions,
} from '../../../lib/kafka/kafkajs/kafkajs-client-options';

const base = { brokers: ['127.0.0.1:9092'], groupId: 'g' };

const problemWith = (options: unknown): string | undefined => {
  try {
    resolveKafkajsClientOptions(options as KafkajsClientOptions);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).option;
  }
};

describe('resolveKafkajsClientOptions', () => {
  it('should apply the defaults', () => {
    const resolved = resolveKafkajsClientOptions(base);
    expect(resolved.clientId).toBe('rx-kstreams');
    expect(resolved.fromBeginning).toBe(true);
    expect(resolved.maxQueuedRecords).toBe(10_000);
    expect(resolved.logLevel).toBe('warn');
    expect(resolved.batch).toEqual({ lingerMs: 0, maxRecords: 1000, maxBytes: 1_000_000 });
    expect(resolved.send.acks).toBe(-1);
    expect(resolved.consumer).toEqual({ groupId: 'g', maxWaitTimeInMs: 100 });
  });

  it('should pass kafkajs consumer and producer settings through', () => {
    const resolved = resolveKafkajsClientOptions({
      ...base,
      consumer: { maxWaitTimeInMs: 50, sessionTimeout: 10_000, heartbeatInterval: 1000 },
      producer: {
        lingerMs: 20,
        maxBatchRecords: 10,
        acks: 1,
        timeout: 5000,
        idempotent: false,
        retry: { retries: 2 },
      },
    });
    expect(resolved.consumer).toEqual({
      groupId: 'g',
      maxWaitTimeInMs: 50,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
    });
    expect(resolved.producer).toEqual({ idempotent: false, retry: { retries: 2 } });
    expect(resolved.send).toEqual({ acks: 1, timeout: 5000, compression: undefined });
    expect(resolved.batch.lingerMs).toBe(20);
    expect(resolved.batch.maxRecords).toBe(10);
  });

  it('should take an option given as undefined as not given, kafkajs settings included', () => {
    const resolved = resolveKafkajsClientOptions({
      ...base,
      kafka: undefined,
      clientId: undefined,
      consumer: { maxWaitTimeInMs: undefined, sessionTimeout: undefined },
      producer: {
        lingerMs: undefined,
        maxBatchRecords: undefined,
        maxBatchBytes: undefined,
        acks: undefined,
        timeout: undefined,
        compression: undefined,
        idempotent: undefined,
      },
      fromBeginning: undefined,
      maxQueuedRecords: undefined,
      logLevel: undefined,
      logger: undefined,
    });

    expect(resolved).toEqual(resolveKafkajsClientOptions(base));
    expect(resolved.consumer).toStrictEqual({ maxWaitTimeInMs: 100, groupId: 'g' });
    expect(resolved.producer).toStrictEqual({});
  });

  it('should allow clientId, logLevel and logger given as undefined with a kafka instance', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:9092'] });
    const options = { kafka, groupId: 'g', clientId: undefined, logLevel: undefined };

    expect(resolveKafkajsClientOptions({ ...options, logger: undefined }).kafka).toBe(kafka);
  });

  it('should accept a kafka instance instead of brokers', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:9092'] });
    expect(resolveKafkajsClientOptions({ kafka, groupId: 'g' }).kafka).toBe(kafka);
  });

  it.each<[string, unknown]>([
    ['groupId', { brokers: ['h:1'] }],
    ['groupId', { ...base, groupId: ' ' }],
    ['brokers', { groupId: 'g' }],
    ['brokers', { ...base, brokers: [] }],
    ['brokers', { ...base, brokers: ['no-port'] }],
    ['brokers', { ...base, kafka: new Kafka({ brokers: ['h:1'] }) }],
    ['kafka', { groupId: 'g', kafka: {} }],
    ['logLevel', { groupId: 'g', kafka: new Kafka({ brokers: ['h:1'] }), logLevel: 'warn' }],
    ['clientId', { ...base, clientId: '' }],
    ['logLevel', { ...base, logLevel: 'loud' }],
    ['fromBeginning', { ...base, fromBeginning: 'yes' }],
    ['maxQueuedRecords', { ...base, maxQueuedRecords: 0 }],
    ['consumer.groupId', { ...base, consumer: { groupId: 'other' } }],
    ['consumer.maxWaitTimeInMs', { ...base, consumer: { maxWaitTimeInMs: -1 } }],
    ['consumer.heartbeatInterval', { ...base, consumer: { heartbeatInterval: 40_000 } }],
    ['producer.lingerMs', { ...base, producer: { lingerMs: 1.5 } }],
    ['producer.maxBatchRecords', { ...base, producer: { maxBatchRecords: 0 } }],
    ['producer.maxBatchBytes', { ...base, producer: { maxBatchBytes: -5 } }],
    ['producer.acks', { ...base, producer: { acks: 2 } }],
    ['producer.acks', { ...base, producer: { idempotent: true, acks: 1 } }],
    ['producer.timeout', { ...base, producer: { timeout: 0 } }],
    ['producer.transactionalId', { ...base, producer: { transactionalId: 'tx' } }],
    ['options', null],
  ])('should throw a ConfigError naming %s', (option, options) => {
    expect(problemWith(options)).toBe(option);
  });
});
