/**
 * Lets one side wait until the other has news: `wait` resolves on the next `notify`, after
 * `ms`, or when `signal` aborts, whichever comes first. Never rejects.
 *
 * @example
 * const recordsReady = new Wakeup();
 * await recordsReady.wait(1000, options.signal); // in poll
 * recordsReady.notify(); // in eachBatch, after queueing records
 */
export class Wakeup {
  private waiters = new Set<() => void>();

  /** Wakes every current waiter. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify, after `ms`, or when `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}
