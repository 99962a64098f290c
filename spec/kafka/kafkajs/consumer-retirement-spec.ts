import {
  ConsumerRetiredError,
  ConsumerRetirement,
  retiringConsumerConfig,
} from '../../../lib/kafka/kafkajs/consumer-retirement';

describe('ConsumerRetirement', () => {
  it("should let kafkajs restart a crashed consumer (asking the user's restartOnFailure) until retired, then never", async () => {
    const retirement = new ConsumerRetirement();
    const user = jest.fn(async () => true);
    const restart = retirement.restartOnFailure(user);
    expect(await restart(new Error('Closed connection'))).toBe(true);
    expect(await retirement.restartOnFailure()(new Error('Closed connection'))).toBe(true);
    expect(retirement.retired).toBe(false);
    retirement.retire();
    expect(retirement.retired).toBe(true);
    expect(await restart(new Error('Closed connection'))).toBe(false);
    expect(user).toHaveBeenCalledTimes(1);
  });

  it('should refuse with an error kafkajs neither retries nor restarts on', () => {
    const refusal = new ConsumerRetirement().refusal('orders');
    expect(refusal).toBeInstanceOf(ConsumerRetiredError);
    // kafkajs 2.2.4: the retrier rejects at once on `retriable === false`, and the crash
    // handler restarts only when the original cause is retriable.
    expect(refusal.retriable).toBe(false);
    expect(refusal.name).toBe('ConsumerRetiredError');
    expect(refusal.message).toMatch(/group orders was closed/);
  });
});

describe('retiringConsumerConfig', () => {
  it("should keep kafkajs's default consumer retry when none is given", () => {
    const config = retiringConsumerConfig({ groupId: 'g' }, new ConsumerRetirement());
    expect(config).toEqual({
      groupId: 'g',
      retry: { retries: 5, restartOnFailure: expect.any(Function) },
    });
  });

  it("should keep the user's retry settings and wrap their restartOnFailure", async () => {
    const retirement = new ConsumerRetirement();
    const user = jest.fn(async () => false);
    const config = retiringConsumerConfig(
      { groupId: 'g', retry: { retries: 2, initialRetryTime: 50, restartOnFailure: user } },
      retirement,
    );
    expect(config.retry).toMatchObject({ retries: 2, initialRetryTime: 50 });
    expect(config.retry?.restartOnFailure).not.toBe(user);
    expect(await config.retry?.restartOnFailure?.(new Error('x'))).toBe(false);
    expect(user).toHaveBeenCalledTimes(1);
  });
});
