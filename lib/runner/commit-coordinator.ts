import * as O from 'fp-ts/lib/Option.js';
import type { Offset } from '../kafka/offset';
import { asError } from '../errors/as-error';
import { CommitError, type CommitOffset, type Consumer } from '../kafka/client';
import type { Logger } from '../logger/logger';
import { topicPartitionKey } from '../record/stream-record';
import type { SchedulerLike } from 'rxjs';
import { LIVENESS_SCHEDULER } from './liveness-scheduler';
import type { Telemetry } from '../otel/telemetry';
import type { StreamTask } from '../task/stream-task';
import { within } from './within';

/** How a commit ended: taken by the broker, refused, or not answered within its bound. */
export type CommitOutcome = 'committed' | 'refused' | 'timedOut';

/** What the coordinator needs of the run. */
export interface CommitDeps {
  readonly consumer: () => Consumer;
  /** Each commit's span and duration. */
  readonly telemetry: Telemetry;
  /** The partitions assigned now, by id: what a commit covers by default. */
  readonly partitions: () => ReadonlyMap<string, StreamTask>;
  /** Offsets were committed (the stats changed). */
  readonly committed: () => void;
}

/**
 * The run's commits: one chain, so commits reach the consumer one at a time and in order;
 * a commit when one is due (every `commitIntervalMs`, or again after a refusal); commits
 * bounded on the wall clock (a stuck consumer must not hold a replacement or the shutdown);
 * and the last offset committed per partition.
 *
 * @example
 * const commits = new CommitCoordinator(options, { consumer, partitions, committed });
 * await commits.commitIfDue();
 * const outcome = await commits.commitWithin(30_000);
 */
export class CommitCoordinator {
  private chain: Promise<void> = Promise.resolve();
  private lastCommit = 0;
  private refused = false;
  private readonly committedOffsets = new Map<string, Offset>();

  constructor(
    private readonly options: {
      readonly logger: Logger;
      readonly scheduler: SchedulerLike;
      readonly commitIntervalMs: number;
    },
    private readonly deps: CommitDeps,
  ) {}

  /** The last offset committed for the partition (the next to read), if any. */
  committedOffset(id: string): O.Option<Offset> {
    return O.fromNullable(this.committedOffsets.get(id));
  }

  /** The partition left: a later assignment of it starts with no commit of its own. */
  forget(id: string): void {
    this.committedOffsets.delete(id);
  }

  /** A commit stuck in a replaced consumer must not hold the next consumer's commits. */
  reset(): void {
    this.chain = Promise.resolve();
  }

  /**
   * Commits every partition whose finished prefix moved since its last commit. Resolves
   * false when the commit was refused; the next poll then commits again.
   */
  commit(tasks: Iterable<StreamTask> = this.deps.partitions().values()): Promise<boolean> {
    const chosen = [...tasks];
    this.lastCommit = this.options.scheduler.now();
    this.refused = false;
    const result = this.chain.then(() => this.commitNow(chosen));
    this.chain = result.then(() => undefined);
    return result;
  }

  /** Commits when the interval has passed since the last commit, or the last was refused. */
  async commitIfDue(): Promise<void> {
    const elapsed = this.options.scheduler.now() - this.lastCommit;
    if (this.refused || elapsed >= this.options.commitIntervalMs) await this.commit();
  }

  /** A commit that a stuck consumer cannot hold longer than `timeoutMs`. */
  async commitWithin(timeoutMs: number): Promise<CommitOutcome> {
    let committed = false;
    const done = await within(
      this.commit().then((ok) => (committed = ok)),
      timeoutMs,
      LIVENESS_SCHEDULER,
    );
    if (!done) return 'timedOut';
    return committed ? 'committed' : 'refused';
  }

  /**
   * The shutdown's commit: a refused one is tried once more, one that does not return in
   * `timeoutMs` is not (the consumer is stuck); what is not committed is logged.
   */
  async finalCommit(timeoutMs: number): Promise<void> {
    const { logger } = this.options;
    let outcome = await this.commitWithin(timeoutMs);
    if (outcome === 'refused') {
      logger.warn('final commit refused, committing once more');
      outcome = await this.commitWithin(timeoutMs);
    }
    if (outcome !== 'committed') {
      logger.error(
        `final commit ${outcome === 'refused' ? 'failed' : 'did not return in time'}; finished records will be re-delivered`,
        { livenessTimeoutMs: timeoutMs },
      );
    }
  }

  private async commitNow(tasks: readonly StreamTask[]): Promise<boolean> {
    const { logger } = this.options;
    const offsets: CommitOffset[] = [];
    for (const { info, tracker } of tasks) {
      const offset = tracker.committable();
      if (O.isSome(offset) && offset.value !== this.committedOffsets.get(info.id)) {
        offsets.push({ topic: info.topic, partition: info.partition, offset: offset.value });
      }
    }
    if (offsets.length === 0) return true;
    try {
      const consumer = this.deps.consumer();
      await this.deps.telemetry.commit(offsets, () => consumer.commit(offsets));
      const assigned = this.deps.partitions();
      for (const o of offsets) {
        const id = topicPartitionKey(o);
        if (assigned.has(id)) this.committedOffsets.set(id, o.offset);
      }
      logger.debug('committed offsets', { offsets });
      this.deps.committed();
      return true;
    } catch (error) {
      this.refused = true;
      const rebalancing = error instanceof CommitError && error.rebalanceInProgress;
      logger[rebalancing ? 'info' : 'warn']('commit failed, will commit again', {
        error: asError(error).message,
      });
      return false;
    }
  }
}
