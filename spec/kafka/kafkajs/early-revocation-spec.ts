import { EarlyRevocation } from '../../../lib/kafka/kafkajs/early-revocation';

const tp = (partition: number) => ({ topic: 't', partition });

describe('EarlyRevocation', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const waitOf = (
    revocation: EarlyRevocation,
    overrides: Partial<Parameters<EarlyRevocation['wait']>[0]> = {},
  ) => {
    const state: { outcome?: string; error?: unknown; ticks: number } = { ticks: 0 };
    revocation
      .wait({
        timeoutMs: 1000,
        tickEveryMs: 100,
        giveUp: () => false,
        tick: async () => {
          state.ticks += 1;
        },
        ...overrides,
      })
      .then(
        (outcome) => (state.outcome = outcome),
        (e: unknown) => (state.error = e),
      );
    return state;
  };

  it('should key its partitions and keep the cause', () => {
    const cause = new Error('rebalancing');
    const revocation = new EarlyRevocation([tp(0), tp(3)], cause);
    expect([...revocation.keys]).toEqual(['t:0', 't:3']);
    expect(revocation.cause).toBe(cause);
    expect(revocation.isReported).toBe(false);
  });

  it('should end the wait when reported', async () => {
    const revocation = new EarlyRevocation([tp(0)], new Error('x'));
    const state = waitOf(revocation);
    await jest.advanceTimersByTimeAsync(50);
    expect(state.outcome).toBeUndefined();
    revocation.reported();
    await jest.advanceTimersByTimeAsync(0);
    expect(state.outcome).toBe('reported');
    expect(revocation.isReported).toBe(true);
  });

  it('should return at once when reported before the wait', async () => {
    const revocation = new EarlyRevocation([], new Error('x'));
    revocation.reported();
    const state = waitOf(revocation, { timeoutMs: 0 });
    await jest.advanceTimersByTimeAsync(0);
    expect(state.outcome).toBe('reported');
  });

  it('should time out, ticking meanwhile', async () => {
    const state = waitOf(new EarlyRevocation([tp(0)], new Error('x')));
    await jest.advanceTimersByTimeAsync(999);
    expect(state.outcome).toBeUndefined();
    expect(state.ticks).toBe(9);
    await jest.advanceTimersByTimeAsync(1);
    expect(state.outcome).toBe('timedOut');
  });

  it('should not wait at all with a zero timeout', async () => {
    const state = waitOf(new EarlyRevocation([tp(0)], new Error('x')), { timeoutMs: 0 });
    await jest.advanceTimersByTimeAsync(0);
    expect(state.outcome).toBe('timedOut');
    expect(state.ticks).toBe(0);
  });

  it('should give up when asked, checking again on interrupt', async () => {
    let stopping = false;
    const revocation = new EarlyRevocation([tp(0)], new Error('x'));
    const state = waitOf(revocation, { giveUp: () => stopping, tickEveryMs: 10_000 });
    await jest.advanceTimersByTimeAsync(10);
    stopping = true;
    revocation.interrupt();
    await jest.advanceTimersByTimeAsync(0);
    expect(state.outcome).toBe('gaveUp');
  });

  it('should reject with the error a tick throws', async () => {
    const gone = new Error('unknown member');
    const state = waitOf(new EarlyRevocation([tp(0)], new Error('x')), {
      tick: () => Promise.reject(gone),
    });
    await jest.advanceTimersByTimeAsync(100);
    expect(state.error).toBe(gone);
  });
});
