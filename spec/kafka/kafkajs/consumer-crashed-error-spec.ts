import { ConsumerCrashedError } from '../../../lib/kafka/kafkajs/consumer-crashed-error';

describe('ConsumerCrashedError', () => {
  it('should name the group, say whether kafkajs restarts, and keep the cause', () => {
    const cause = new Error('Connection timeout');
    const error = new ConsumerCrashedError('orders', true, { cause });
    expect(error.name).toBe('ConsumerCrashedError');
    expect(error.message).toBe(
      'kafkajs consumer of group orders crashed (restarting): Connection timeout',
    );
    expect(error.restart).toBe(true);
    expect(error.cause).toBe(cause);
    expect(new ConsumerCrashedError('orders', false, { cause: 'x' }).message).toContain(
      '(not restarting): x',
    );
  });
});
