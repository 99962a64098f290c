import { KafkaProtocolError } from '@kafkats/client';
import { BrokerConnectionError } from '../../../lib/errors/broker-connection-error';
import { isRebalanceCode, kafkatsConnectError } from '../../../lib/kafka/kafkats/kafkats-errors';

describe('isRebalanceCode', () => {
  it.each([
    [22, true],
    [25, true],
    [27, true],
    [16, false],
    [3, false],
  ])('should say whether Kafka error code %i means "commit again after the rejoin"', (code, is) => {
    expect(isRebalanceCode(new KafkaProtocolError(code, 'OffsetCommit failed'))).toBe(is);
  });

  it('should find the code in a cause, and not in other errors', () => {
    expect(isRebalanceCode(new Error('wrapped', { cause: new KafkaProtocolError(27, 'x') }))).toBe(
      true,
    );
    expect(isRebalanceCode(new Error('plain'))).toBe(false);
    expect(isRebalanceCode('text')).toBe(false);
  });
});

describe('kafkatsConnectError', () => {
  it('should turn "no bootstrap broker answered" into a BrokerConnectionError naming them', () => {
    const cause = new Error(
      'Failed to connect to any bootstrap broker: Connection to 127.0.0.1:1 failed: connect ECONNREFUSED 127.0.0.1:1',
    );
    const error = kafkatsConnectError(cause, { brokers: ['127.0.0.1:1'] }, 1000, 1250);
    expect(error).toBeInstanceOf(BrokerConnectionError);
    expect((error as BrokerConnectionError).elapsedMs).toBe(250);
    expect((error as Error).message).toMatch(
      /^cannot connect to Kafka at 127\.0\.0\.1:1 \(Failed to connect .*ECONNREFUSED.*; for 0\.3 s\): check the brokers option/,
    );
    expect((error as Error).cause).toBe(cause);
  });

  it('should leave other errors as they are', () => {
    const other = new KafkaProtocolError(3, 'unknown topic');
    expect(kafkatsConnectError(other, { brokers: ['b:1'] }, 0)).toBe(other);
  });
});
