import type { TestScheduler } from 'rxjs/testing';

/**
 * Runs `check` once `scheduler` has nothing else to run: when the virtual time of a
 * `scheduler.run(...)` runs out, before the run compares its expectations. What `check`
 * throws, the run throws instead of comparing: a test that cannot mean anything fails with
 * why, not with a diff of frames that never came.
 *
 * It waits as an action of its own, put again after the last action pending each time it
 * runs (virtual time does not move for it), until none is left.
 *
 * @example
 * atEndOfTime(scheduler, () => {
 *   if (driver.running > 0) throw new TopologyTestError('a record is still in process');
 * });
 */
export const atEndOfTime = (scheduler: TestScheduler, check: () => void): void => {
  const watch = (): void => {
    // Actions past maxFrames never run (a flush outside run mode stops at 750 frames).
    const last = scheduler.actions.reduce(
      (latest, action) =>
        action.delay <= scheduler.maxFrames ? Math.max(latest, action.delay) : latest,
      -1,
    );
    if (last === -1) check();
    else scheduler.schedule(watch, last - scheduler.frame);
  };
  scheduler.schedule(watch);
};
