import { StorePool } from '../state/store-pool';
import * as O from 'fp-ts/lib/Option.js';
import type { Offset } from '../kafka/offset';
import { asError } from '../errors/as-error';
import type { Consumer, Producer } from '../kafka/client';
import { topicPartitionKey, type TopicPartition } from '../record/stream-record';
import type { Telemetry } from '../otel/telemetry';
import type { LagTracker } from './lag-tracker';
import type { RecordCounters } from '../task/record-counters';
import { StreamTask } from '../task/stream-task';
import type { CommitCoordinator } from './commit-coordinator';
import type { PartitionStats, RunnerContext } from './runner';
import type { ResolvedRunnerOptions } from './runner-options';
import type { StateRestorer } from './state-restorer';

/** The partition a task reads. */
export const topicPartitionOf = (task: StreamTask): TopicPartition => ({
  topic: task.info.topic,
  partition: task.info.partition,
});

/** A partition's backpressure as its runner keeps it: records waiting, and the pause. */
export type PartitionFlowState = Pick<PartitionStats, 'pending' | 'paused'>;

/** What a runner does when partitions come and go. */
export interface PartitionHooks {
  /** Let the partition's records finish before its offsets are committed and it is closed. */
  drain(task: StreamTask): Promise<void>;
  /** Stop the partition's records at once (its consumer stalled): they are read again. */
  abandon(task: StreamTask): void;
  /** The partition left the registry: whatever the runner keeps for it can go. */
  released?(task: StreamTask): void;
  /** The runner's backpressure state of the partition, for stats and the liveness watch. */
  flowState(task: StreamTask): PartitionFlowState;
}

/** What the registry needs of the run. */
export interface RegistryDeps {
  readonly consumer: () => Consumer;
  readonly producer: () => Producer;
  readonly commits: CommitCoordinator;
  /** Each task's records are traced and measured with it. */
  readonly telemetry: Telemetry;
  /** The partitions' consumer lag, for the stats. */
  readonly lags: LagTracker;
  /** The run's record counts, shared by every task it makes. */
  readonly counters: RecordCounters;
  /** A partition could not be given a task: the run cannot go on. */
  readonly fail: (error: Error) => void;
  /** The partitions changed (the stats too). */
  readonly changed: () => void;
  /** Fills new tasks' state stores from their changelogs. */
  readonly restorer: StateRestorer;
  /** A restore applied a batch: progress for the liveness watch, and new stats. */
  readonly restoring: () => void;
}

/**
 * One {@link StreamTask} (with fresh processors) per assigned partition: made on assignment;
 * on revocation drained, committed and closed; looked up by record; shown in stats. What a
 * runner keeps of a partition besides (pending records, the pause, its pipeline's end) is
 * the runner's own, keyed by the task's id.
 *
 * @example
 * const registry = new PartitionRegistry(context, options, hooks, deps);
 * registry.assign([{ topic: 'orders', partition: 0 }]);
 * registry.get(record)?.admit(record);
 */
export class PartitionRegistry {
  /** The stores the tasks of one partition number share (a table and the streams joined with it). */
  private readonly pool = new StorePool();
  private readonly byId = new Map<string, StreamTask>();

  constructor(
    private readonly context: RunnerContext,
    private readonly options: ResolvedRunnerOptions,
    private readonly hooks: PartitionHooks,
    private readonly deps: RegistryDeps,
  ) {}

  /** The assigned partitions' tasks, by id (`topic:partition`). */
  get tasks(): ReadonlyMap<string, StreamTask> {
    return this.byId;
  }

  /** The task of a record's partition, if it is assigned. */
  get(tp: TopicPartition): StreamTask | undefined {
    return this.byId.get(topicPartitionKey(tp));
  }

  /** The assigned partitions. */
  assigned(): TopicPartition[] {
    return [...this.byId.values()].map(topicPartitionOf);
  }

  /** The assigned partitions that should deliver: those the runner has not paused. */
  deliverable(): TopicPartition[] {
    return [...this.byId.values()]
      .filter((w) => !this.hooks.flowState(w).paused)
      .map(topicPartitionOf);
  }

  /**
   * Gives every partition a task and restores the tasks' state stores from their changelogs;
   * resolves when they are restored (the consumer returns none of their records before). A
   * processor supplier that throws, or a restore that fails, fails the run.
   */
  async assign(partitions: readonly TopicPartition[]): Promise<void> {
    const created: StreamTask[] = [];
    try {
      for (const tp of partitions) created.push(this.create(tp));
    } catch (error) {
      // A partition with no task: nothing can run it.
      this.deps.fail(asError(error));
      return;
    }
    // A partition paused when it left may come back still paused (kafkajs keeps pause state).
    this.deps.consumer().resume(partitions);
    this.options.logger.info('partitions assigned', {
      partitions: partitions.map(topicPartitionKey),
    });
    this.deps.changed();
    for (const task of created) {
      try {
        await this.deps.restorer.restore(task, this.deps.restoring);
      } catch (error) {
        this.deps.fail(
          new Error(
            `restoring the state stores of ${task.info.id} failed: ${asError(error).message}`,
            {
              cause: error,
            },
          ),
        );
        return;
      }
    }
  }

  /** Drains the leaving partitions, commits what they finished, and closes their tasks. */
  async revoke(partitions: readonly TopicPartition[]): Promise<void> {
    const leaving = partitions
      .map((tp) => this.get(tp))
      .filter((t): t is StreamTask => t !== undefined);
    await Promise.all(leaving.map((w) => this.hooks.drain(w)));
    await this.deps.commits.commit(leaving);
    await this.deps.restorer.checkpoint(leaving);
    this.remove(leaving);
    await this.closeTasks(leaving);
    this.options.logger.info('partitions revoked', {
      partitions: partitions.map(topicPartitionKey),
    });
    this.deps.changed();
  }

  /** Stops every partition's records at once (a client stalled). */
  abandonAll(): void {
    for (const w of this.byId.values()) this.hooks.abandon(w);
  }

  /** Forgets every partition (its consumer is replaced) and closes their tasks, logging failures. */
  async dropAll(): Promise<void> {
    const dropped = [...this.byId.values()];
    this.remove(dropped);
    await this.closeTasks(dropped);
  }

  /** Closes every task and forgets the partitions (shutdown); resolves with each close's outcome. */
  closeAll(): Promise<PromiseSettledResult<void>[]> {
    const owned = [...this.byId.values()];
    const closing = owned.map((t) => t.close());
    this.remove(owned);
    return Promise.allSettled(closing);
  }

  stats(): PartitionStats[] {
    return [...this.byId.values()].map((w) => {
      const { pending, paused } = this.hooks.flowState(w);
      const committed = this.deps.commits.committedOffset(w.info.id);
      const lag = this.deps.lags.lagOf(w.info.id, O.toUndefined(committed));
      const restore = this.deps.restorer.progressOf(w);
      return {
        topic: w.info.topic,
        partition: w.info.partition,
        queueDepth: w.queueDepth,
        pending,
        paused,
        ...(lag === undefined ? {} : { lag }),
        ...(restore === undefined ? {} : { restore: { ...restore } }),
        ...O.match(
          () => ({}),
          (committedOffset: Offset) => ({ committedOffset }),
        )(committed),
      };
    });
  }

  private create(tp: TopicPartition): StreamTask {
    const { logger, handlerFor, scheduler, now } = this.options;
    const id = topicPartitionKey(tp);
    const info = { id, topic: tp.topic, partition: tp.partition };
    const producer = this.deps.producer();
    const { applicationId, topology, storeChanges } = this.context;
    const instance = topology.createTask(info, {
      logger,
      applicationId,
      storePool: this.pool,
      storeChanges,
    });
    const task = new StreamTask(info, instance, {
      send: (record) => producer.send(record),
      handlerFor,
      scheduler,
      logger,
      now,
      onFatal: (error) => this.deps.fail(error),
      telemetry: this.deps.telemetry.forTask(info),
      counters: this.deps.counters,
    });
    this.byId.set(id, task);
    return task;
  }

  private remove(tasks: readonly StreamTask[]): void {
    for (const t of tasks) {
      this.byId.delete(t.info.id);
      this.deps.commits.forget(t.info.id);
      this.deps.restorer.forget(t);
      this.hooks.released?.(t);
    }
  }

  /** Closes the tasks' processors; a failure is logged, the others still close. */
  private async closeTasks(tasks: readonly StreamTask[]): Promise<void> {
    for (const closed of await Promise.allSettled(tasks.map((t) => t.close()))) {
      if (closed.status === 'rejected') {
        this.options.logger.error('a processor failed to close', {
          error: asError(closed.reason).message,
        });
      }
    }
  }
}
