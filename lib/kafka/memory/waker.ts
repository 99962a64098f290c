/**
 * Lets one waiting poll sleep until something changes for it. `notify()` before `wait()`
 * (since the last `reset()`) is not lost: the wait then returns at once. Its timer is
 * always cleared, so a finished wait leaves no handle open.
 *
 * @example
 * waker.reset();
 * if (nothingToDo()) await waker.wait(1000, signal); // until notify(), 1 s or abort
 */
export class Waker {
  private notified = false;
  private wakeWaiter: (() => void) | undefined;

  reset(): void {
    this.notified = false;
  }

  notify(): void {
    this.notified = true;
    this.wakeWaiter?.();
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.notified || timeoutMs <= 0 || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wakeWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.wakeWaiter = done;
    });
  }
}
