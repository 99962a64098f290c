import {
  ConsumerRetiredError,
  ConsumerRetirement,
} from '../../../lib/kafka/kafkajs/consumer-retirement';

describe('ConsumerRetirement', () => {
  it('should be retired once the close has begun', () => {
    const retirement = new ConsumerRetirement();
    expect(retirement.retired).toBe(false);
    retirement.retire();
    expect(retirement.retired).toBe(true);
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
