import {
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  from,
  ignoreElements,
  lastValueFrom,
  merge,
  type Observable,
  of,
  repeat,
  takeUntil,
  ReplaySubject,
} from 'rxjs';
import type { RawRecord } from '../record/stream-record';
import type { Runner, RunnerFactory } from './runner';
import { requireInteger } from '../errors/require-integer';
import { checkKnownKeys, type KnownKeys } from '../errors/known-keys';
import { resolveRunnerOptions, RUNNER_OPTION_KEYS, type RunnerOptions } from './runner-options';
import { asError } from '../errors/as-error';
import { StreamRuntime } from './stream-runtime';
import { within } from './within';

/** No partition of a single pipeline waits or pauses: records run as they are polled. */
const UNPAUSED = { pending: 0, paused: false } as const;

/** Options of {@link singleThreadedRunner}: the common ones, plus a bound on the shutdown drain. */
export interface SingleThreadedRunnerOptions extends RunnerOptions {
  /** Longest the batch under way may take to finish on shutdown, in ms (default 60000). */
  readonly drainTimeoutMs?: number | undefined;
}

/**
 * One sequential pipeline over all partitions: every record in poll order, one at a time.
 * Outputs of a batch are acknowledged before the next poll, so at most one poll's worth of
 * records is in memory.
 *
 * @example
 * await new Application(client, topology).runWith(signal, singleThreadedRunner({ logger }));
 */
const SINGLE_THREADED_KEYS: KnownKeys<SingleThreadedRunnerOptions> = {
  ...RUNNER_OPTION_KEYS,
  drainTimeoutMs: true,
};

export const singleThreadedRunner = (options: SingleThreadedRunnerOptions = {}): RunnerFactory => {
  checkKnownKeys('singleThreadedRunner', options, SINGLE_THREADED_KEYS);
  const common = resolveRunnerOptions(options);
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  requireInteger('drainTimeoutMs', drainTimeoutMs, 0);

  return (context): Runner => {
    // Revocation happens inside poll, between batches: nothing of the partition is running.
    const runtime = new StreamRuntime(context, common, 'single-threaded', {
      drain: async () => undefined,
      abandon: (task) => task.abandon(),
      flowState: () => UNPAUSED,
      drainTimeoutMs: 0,
    });

    const processRecord = (record: RawRecord): Observable<never> => {
      const task = runtime.partitions.get(record);
      // After a fatal error, or once a client stalled, the rest of the batch is dropped (it stays
      // uncommitted and is read again).
      // A shutdown that finishes only what it started drops the rest of the batch too.
      if (
        task === undefined ||
        runtime.fatalError !== undefined ||
        runtime.isReplacingClients ||
        (runtime.isStopping && common.shutdownDrain === 'started')
      ) {
        return EMPTY;
      }
      task.admit(record);
      return task.run(record);
    };

    /** Resolves when every record begun so far is done (its outputs acknowledged). */
    const acknowledged = (): Observable<never> =>
      defer(() =>
        merge(
          ...[...runtime.partitions.tasks.values()].map((task) =>
            task.until(() => task.running === 0),
          ),
        ),
      ).pipe(ignoreElements());

    const processBatch = (batch: readonly RawRecord[]): Observable<never> =>
      concat(from(batch).pipe(concatMap(processRecord)), acknowledged());

    const run = async (signal: AbortSignal, force?: AbortSignal): Promise<void> => {
      const halt = new ReplaySubject<void>(1);
      // A forced stop ends the batch at once; the tasks' records are abandoned by the runtime.
      force?.addEventListener('abort', () => halt.next(), { once: true });
      await runtime.start(signal, force);
      // Poll, process the batch, wait for its acknowledgements, poll again: nothing is
      // polled while a batch runs, so a rebalance (inside poll) never meets a running record.
      const done = lastValueFrom(
        runtime.pollOnce().pipe(
          concatMap(processBatch),
          repeat({ delay: () => (runtime.isStopping ? EMPTY : of(undefined)) }),
          catchError((error: unknown) => {
            runtime.fail(asError(error));
            return EMPTY;
          }),
          takeUntil(halt),
        ),
        { defaultValue: undefined },
      );
      await lastValueFrom(runtime.stopping$, { defaultValue: undefined });
      await runtime.shutdown(async () => {
        // A record waiting for a retry is given up (read again), not waited for.
        for (const task of runtime.partitions.tasks.values()) task.leave();
        // After a fatal error the batch stops at the failed record; earlier records may
        // still be waiting for acknowledgements, and those may finish.
        const drained = await within(
          concat(from(done), acknowledged()),
          drainTimeoutMs,
          common.scheduler,
        );
        if (!drained) common.logger.warn('shutdown drain timed out', { drainTimeoutMs });
        halt.next();
        for (const task of runtime.partitions.tasks.values()) task.abandon();
      }, drainTimeoutMs);
    };

    return {
      kind: 'single-threaded',
      run,
      stats: () => runtime.stats(),
      stats$: runtime.stats$,
      localStores: (name) => runtime.localStores(name),
    };
  };
};
