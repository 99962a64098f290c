import {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  logLevel,
} from 'kafkajs';
import { BrokerConnectionError } from 'rx-kstreams';
import { kafkajsLogCreator } from 'rx-kstreams/kafkajs';
import { connectError, isUnknownTopic } from '../../../lib/kafka/kafkajs/client-errors';
import { recordingLogger } from '../../support/recording-logger';

describe('connectError', () => {
  it('should turn kafkajs giving up on a connection into a BrokerConnectionError', () => {
    const refused = new KafkaJSConnectionError(
      'Connection error: connect ECONNREFUSED 127.0.0.1:1',
    );
    const gaveUp = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 900 });
    const error = connectError(gaveUp, ['127.0.0.1:1'], 1000, 9500);
    expect(error).toBeInstanceOf(BrokerConnectionError);
    expect((error as BrokerConnectionError).message).toBe(
      'cannot connect to Kafka at 127.0.0.1:1 (Connection error: connect ECONNREFUSED 127.0.0.1:1; 6 attempts in 8.5 s): check the brokers option, and that a broker is running there and reachable from this host',
    );
    expect((error as BrokerConnectionError).cause).toBe(gaveUp);
  });

  it('should say "the given Kafka instance" when it was not told the brokers', () => {
    const error = connectError(new KafkaJSConnectionError('Connection timeout'), [], 0, 2000);
    expect((error as Error).message).toMatch(
      /^cannot connect to Kafka at the brokers of the given Kafka instance \(Connection timeout; for 2\.0 s\)/,
    );
  });

  it('should leave other errors as they are', () => {
    const other = new Error('SASL authentication failed');
    expect(connectError(other, ['b:9092'], 0)).toBe(other);
  });
});

describe('isUnknownTopic', () => {
  it("should tell kafkajs's UNKNOWN_TOPIC_OR_PARTITION from other protocol errors", () => {
    expect(
      isUnknownTopic(
        new KafkaJSProtocolError({
          type: 'UNKNOWN_TOPIC_OR_PARTITION',
          code: 3,
          retriable: true,
          message: 'x',
        } as never),
      ),
    ).toBe(true);
    expect(
      isUnknownTopic(
        new KafkaJSProtocolError({
          type: 'REBALANCE_IN_PROGRESS',
          code: 27,
          retriable: false,
          message: 'x',
        } as never),
      ),
    ).toBe(false);
    expect(isUnknownTopic(new Error('x'))).toBe(false);
  });
});

describe('kafkajsLogCreator', () => {
  it('should drop stacks and make lines that repeat what the caller is told debug lines', () => {
    const logger = recordingLogger();
    const log = kafkajsLogCreator(logger)(logLevel.INFO);
    const entry = (namespace: string, level: logLevel, message: string) =>
      log({
        namespace,
        level,
        label: 'ERROR',
        log: { message, timestamp: 'now', stack: 'Error: at kafkajs' },
      });
    entry('Connection', logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:1');
    entry(
      'BrokerPool',
      logLevel.ERROR,
      'Failed to connect to seed broker, trying another broker from the list',
    );
    entry('Connection', logLevel.ERROR, 'Response Metadata(key: 3, version: 6)');
    entry('Consumer', logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded');
    expect(logger.entries.map((e) => e.level)).toEqual(['debug', 'debug', 'debug', 'error']);
    expect(logger.entries.every((e) => !('stack' in (e.fields as object)))).toBe(true);
    expect(logger.entries[3]!.fields).toEqual({ namespace: 'Consumer' });
  });

  it('should never throw into kafkajs: not for a line without a message, nor for a logger that throws', () => {
    const logger = recordingLogger();
    const log = kafkajsLogCreator(logger)(logLevel.INFO);
    // kafkajs's broker pool logs `e.message`, which some errors lack.
    const bare = {
      namespace: 'BrokerPool',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 'now' },
    };
    expect(() => log(bare as never)).not.toThrow();
    expect(logger.entries).toHaveLength(1);
    const throwing = kafkajsLogCreator({
      ...logger,
      error: () => {
        throw new Error('logger down');
      },
    })(logLevel.INFO);
    expect(() =>
      throwing({
        namespace: 'Consumer',
        level: logLevel.ERROR,
        label: 'ERROR',
        log: { message: 'Crash', timestamp: 'now' },
      }),
    ).not.toThrow();
  });
});
