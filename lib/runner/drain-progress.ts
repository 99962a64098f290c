import { interval, type SchedulerLike } from 'rxjs';
import type { Logger } from '../logger/logger';

/** How a shutdown drain stands: what is left, and where. */
export interface DrainLeft {
  /** Partitions with records left. */
  readonly partitions: number;
  /** Records left to finish. */
  readonly records: number;
}

/**
 * Waits for `work` (a shutdown drain), logging every `everyMs` on `scheduler` what is left
 * and how long the drain may still take, so a stop that takes a while says why.
 *
 * @example
 * await withDrainProgress(drainAll(), () => ({ partitions: 2, records: 40 }), {
 *   logger, everyMs: 1000, boundMs: 60_000, scheduler: asyncScheduler,
 * });
 * // info: shutting down: 40 records left in 2 partitions, 59 s left of the drain
 */
export const withDrainProgress = async (
  work: Promise<void>,
  left: () => DrainLeft,
  options: {
    readonly logger: Logger;
    readonly everyMs: number;
    readonly boundMs: number;
    readonly scheduler: SchedulerLike;
  },
): Promise<void> => {
  const { logger, everyMs, boundMs, scheduler } = options;
  const started = scheduler.now();
  const ticks = interval(everyMs, scheduler).subscribe(() => {
    const { partitions, records } = left();
    if (records === 0) return;
    const msLeft = Math.max(0, boundMs - (scheduler.now() - started));
    logger.info(
      `shutting down: ${records} ${records === 1 ? 'record' : 'records'} left in ${partitions} ${partitions === 1 ? 'partition' : 'partitions'}, ${Math.ceil(msLeft / 1000)} s left of the drain`,
      { partitions, records, msLeft },
    );
  });
  try {
    await work;
  } finally {
    ticks.unsubscribe();
  }
};
