import {
  BehaviorSubject,
  defer,
  type Observable,
  repeat,
  retry,
  takeUntil,
  timer,
  ReplaySubject,
} from 'rxjs';
import { asError } from '../errors/as-error';
import { CommitError, type CommitOffset, type Consumer, type Producer } from '../kafka/client';
import { topicPartitionKey, type RawRecord, type TopicPartition } from '../record/stream-record';
import { Task } from '../task/task';
import { ConsumerSlot } from './consumer-slot';
import { boundedClose } from './bounded-close';
import { LivenessGuard } from './liveness-guard';
import { LIVENESS_SCHEDULER } from './liveness-scheduler';
import type { RunnerContext, RunnerKind, RunnerStats } from './runner';
import type { ResolvedRunnerOptions } from './runner-options';
import { PartitionWorker } from './partition-worker';
import { within } from './within';

const PRODUCER_NOT_CLOSED = 'the producer did not close in time';

/** The reason a waiting poll is cut short; one shared value, as a DOMException per wake is costly. */
const WAKE_UP = new Error('poll woken up');

/** What a runner does when partitions come and go. */
export interface RuntimeHooks {
  /** Let the partition's records finish before its offsets are committed and it is closed. */
  drain(worker: PartitionWorker): Promise<void>;
  /** Stop the partition's records at once (its consumer stalled): they are read again. */
  abandon(worker: PartitionWorker): void;
  /** How long a drain inside a poll (a revocation) may take, in ms. */
  readonly drainTimeoutMs: number;
}

/**
 * What both runners share: the consumer and producer, one {@link PartitionWorker} (and
 * task) per assigned partition, the poll loop as an Observable, commits, stats, the fatal
 * error, and the shutdown sequence.
 */
export class StreamRuntime {
  readonly workers = new Map<string, PartitionWorker>();
  private currentProducer: Producer;
  private readonly slot: ConsumerSlot;
  private readonly liveness: LivenessGuard;
  private readonly stopping = new ReplaySubject<void>(1);
  private readonly statsSubject: BehaviorSubject<RunnerStats>;
  private stopped = false;
  private fatal: Error | undefined;
  private pollWake = new AbortController();
  private lastCommit = 0;
  private commitChain: Promise<void> = Promise.resolve();
  private commitRefused = false;

  constructor(
    private readonly context: RunnerContext,
    readonly options: ResolvedRunnerOptions,
    readonly kind: RunnerKind,
    private readonly hooks: RuntimeHooks,
  ) {
    const { logger, livenessTimeoutMs } = options;
    this.liveness = new LivenessGuard(
      {
        timeoutMs: livenessTimeoutMs,
        pollTimeoutMs: options.pollTimeoutMs,
        maxRecreations: options.maxConsumerRecreations,
        listenerGraceMs: hooks.drainTimeoutMs,
        logger,
      },
      {
        // Nothing in flight can finish on a stuck client: the records go back to be read again.
        stalled: () => {
          for (const w of this.workers.values()) this.hooks.abandon(w);
          this.wakePoll();
        },
        giveUp: (error) => this.fail(error),
      },
    );
    this.slot = new ConsumerSlot(
      context.client,
      context.topology.sourceTopics,
      {
        onAssigned: (partitions) => this.liveness.listener(() => this.assign(partitions)),
        onRevoked: (partitions) => this.liveness.listener(() => this.revoke(partitions)),
      },
      { logger, closeTimeoutMs: livenessTimeoutMs },
    );
    this.currentProducer = context.client.createProducer();
    this.statsSubject = new BehaviorSubject<RunnerStats>(this.stats());
  }

  /** The run's consumer; the liveness watchdog may replace it. */
  get consumer(): Consumer {
    return this.slot.consumer;
  }

  /** The run's producer; the liveness watchdog may replace it. */
  get producer(): Producer {
    return this.currentProducer;
  }

  get stats$(): Observable<RunnerStats> {
    return this.statsSubject.asObservable();
  }

  /** Emits once when intake must stop: the signal aborted, or a record failed for good. */
  get stopping$(): Observable<void> {
    return this.stopping.asObservable();
  }

  get isStopping(): boolean {
    return this.stopped;
  }

  /** A stalled client is to be replaced: records polled meanwhile are not to be begun. */
  get isReplacingClients(): boolean {
    return this.liveness.stall !== undefined;
  }

  get fatalError(): Error | undefined {
    return this.fatal;
  }

  /** Connects, subscribes, and arranges for `signal` to stop intake. */
  async start(signal: AbortSignal): Promise<void> {
    try {
      await Promise.all([this.slot.open(), this.producer.connect()]);
    } catch (error) {
      await Promise.allSettled([this.consumer.close(), this.producer.close()]);
      this.completeStats();
      throw error;
    }
    this.liveness.start(
      {
        assigned: () => [...this.workers.values()].map((w) => w.topicPartition),
        deliverable: () =>
          [...this.workers.values()].filter((w) => !w.paused).map((w) => w.topicPartition),
      },
      () => ({ consumer: this.consumer, producer: this.producer }),
    );
    if (signal.aborted) this.stop();
    else signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** Stops intake; the runner then drains and shuts down. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.liveness.stop();
    this.pollWake.abort(WAKE_UP);
    this.stopping.next();
    this.stopping.complete();
  }

  /** Records the first unrecoverable error and stops intake. */
  fail(error: Error): void {
    if (this.fatal === undefined) {
      this.fatal = error;
      this.options.logger.error('stopping on a fatal error', { error: error.message });
    }
    this.stop();
  }

  /** Makes a waiting poll return now (capacity freed for a partition with pending records). */
  wakePoll(): void {
    if (!this.pollWake.signal.aborted) this.pollWake.abort(WAKE_UP);
  }

  /**
   * One poll as an Observable: replaces a stalled consumer first, commits when due, retries a
   * failed poll after `pollErrorBackoff`, and emits the batch (empty once intake has stopped,
   * or when the liveness watchdog abandoned the poll).
   */
  pollOnce(): Observable<readonly RawRecord[]> {
    const { logger, pollErrorBackoff, scheduler } = this.options;
    return defer(async () => {
      if (this.liveness.stall !== undefined && !this.stopped) await this.replaceClients();
      return this.liveness.watchPoll(() => this.pollConsumer());
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

  private async pollConsumer(): Promise<readonly RawRecord[]> {
    const { maxPollRecords, pollTimeoutMs } = this.options;
    await this.commitIfDue();
    const consumer = this.consumer;
    const wake = this.pollWake;
    const records = await consumer.poll({
      maxRecords: maxPollRecords,
      timeoutMs: pollTimeoutMs,
      signal: wake.signal,
    });
    // A wake is used up by the poll it cut short; one that comes later cuts the next poll.
    if (wake.signal.aborted && !this.stopped) this.pollWake = new AbortController();
    // A stuck consumer's poll that returns after all delivers nothing: it was replaced.
    return this.stopped || consumer !== this.consumer || this.liveness.stall !== undefined
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
    if (this.workers.size > 0) {
      if ((await this.commitWithin(livenessTimeoutMs / 2)) !== 'committed')
        logger.warn('the stalled consumer could not commit; those records are read again');
      // A commit stuck in the old consumer must not hold the new consumer's commits.
      this.commitChain = Promise.resolve();
      const abandoned = [...this.workers.values()];
      this.workers.clear();
      await this.closeTasks(abandoned);
      this.publishStats();
    }
    const producerToo = this.liveness.stall?._tag === 'SendsHung';
    if (producerToo) await this.replaceProducer();
    await this.slot.replace();
    this.liveness.replaced();
    logger.warn(
      producerToo
        ? 'replaced the stalled producer, and the consumer, with new ones'
        : 'replaced the stalled consumer with a new one',
      { recreations: this.liveness.recreations },
    );
    this.publishStats();
  }

  private async replaceProducer(): Promise<void> {
    const { logger, livenessTimeoutMs } = this.options;
    const fresh = this.context.client.createProducer();
    await fresh.connect();
    const old = this.currentProducer;
    this.currentProducer = fresh;
    // Nothing waits for the stuck one: it closes (or not) in the background.
    void boundedClose(old.close(), livenessTimeoutMs, logger, PRODUCER_NOT_CLOSED).catch(
      (error: unknown) =>
        logger.warn('a replaced producer failed to close', { error: asError(error).message }),
    );
  }

  /** The poll loop: one poll after another, until intake stops. */
  polls(): Observable<readonly RawRecord[]> {
    return this.pollOnce().pipe(repeat(), takeUntil(this.stopping));
  }

  /** The worker of a record's partition, if it is assigned. */
  workerFor(record: TopicPartition): PartitionWorker | undefined {
    return this.workers.get(topicPartitionKey(record));
  }

  /**
   * Commits every partition whose finished prefix moved since its last commit. Resolves
   * false when the commit was refused; the next poll then commits again.
   */
  commit(workers: Iterable<PartitionWorker> = this.workers.values()): Promise<boolean> {
    const chosen = [...workers];
    const run = async (): Promise<boolean> => {
      const offsets: CommitOffset[] = [];
      for (const w of chosen) {
        const offset = w.task.tracker.committable();
        if (offset !== undefined && offset !== w.committed) {
          offsets.push({ topic: w.topic, partition: w.partition, offset });
        }
      }
      if (offsets.length === 0) return true;
      try {
        await this.consumer.commit(offsets);
        for (const o of offsets) {
          const w = this.workers.get(topicPartitionKey(o));
          if (w !== undefined) w.committed = o.offset;
        }
        this.options.logger.debug('committed offsets', { offsets });
        this.publishStats();
        return true;
      } catch (error) {
        this.commitRefused = true;
        const rebalancing = error instanceof CommitError && error.rebalanceInProgress;
        this.options.logger[rebalancing ? 'info' : 'warn']('commit failed, will commit again', {
          error: asError(error).message,
        });
        return false;
      }
    };
    this.lastCommit = this.options.scheduler.now();
    this.commitRefused = false;
    const result = this.commitChain.then(run);
    this.commitChain = result.then(() => undefined);
    return result;
  }

  /**
   * The shutdown sequence once intake has stopped: drain, commit, flush, close the tasks,
   * the consumer and the producer — every closing step runs even when an earlier one fails
   * (a processor whose close() throws must not keep the consumer in the group). Rejects with
   * the fatal error that stopped the run if there was one, else with the first failure.
   */
  async shutdown(drainAll: () => Promise<void>): Promise<void> {
    const { logger } = this.options;
    const owned = [...this.workers.values()];
    this.consumer.pause(owned.map((w) => ({ topic: w.topic, partition: w.partition })));
    const failures: unknown[] = [];
    try {
      await drainAll();
      const { livenessTimeoutMs } = this.options;
      let outcome = await this.commitWithin(livenessTimeoutMs);
      if (outcome === 'refused') {
        logger.warn('final commit refused, committing once more');
        outcome = await this.commitWithin(livenessTimeoutMs);
      }
      if (outcome !== 'committed') {
        logger.error(
          `final commit ${outcome === 'refused' ? 'failed' : 'did not return in time'}; finished records will be re-delivered`,
          { livenessTimeoutMs },
        );
      }
      await boundedClose(
        this.producer.flush(),
        this.options.livenessTimeoutMs,
        logger,
        'the producer did not flush in time; outputs not acknowledged are not committed',
      );
    } catch (error) {
      failures.push(error);
    }
    const closing = [...this.workers.values()].map((w) => w.task.close());
    this.workers.clear();
    this.publishStats();
    const outcomes = await Promise.allSettled(closing);
    outcomes.push(...(await Promise.allSettled([this.slot.close()])));
    outcomes.push(
      ...(await Promise.allSettled([
        boundedClose(
          this.producer.close(),
          this.options.livenessTimeoutMs,
          logger,
          PRODUCER_NOT_CLOSED,
        ),
      ])),
    );
    for (const o of outcomes) if (o.status === 'rejected') failures.push(o.reason);
    logger.info('runner stopped');
    this.completeStats();
    if (this.fatal !== undefined) throw this.fatal;
    if (failures.length > 0) throw asError(failures[0]);
  }

  stats(): RunnerStats {
    const partitions = [...this.workers.values()].map((w) => ({
      topic: w.topic,
      partition: w.partition,
      queueDepth: w.task.inFlight,
      pending: w.pending.length,
      paused: w.paused,
      ...(w.committed === undefined ? {} : { committedOffset: w.committed }),
    }));
    const { consumer, producer } = this.liveness.recreations;
    return {
      runner: this.kind,
      partitions,
      consumerRecreations: consumer,
      producerRecreations: producer,
    };
  }

  publishStats(): void {
    this.statsSubject.next(this.stats());
  }

  completeStats(): void {
    this.statsSubject.complete();
  }

  /** A commit that a stuck consumer cannot hold longer than `timeoutMs`. */
  private async commitWithin(timeoutMs: number): Promise<'committed' | 'refused' | 'timedOut'> {
    let committed = false;
    const done = await within(
      this.commit().then((ok) => (committed = ok)),
      timeoutMs,
      LIVENESS_SCHEDULER,
    );
    if (!done) return 'timedOut';
    return committed ? 'committed' : 'refused';
  }

  private async commitIfDue(): Promise<void> {
    const elapsed = this.options.scheduler.now() - this.lastCommit;
    if (this.commitRefused || elapsed >= this.options.commitIntervalMs) await this.commit();
  }

  private assign(partitions: readonly TopicPartition[]): void {
    try {
      for (const tp of partitions) this.createWorker(tp);
    } catch (error) {
      // A processor supplier that throws leaves a partition with no task: nothing can run it.
      this.fail(asError(error));
      return;
    }
    // A partition paused when it left may come back still paused (kafkajs keeps pause state).
    this.consumer.resume(partitions);
    this.options.logger.info('partitions assigned', {
      partitions: partitions.map(topicPartitionKey),
    });
    this.publishStats();
  }

  private createWorker(tp: TopicPartition): void {
    const id = topicPartitionKey(tp);
    const info = { id, topic: tp.topic, partition: tp.partition };
    const task = new Task(
      info,
      this.context.topology.createTask(info, { logger: this.options.logger }),
      {
        producer: this.producer,
        handlerFor: this.options.handlerFor,
        scheduler: this.options.scheduler,
        logger: this.options.logger,
        now: this.options.now,
        onFatal: (error) => this.fail(error),
      },
    );
    this.workers.set(id, new PartitionWorker(task));
  }

  /** Closes the tasks' processors; a failure is logged, the others still close. */
  private async closeTasks(workers: readonly PartitionWorker[]): Promise<void> {
    for (const closed of await Promise.allSettled(workers.map((w) => w.task.close()))) {
      if (closed.status === 'rejected') {
        this.options.logger.error('a processor failed to close', {
          error: asError(closed.reason).message,
        });
      }
    }
  }

  private async revoke(partitions: readonly TopicPartition[]): Promise<void> {
    const leaving = partitions
      .map((tp) => this.workers.get(topicPartitionKey(tp)))
      .filter((w): w is PartitionWorker => w !== undefined);
    await Promise.all(leaving.map((w) => this.hooks.drain(w)));
    await this.commit(leaving);
    for (const w of leaving) this.workers.delete(topicPartitionKey(w));
    await this.closeTasks(leaving);
    this.options.logger.info('partitions revoked', {
      partitions: partitions.map(topicPartitionKey),
    });
    this.publishStats();
  }
}
