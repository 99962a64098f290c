import { defer, type Observable, repeat, retry, takeUntil, timer } from 'rxjs';
import type { RawRecord } from '../record/stream-record';
import type { CommitCoordinator } from './commit-coordinator';
import type { LivenessGuard } from './liveness-guard';
import type { PartitionRegistry } from './partition-registry';
import type { ResolvedRunnerOptions } from './runner-options';
import type { Telemetry } from '../otel/telemetry';
import type { RunClients } from './run-clients';

/** The reason a waiting poll is cut short; one shared value, as a DOMException per wake is costly. */
const WAKE_UP = new Error('poll woken up');

/** What the poll loop needs of the run. */
export interface PollLoopDeps {
  readonly clients: RunClients;
  /** Each poll's span and the consumed-messages counter. */
  readonly telemetry: Telemetry;
  /** The topics polled (the poll span's destination when there is one). */
  readonly topics: readonly string[];
  readonly liveness: LivenessGuard;
  readonly commits: CommitCoordinator;
  readonly registry: PartitionRegistry;
  /** Emits once when intake stops. */
  readonly stopping$: Observable<void>;
  readonly isStopping: () => boolean;
  /** The partitions or the clients changed (the stats too). */
  readonly changed: () => void;
}

/**
 * The polls as an Observable: each poll commits first when a commit is due, runs under the
 * liveness watch, is retried after `pollErrorBackoff` when it fails, and can be woken up
 * (cut short) when there is reason to poll now. A client the liveness watch found stalled is
 * replaced before the next poll.
 *
 * @example
 * const loop = new PollLoop(options, deps);
 * loop.polls().subscribe((batch) => dispatch(batch));
 * loop.wake(); // capacity freed: poll now rather than wait for records
 */
export class PollLoop {
  private wakeUp = new AbortController();

  constructor(
    private readonly options: ResolvedRunnerOptions,
    private readonly deps: PollLoopDeps,
  ) {}

  /** One poll after another, until intake stops. */
  polls(): Observable<readonly RawRecord[]> {
    return this.once().pipe(repeat(), takeUntil(this.deps.stopping$));
  }

  /**
   * One poll: replaces a stalled client first, and emits the batch (empty once intake has
   * stopped, or when the liveness watchdog abandoned the poll).
   */
  once(): Observable<readonly RawRecord[]> {
    const { logger, pollErrorBackoff, scheduler } = this.options;
    const { liveness, isStopping } = this.deps;
    return defer(async () => {
      if (liveness.stall !== undefined && !isStopping()) await this.replaceClients();
      return liveness.watchPoll(() => this.poll());
    }).pipe(
      retry({
        delay: (error: Error, attempt: number) => {
          logger.warn('poll failed, backing off', { error: error.message, attempt });
          return timer(pollErrorBackoff(attempt), scheduler);
        },
        resetOnSuccess: true,
      }),
    );
  }

  /** Makes a waiting poll return now; once intake stops, every poll returns at once. */
  wake(): void {
    if (!this.wakeUp.signal.aborted) this.wakeUp.abort(WAKE_UP);
  }

  private async poll(): Promise<readonly RawRecord[]> {
    const { maxPollRecords, pollTimeoutMs } = this.options;
    const { clients, liveness, isStopping } = this.deps;
    await this.deps.commits.commitIfDue();
    const consumer = clients.consumer;
    const wake = this.wakeUp;
    const records = await this.deps.telemetry.poll(this.deps.topics, () =>
      consumer.poll({ maxRecords: maxPollRecords, timeoutMs: pollTimeoutMs, signal: wake.signal }),
    );
    // A wake is used up by the poll it cut short; one that comes later cuts the next poll.
    if (wake.signal.aborted && !isStopping()) this.wakeUp = new AbortController();
    // A stuck consumer's poll that returns after all delivers nothing: it was replaced.
    return isStopping() || consumer !== clients.consumer || liveness.stall !== undefined
      ? []
      : records;
  }

  /**
   * The liveness watchdog found a client stuck: what is finished is committed (if the consumer
   * still can, in time), the rest of every partition is abandoned, to be read again from the
   * committed offsets by a fresh consumer that joins the group, with a fresh producer too when
   * the producer was the one stuck. A failure here is a poll failure: the poll loop backs off
   * and tries again.
   */
  private async replaceClients(): Promise<void> {
    const { logger, livenessTimeoutMs } = this.options;
    const { clients, liveness, commits, registry, changed } = this.deps;
    if (registry.tasks.size > 0) {
      if ((await commits.commitWithin(livenessTimeoutMs / 2)) !== 'committed')
        logger.warn('the stalled consumer could not commit; those records are read again');
      commits.reset();
      await registry.dropAll();
      changed();
    }
    const producerToo = liveness.stall?._tag === 'SendsHung';
    await clients.replace(producerToo);
    liveness.replaced();
    logger.warn(
      producerToo
        ? 'replaced the stalled producer, and the consumer, with new ones'
        : 'replaced the stalled consumer with a new one',
      { recreations: liveness.recreations },
    );
    changed();
  }
}
