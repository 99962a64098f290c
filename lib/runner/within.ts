import {
  concat,
  firstValueFrom,
  from,
  last,
  map,
  type Observable,
  of,
  race,
  type SchedulerLike,
  timer,
} from 'rxjs';

/**
 * Waits for `work` at most `timeoutMs` on `scheduler`; true when it finished in time.
 * The losing timer is cancelled, so an early finish leaves nothing pending.
 */
export const within = (
  work: Promise<unknown> | Observable<unknown>,
  timeoutMs: number,
  scheduler: SchedulerLike,
): Promise<boolean> =>
  firstValueFrom(
    race(
      concat(from(work), of(true)).pipe(
        last(),
        map(() => true),
      ),
      timer(timeoutMs, scheduler).pipe(map(() => false)),
    ),
  );
