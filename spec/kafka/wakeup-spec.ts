import { Wakeup } from '../../lib/kafka/wakeup';

describe('Wakeup', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const settled = (p: Promise<void>): { done: boolean } => {
    const state = { done: false };
    void p.then(() => {
      state.done = true;
    });
    return state;
  };

  it('should resolve a waiter on notify', async () => {
    const wakeup = new Wakeup();
    const state = settled(wakeup.wait(10_000));
    await Promise.resolve();
    expect(state.done).toBe(false);
    wakeup.notify();
    await jest.advanceTimersByTimeAsync(0);
    expect(state.done).toBe(true);
  });

  it('should resolve a waiter after its timeout', async () => {
    const wakeup = new Wakeup();
    const state = settled(wakeup.wait(100));
    await jest.advanceTimersByTimeAsync(99);
    expect(state.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(state.done).toBe(true);
  });

  it('should resolve a waiter when its signal aborts, and at once when already aborted', async () => {
    const wakeup = new Wakeup();
    const controller = new AbortController();
    const state = settled(wakeup.wait(10_000, controller.signal));
    controller.abort();
    await jest.advanceTimersByTimeAsync(0);
    expect(state.done).toBe(true);
    const again = settled(wakeup.wait(10_000, controller.signal));
    await jest.advanceTimersByTimeAsync(0);
    expect(again.done).toBe(true);
  });

  it('should not wake a waiter that starts after the notify', async () => {
    const wakeup = new Wakeup();
    wakeup.notify();
    const state = settled(wakeup.wait(50));
    await jest.advanceTimersByTimeAsync(10);
    expect(state.done).toBe(false);
    await jest.advanceTimersByTimeAsync(40);
    expect(state.done).toBe(true);
  });
});
