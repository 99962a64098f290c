import {
  concatMap,
  finalize,
  from,
  groupBy,
  type GroupedObservable,
  lastValueFrom,
  mergeMap,
  type Observable,
  Subject,
  takeUntil,
} from 'rxjs';
import { topicPartitionKey, type RawRecord } from '../record/stream-record';
import type { Runner, RunnerFactory } from './runner';
import { requireInteger } from '../errors/require-integer';
import { checkKnownKeys, type KnownKeys } from '../errors/known-keys';
import { resolveRunnerOptions, RUNNER_OPTION_KEYS, type RunnerOptions } from './runner-options';
import type { StreamTask } from '../task/stream-task';
import { asError } from '../errors/as-error';
import { dispatchPoll, type PartitionIntake } from './dispatch-poll';
import { StreamRuntime } from './stream-runtime';
import { within } from './within';
import { ordered, type Ordering, requireOrdering } from './record-ordering';
import { ConfigError } from '../errors/config-error';

/**
 * Options of {@link partitionedRunner}: every common option, plus the buffer and the
 * shutdown bounds.
 */
export interface PartitionedRunnerOptions extends RunnerOptions {
  /** Records one partition may hold between poll and done (default 100). */
  readonly channelBufferSize?: number | undefined;
  /** Longest one partition may take to drain on shutdown or revocation, in ms (default 30000). */
  readonly workerShutdownTimeoutMs?: number | undefined;
  /** Longest all partitions together may take to drain on shutdown, in ms (default 60000). */
  readonly drainTimeoutMs?: number | undefined;
  /**
   * How a partition's records are ordered (default `'partition'`: one at a time, in offset
   * order). `'key'` runs up to `maxConcurrency` records of a partition at once, never two
   * with the same key (records without a key count as one key); `'unordered'` runs up to
   * `maxConcurrency` at once in no order. Only finished prefixes are committed either way.
   */
  readonly ordering?: Ordering | undefined;
  /** Records of one partition running at once with `'key'` or `'unordered'` (default 16). */
  readonly maxConcurrency?: number | undefined;
}

/** What the partitioned runner keeps of one partition besides its task. */
interface PartitionFlow {
  /** Polled records refused by the full buffer, oldest first. */
  pending: readonly RawRecord[];
  /** Paused at the consumer by backpressure. */
  paused: boolean;
  /** Emits once to end the partition's group (`groupBy` duration): admitted records still run. */
  readonly end$: Subject<void>;
  /** Emits once to stop the partition's pipeline at once (`takeUntil`). */
  readonly kill$: Subject<void>;
}

/** Emits a one-shot signal once; later calls do nothing. */
const fire = (signal$: Subject<void>): void => {
  signal$.next();
  signal$.complete();
};

const PARTITIONED_KEYS: KnownKeys<PartitionedRunnerOptions> = {
  ...RUNNER_OPTION_KEYS,
  channelBufferSize: true,
  workerShutdownTimeoutMs: true,
  drainTimeoutMs: true,
  ordering: true,
  maxConcurrency: true,
};

/**
 * One ordered pipeline per assigned partition, running concurrently with the others.
 *
 * The poll loop is an Observable of batches. Each batch is dispatched per partition into
 * a bounded buffer of `channelBufferSize` records; what does not fit waits in the
 * partition's pending queue and the partition is paused at the consumer. The admitted
 * records are grouped per partition (`groupBy`) and each group is an ordered `concatMap`
 * of per-record inner pipelines (with `ordering: 'key'`, a `concatMap` per key, the keys
 * merged up to `maxConcurrency`; with `'unordered'`, a bounded `mergeMap`). Pending records
 * are offered again on every poll cycle before new ones, and the partition is resumed once
 * its pending queue is empty.
 *
 * @example
 * await new Application(client, topology).runWith(signal, partitionedRunner({
 *   channelBufferSize: 200,
 *   errorHandler: withMaxAttempts(3, fixedBackoff(1000), logAndFail(logger)),
 * }));
 */
export const partitionedRunner = (options: PartitionedRunnerOptions = {}): RunnerFactory => {
  checkKnownKeys('partitionedRunner', options, PARTITIONED_KEYS);
  const common = resolveRunnerOptions(options);
  const channelBufferSize = options.channelBufferSize ?? 100;
  const workerShutdownTimeoutMs = options.workerShutdownTimeoutMs ?? 30_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  requireInteger('channelBufferSize', channelBufferSize, 1);
  requireInteger('workerShutdownTimeoutMs', workerShutdownTimeoutMs, 0);
  requireInteger('drainTimeoutMs', drainTimeoutMs, 0);
  const { ordering, maxConcurrency } = requireOrdering(options.ordering, options.maxConcurrency);
  if (ordering === 'partition' && options.maxConcurrency !== undefined) {
    throw new ConfigError(
      'maxConcurrency',
      "applies to ordering 'key' or 'unordered'; with the default ordering 'partition' a partition runs one record at a time",
    );
  }

  return (context): Runner => {
    // The runner's own state of each assigned partition, by id: records waiting, and the pause.
    const flows = new Map<string, PartitionFlow>();
    const flowOf = (task: StreamTask): PartitionFlow => {
      let flow = flows.get(task.info.id);
      if (flow === undefined) {
        flow = { pending: [], paused: false, end$: new Subject(), kill$: new Subject() };
        flows.set(task.info.id, flow);
      }
      return flow;
    };

    /**
     * Ends the partition's pipeline and waits (at most `workerShutdownTimeoutMs`) for its
     * records to finish: all of them, or with `startedOnly` those already started (the queued
     * ones are dropped, uncommitted). A record waiting for a retry is given up at once. A
     * forced stop ends the wait at once.
     */
    const drain = async (task: StreamTask, startedOnly = false): Promise<void> => {
      const flow = flowOf(task);
      flow.pending = [];
      if (startedOnly) task.dropQueued();
      task.leave();
      fire(flow.end$);
      const finished = (): boolean => runtime.isForced || task.drained(startedOnly);
      const drained = await within(task.until(finished), workerShutdownTimeoutMs, common.scheduler);
      if (!drained) {
        common.logger.warn(
          'partition did not drain in time; its unfinished records will be re-delivered',
          { partition: task.info.id, unfinished: task.queueDepth },
        );
      }
      fire(flow.kill$);
      task.abandon();
    };
    const abandon = (task: StreamTask): void => {
      const flow = flowOf(task);
      flow.pending = [];
      fire(flow.end$);
      fire(flow.kill$);
      task.abandon();
    };
    const runtime = new StreamRuntime(context, common, 'partitioned', {
      drain,
      abandon,
      released: (task) => flows.delete(task.info.id),
      flowState: (task) => {
        const flow = flows.get(task.info.id);
        return { pending: flow?.pending.length ?? 0, paused: flow?.paused ?? false };
      },
      drainTimeoutMs: workerShutdownTimeoutMs,
    });
    const { partitions } = runtime;

    /** Room left in the partition's bounded buffer of `channelBufferSize` records. */
    const free = (task: StreamTask): number => channelBufferSize - task.queueDepth;
    const lowWater = Math.ceil(channelBufferSize / 2);

    /**
     * The one place a poll meets the partitions: {@link dispatchPoll} decides, and here the
     * admitted records enter their tasks, the pending queues are kept, and the partitions that
     * must wait are paused at the consumer (those drained resumed).
     */
    const dispatch = (batch: readonly RawRecord[]): readonly RawRecord[] => {
      const intake = new Map<string, PartitionIntake>();
      for (const [id, task] of partitions.tasks) {
        const { pending, paused } = flowOf(task);
        const { topic, partition } = task.info;
        intake.set(id, { topic, partition, pending, paused, free: free(task) });
      }
      const { admitted, pending, pause, resume } = dispatchPoll(batch, intake);
      for (const record of admitted) partitions.get(record)!.admit(record);
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
      const task = partitions.tasks.get(group.key)!;
      const flow = flowOf(task);
      // A partition with records waiting is refilled once half its buffer is free: waking the
      // poll for every finished record would make one (mostly empty) poll per record.
      const wakeWhenFreed = task.changes$.subscribe(() => {
        if (flow.pending.length > 0 && free(task) >= lowWater) runtime.wakePoll();
      });
      return group.pipe(
        ordered(ordering, maxConcurrency, (record) => task.run(record)),
        takeUntil(flow.kill$),
        finalize(() => wakeWhenFreed.unsubscribe()),
      );
    };

    /** After a fatal error: queued records are dropped; records awaiting acks may finish. */
    const settle = async (tasks: StreamTask[]): Promise<void> => {
      await Promise.all(
        tasks.map((task) =>
          within(
            task.until(() => task.running === 0),
            workerShutdownTimeoutMs,
            common.scheduler,
          ),
        ),
      );
    };

    const run = async (signal: AbortSignal, force?: AbortSignal): Promise<void> => {
      await runtime.start(signal, force);
      const work = runtime
        .polls()
        .pipe(
          concatMap((batch) => from(dispatch(batch))),
          groupBy((record) => topicPartitionKey(record), {
            duration: (group) => flows.get(group.key)?.end$ ?? from([undefined]),
          }),
          mergeMap(partitionPipeline),
        )
        .subscribe({ error: (error: unknown) => runtime.fail(asError(error)) });

      await lastValueFrom(runtime.stopping$, { defaultValue: undefined });
      await runtime.shutdown(async () => {
        const tasks = [...partitions.tasks.values()];
        if (runtime.fatalError !== undefined) {
          work.unsubscribe();
          await within(settle(tasks), drainTimeoutMs, common.scheduler);
        } else {
          const startedOnly = common.shutdownDrain === 'started';
          const drained = await within(
            Promise.all(tasks.map((task) => drain(task, startedOnly))),
            drainTimeoutMs,
            common.scheduler,
          );
          if (!drained) common.logger.warn('shutdown drain timed out', { drainTimeoutMs });
        }
        for (const task of tasks) {
          fire(flowOf(task).kill$);
          task.abandon();
        }
        work.unsubscribe();
      }, drainTimeoutMs);
    };

    return {
      kind: 'partitioned',
      run,
      stats: () => runtime.stats(),
      stats$: runtime.stats$,
      localStores: (name) => runtime.localStores(name),
    };
  };
};
