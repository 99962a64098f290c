import { revocationTimeoutMs } from '../../../lib/kafka/kafkajs/revocation-timeout';

describe('revocationTimeoutMs', () => {
  it("should leave a heartbeat, a fetch wait and a tenth of kafkajs's default rebalance timeout", () => {
    expect(revocationTimeoutMs({})).toBe(60_000 - 3000 - 5000 - 6000);
  });

  it('should follow the consumer settings', () => {
    expect(
      revocationTimeoutMs({
        rebalanceTimeout: 30_000,
        heartbeatInterval: 300,
        maxWaitTimeInMs: 100,
      }),
    ).toBe(30_000 - 300 - 100 - 3000);
  });

  it('should keep a margin of at least one second', () => {
    expect(
      revocationTimeoutMs({ rebalanceTimeout: 5000, heartbeatInterval: 500, maxWaitTimeInMs: 500 }),
    ).toBe(5000 - 500 - 500 - 1000);
  });

  it('should not go below zero', () => {
    expect(
      revocationTimeoutMs({ rebalanceTimeout: 1000, heartbeatInterval: 500, maxWaitTimeInMs: 500 }),
    ).toBe(0);
  });
});
