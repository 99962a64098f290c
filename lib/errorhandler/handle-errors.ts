import {
  concat,
  defer,
  mergeMap,
  NEVER,
  race,
  take,
  EMPTY,
  from,
  ignoreElements,
  type MonoTypeOperatorFunction,
  type Observable,
  of,
  retry,
  type SchedulerLike,
  asyncScheduler,
  throwError,
  timer,
  concatMap,
} from 'rxjs';
import { asError } from '../errors/as-error';
import { isPhasedError, type ErrorPhase } from '../errors/phase';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';
import type { Action } from './action';
import type { ErrorContext } from './error-context';
import type { ErrorHandler } from './error-handler';

/** What {@link handleErrors} needs to turn a failure into an action. */
export interface HandleErrorsConfig {
  /** The raw input record whose pipeline this wraps. */
  readonly record: RawRecord;
  /** The handler for a phase (already falling back to the general one). */
  readonly handlerFor: (phase: ErrorPhase) => ErrorHandler;
  /** Writes the record to a dead-letter topic; completes (or resolves) when acknowledged. */
  readonly sendToDLQ: (
    topic: string,
    ec: ErrorContext,
  ) => Observable<unknown> | PromiseLike<unknown>;
  /** Where retry delays run (default `asyncScheduler`; a TestScheduler in marble tests). */
  readonly scheduler?: SchedulerLike;
  readonly logger: Logger;
  /**
   * Emits (or has emitted) once the record's partition is leaving (a shutdown or a
   * revocation drains it): a wait for a retry or a delayed action then ends with `giveUp`
   * instead, and the record is left uncommitted, to be read again.
   */
  readonly leaving$?: Observable<unknown>;
  /** Gives the record up: its life ends unfinished (it is not committed). */
  readonly giveUp?: () => void;
  /** Told of each failure shown to a handler, and of the handler's action (telemetry). */
  readonly observer?: HandlingObserver | undefined;
}

/** What {@link handleErrors} tells of its work, for traces and metrics. */
export interface HandlingObserver {
  failed(ec: ErrorContext): void;
  decided(action: Action, ec: ErrorContext): void;
}

const TAGS = new Set(['Continue', 'Retry', 'Fail', 'SendToDLQ']);

const isAction = (value: unknown): value is Action =>
  typeof value === 'object' &&
  value !== null &&
  TAGS.has((value as { _tag?: unknown })._tag as string);

const describe = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** The context a handler sees for the `attempt`-th failure of `record`. */
export const errorContext = (record: RawRecord, error: unknown, attempt: number): ErrorContext => {
  const err = asError(error);
  return isPhasedError(err)
    ? { record, error: err, attempt, phase: err.phase, nodeName: err.nodeName }
    : { record, error: err, attempt, phase: 'unknown' };
};

/**
 * The error handling of one record's inner pipeline, as a retry operator: each failure is
 * shown to the handler of its phase, and the handler's {@link Action} becomes the retry
 * notifier — `retry` resubscribes the pipeline (re-running the record from its source)
 * after the delay, `continue` and `sendToDLQ` complete it (the record is done), `fail`
 * errors it with the original error.
 *
 * @example
 * defer(() => task.process(raw, sink)).pipe(handleErrors({ record: raw, handlerFor, sendToDLQ, logger }));
 */
export const handleErrors = <T>(config: HandleErrorsConfig): MonoTypeOperatorFunction<T> => {
  const { record, handlerFor, sendToDLQ, logger, scheduler = asyncScheduler } = config;
  const { leaving$, giveUp, observer } = config;

  /** A wait on the scheduler, cut short (the record given up) when the partition leaves. */
  const wait = (ms: number): Observable<unknown> => {
    const elapsed = timer(Math.max(0, ms), scheduler);
    if (leaving$ === undefined || giveUp === undefined) return elapsed;
    const cut = leaving$.pipe(
      take(1),
      mergeMap(() => {
        logger.info(
          'record given up: its partition is leaving during a wait; it will be read again',
          {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            waitMs: ms,
          },
        );
        giveUp();
        return NEVER;
      }),
    );
    return race(cut, elapsed);
  };

  const perform = (action: Action, ec: ErrorContext): Observable<unknown> => {
    if (!isAction(action)) {
      const where = `${record.topic}/${record.partition}@${record.offset}`;
      return throwError(
        () =>
          new TypeError(
            `the ${ec.phase} error handler returned ${describe(action)} for ${where}, not an Action ` +
              `(use Action.continue(), Action.retry(ms), Action.fail() or Action.sendToDLQ(topic))`,
            { cause: ec.error },
          ),
      );
    }
    if (action.afterMs !== undefined && action.afterMs > 0) {
      return concat(
        wait(action.afterMs).pipe(ignoreElements()),
        defer(() => act(action, ec)),
      );
    }
    return act(action, ec);
  };

  const act = (action: Action, ec: ErrorContext): Observable<unknown> => {
    switch (action._tag) {
      case 'Continue':
        return EMPTY;
      case 'Retry':
        return wait(action.delayMs);
      case 'SendToDLQ':
        return defer(() => sendToDLQ(action.topic, ec)).pipe(ignoreElements());
      case 'Fail':
        return throwError(() => ec.error);
    }
  };

  return retry({
    delay: (error: unknown, attempt: number) => {
      const ec = errorContext(record, error, attempt);
      if (attempt % 10 === 0) {
        logger.warn(`record has failed ${attempt} times`, {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          phase: ec.phase,
          node: ec.nodeName,
          error: ec.error.message,
        });
      }
      observer?.failed(ec);
      return defer(() => {
        const answer = handlerFor(ec.phase)(ec);
        return answer instanceof Promise ? from(answer) : of(answer);
      }).pipe(
        concatMap((action) => {
          if (observer !== undefined && isAction(action)) observer.decided(action, ec);
          return perform(action, ec);
        }),
      );
    },
  });
};
