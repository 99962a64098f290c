import {
  concatMap,
  finalize,
  from,
  groupBy,
  type GroupedObservable,
  mergeMap,
  type Observable,
  takeUntil,
} from 'rxjs';
import { topicPartitionKey, type RawRecord } from '../record/stream-record';
import type { Runner, RunnerFactory } from './runner';
import { requireInteger, resolveRunnerOptions, type RunnerOptions } from './runner-options';
import type { PartitionWorker } from './partition-worker';
import { asError } from '../errors/as-error';
import { StreamRuntime } from './stream-runtime';
import { within } from './within';

/**
 * Options of {@link partitionedRunner}: every common option, plus the buffer and the
 * shutdown bounds.
 */
export interface PartitionedRunnerOptions extends RunnerOptions {
  /** Records one partition may hold between poll and done (default 100). */
  readonly channelBufferSize?: number;
  /** Longest one partition may take to drain on shutdown or revocation, in ms (default 30000). */
  readonly workerShutdownTimeoutMs?: number;
  /** Longest all partitions together may take to drain on shutdown, in ms (default 60000). */
  readonly drainTimeoutMs?: number;
}

/**
 * One ordered pipeline per assigned partition, running concurrently with the others.
 *
 * The poll loop is an Observable of batches. Each batch is dispatched per partition into
 * a bounded buffer of `channelBufferSize` records; what does not fit waits in the
 * partition's pending queue and the partition is paused at the consumer. The admitted
 * records are grouped per partition (`groupBy`) and each group is an ordered `concatMap`
 * of per-record inner pipelines. Pending records are offered again on every poll cycle
 * before new ones, and the partition is resumed once its pending queue is empty.
 *
 * @example
 * await new Application(client, topology).runWith(signal, partitionedRunner({
 *   channelBufferSize: 200,
 *   errorHandler: withMaxAttempts(3, fixedBackoff(1000), logAndFail(logger)),
 * }));
 */
export const partitionedRunner = (options: PartitionedRunnerOptions = {}): RunnerFactory => {
  const common = resolveRunnerOptions(options);
  const channelBufferSize = options.channelBufferSize ?? 100;
  const workerShutdownTimeoutMs = options.workerShutdownTimeoutMs ?? 30_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  requireInteger('channelBufferSize', channelBufferSize, 1);
  requireInteger('workerShutdownTimeoutMs', workerShutdownTimeoutMs, 0);
  requireInteger('drainTimeoutMs', drainTimeoutMs, 0);

  return (context): Runner => {
    const drain = async (worker: PartitionWorker): Promise<void> => {
      worker.pending = [];
      worker.end();
      const task = worker.task;
      const drained = await within(
        task.until(() => task.inFlight === 0),
        workerShutdownTimeoutMs,
        common.scheduler,
      );
      if (!drained) {
        common.logger.warn(
          'partition did not drain in time; its unfinished records will be re-delivered',
          { partition: task.info.id, unfinished: task.inFlight },
        );
      }
      worker.kill();
      task.abandon();
    };
    const abandon = (worker: PartitionWorker): void => {
      worker.pending = [];
      worker.end();
      worker.kill();
      worker.task.abandon();
    };
    const runtime = new StreamRuntime(context, common, 'partitioned', {
      drain,
      abandon,
      drainTimeoutMs: workerShutdownTimeoutMs,
    });

    const capacity = (w: PartitionWorker): number => channelBufferSize - w.task.inFlight;
    const lowWater = Math.ceil(channelBufferSize / 2);

    const admit = (w: PartitionWorker, record: RawRecord, out: RawRecord[]): void => {
      w.task.admit(record);
      out.push(record);
    };

    /** Pending records first, then the new batch; the rest waits and its partition pauses. */
    const dispatch = (batch: readonly RawRecord[]): RawRecord[] => {
      const admitted: RawRecord[] = [];
      for (const w of runtime.workers.values()) {
        let taken = 0;
        while (taken < w.pending.length && capacity(w) > 0) admit(w, w.pending[taken++]!, admitted);
        if (taken > 0) w.pending = w.pending.slice(taken);
      }
      for (const record of batch) {
        const w = runtime.workerFor(record);
        if (w === undefined) continue; // revoked while the poll was under way
        if (w.pending.length === 0 && capacity(w) > 0) admit(w, record, admitted);
        else w.pending.push(record);
      }
      applyBackpressure();
      runtime.publishStats();
      return admitted;
    };

    const applyBackpressure = (): void => {
      const pause = [];
      const resume = [];
      for (const w of runtime.workers.values()) {
        if (w.pending.length > 0 && !w.paused) {
          w.paused = true;
          pause.push({ topic: w.topic, partition: w.partition });
        } else if (w.pending.length === 0 && w.paused) {
          w.paused = false;
          resume.push({ topic: w.topic, partition: w.partition });
        }
      }
      if (pause.length > 0) runtime.consumer.pause(pause);
      if (resume.length > 0) runtime.consumer.resume(resume);
    };

    /** One partition's ordered pipeline: each record's inner pipeline, one after another. */
    const partitionPipeline = (group: GroupedObservable<string, RawRecord>): Observable<never> => {
      const worker = runtime.workers.get(group.key)!;
      // A partition with records waiting is refilled once half its buffer is free: waking the
      // poll for every finished record would make one (mostly empty) poll per record.
      const wakeWhenFreed = worker.task.changes$.subscribe(() => {
        if (worker.pending.length > 0 && capacity(worker) >= lowWater) runtime.wakePoll();
      });
      return group.pipe(
        concatMap((record) => worker.task.run(record)),
        takeUntil(worker.kill$),
        finalize(() => wakeWhenFreed.unsubscribe()),
      );
    };

    /** After a fatal error: queued records are dropped; records awaiting acks may finish. */
    const settle = async (workers: PartitionWorker[]): Promise<void> => {
      await Promise.all(
        workers.map((w) =>
          within(
            w.task.until(() => w.task.active === 0),
            workerShutdownTimeoutMs,
            common.scheduler,
          ),
        ),
      );
    };

    const run = async (signal: AbortSignal): Promise<void> => {
      await runtime.start(signal);
      const work = runtime
        .polls()
        .pipe(
          concatMap((batch) => from(dispatch(batch))),
          groupBy((record) => topicPartitionKey(record), {
            duration: (group) => runtime.workers.get(group.key)?.end$ ?? from([undefined]),
          }),
          mergeMap(partitionPipeline),
        )
        .subscribe({ error: (error: unknown) => runtime.fail(asError(error)) });

      await new Promise<void>((resolve) => runtime.stopping$.subscribe({ complete: resolve }));
      await runtime.shutdown(async () => {
        const workers = [...runtime.workers.values()];
        if (runtime.fatalError !== undefined) {
          work.unsubscribe();
          await within(settle(workers), drainTimeoutMs, common.scheduler);
        } else {
          const drained = await within(
            Promise.all(workers.map(drain)),
            drainTimeoutMs,
            common.scheduler,
          );
          if (!drained) common.logger.warn('shutdown drain timed out', { drainTimeoutMs });
        }
        for (const w of workers) {
          w.kill();
          w.task.abandon();
        }
        work.unsubscribe();
      });
    };

    return { kind: 'partitioned', run, stats: () => runtime.stats(), stats$: runtime.stats$ };
  };
};
