import {
  concatMap,
  finalize,
  from,
  groupBy,
  type GroupedObservable,
  lastValueFrom,
  mergeMap,
  type Observable,
  takeUntil,
} from 'rxjs';
import { topicPartitionKey, type RawRecord } from '../record/stream-record';
import type { Runner, RunnerFactory } from './runner';
import { requireInteger } from '../errors/require-integer';
import { resolveRunnerOptions, type RunnerOptions } from './runner-options';
import type { PartitionWorker } from './partition-worker';
import { asError } from '../errors/as-error';
import { dispatchPoll, type PartitionIntake } from './dispatch-poll';
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

/** What the partitioned runner keeps of one partition besides its task. */
interface PartitionFlow {
  /** Polled records refused by the full buffer, oldest first. */
  pending: readonly RawRecord[];
  /** Paused at the consumer by backpressure. */
  paused: boolean;
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
    // The runner's own state of each assigned partition, by id: records waiting, and the pause.
    const flows = new Map<string, PartitionFlow>();
    const flowOf = (worker: PartitionWorker): PartitionFlow => {
      let flow = flows.get(worker.task.info.id);
      if (flow === undefined) {
        flow = { pending: [], paused: false };
        flows.set(worker.task.info.id, flow);
      }
      return flow;
    };

    const drain = async (worker: PartitionWorker): Promise<void> => {
      flowOf(worker).pending = [];
      worker.end();
      const task = worker.task;
      const drained = await within(
        task.until(() => task.queueDepth === 0),
        workerShutdownTimeoutMs,
        common.scheduler,
      );
      if (!drained) {
        common.logger.warn(
          'partition did not drain in time; its unfinished records will be re-delivered',
          { partition: task.info.id, unfinished: task.queueDepth },
        );
      }
      worker.kill();
      task.abandon();
    };
    const abandon = (worker: PartitionWorker): void => {
      flowOf(worker).pending = [];
      worker.end();
      worker.kill();
      worker.task.abandon();
    };
    const runtime = new StreamRuntime(context, common, 'partitioned', {
      drain,
      abandon,
      released: (worker) => flows.delete(worker.task.info.id),
      flowState: (worker) => {
        const flow = flows.get(worker.task.info.id);
        return { pending: flow?.pending.length ?? 0, paused: flow?.paused ?? false };
      },
      drainTimeoutMs: workerShutdownTimeoutMs,
    });
    const { partitions } = runtime;

    /** Room left in the partition's bounded buffer of `channelBufferSize` records. */
    const free = (w: PartitionWorker): number => channelBufferSize - w.task.queueDepth;
    const lowWater = Math.ceil(channelBufferSize / 2);

    /**
     * The one place a poll meets the partitions: {@link dispatchPoll} decides, and here the
     * admitted records enter their tasks, the pending queues are kept, and the partitions that
     * must wait are paused at the consumer (those drained resumed).
     */
    const dispatch = (batch: readonly RawRecord[]): readonly RawRecord[] => {
      const intake = new Map<string, PartitionIntake>();
      for (const [id, w] of partitions.workers) {
        const { pending, paused } = flowOf(w);
        intake.set(id, { topic: w.topic, partition: w.partition, pending, paused, free: free(w) });
      }
      const { admitted, pending, pause, resume } = dispatchPoll(batch, intake);
      for (const record of admitted) partitions.get(record)!.task.admit(record);
      for (const [id, queue] of pending) {
        const flow = flows.get(id)!;
        flow.pending = queue;
        flow.paused = queue.length > 0;
      }
      if (pause.length > 0) runtime.consumer.pause(pause);
      if (resume.length > 0) runtime.consumer.resume(resume);
      runtime.publishStats();
      return admitted;
    };

    /** One partition's ordered pipeline: each record's inner pipeline, one after another. */
    const partitionPipeline = (group: GroupedObservable<string, RawRecord>): Observable<never> => {
      const worker = partitions.workers.get(group.key)!;
      const flow = flowOf(worker);
      // A partition with records waiting is refilled once half its buffer is free: waking the
      // poll for every finished record would make one (mostly empty) poll per record.
      const wakeWhenFreed = worker.task.changes$.subscribe(() => {
        if (flow.pending.length > 0 && free(worker) >= lowWater) runtime.wakePoll();
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
            w.task.until(() => w.task.running === 0),
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
            duration: (group) => partitions.workers.get(group.key)?.end$ ?? from([undefined]),
          }),
          mergeMap(partitionPipeline),
        )
        .subscribe({ error: (error: unknown) => runtime.fail(asError(error)) });

      await lastValueFrom(runtime.stopping$, { defaultValue: undefined });
      await runtime.shutdown(async () => {
        const workers = [...partitions.workers.values()];
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
