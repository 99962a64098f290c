import { BehaviorSubject, type Observable, ReplaySubject } from 'rxjs';
import { asError } from '../errors/as-error';
import type { Consumer, Producer } from '../kafka/client';
import type { RawRecord } from '../record/stream-record';
import { RecordCounters } from '../task/record-counters';
import type { StreamTask } from '../task/stream-task';
import { boundedClose } from './bounded-close';
import { CommitCoordinator } from './commit-coordinator';
import { withDrainProgress } from './drain-progress';
import { LagTracker } from './lag-tracker';
import { type GaugeSource, Telemetry } from '../otel/telemetry';
import { LIVENESS_SCHEDULER } from './liveness-scheduler';
import { LivenessGuard } from './liveness-guard';
import { PartitionRegistry, type PartitionHooks, topicPartitionOf } from './partition-registry';
import { PollLoop } from './poll-loop';
import type { LocalStore, LocalStores, RunnerContext, RunnerKind, RunnerStats } from './runner';
import type { ResolvedRunnerOptions } from './runner-options';
import { RunClients } from './run-clients';
import { StateRestorer } from './state-restorer';

/** What a runner does when partitions come and go, and how long a revocation may drain. */
export interface RuntimeHooks extends PartitionHooks {
  /** How long a drain inside a poll (a revocation) may take, in ms. */
  readonly drainTimeoutMs: number;
}

/**
 * What both runners share, put together: the clients ({@link RunClients}), the assigned
 * partitions ({@link PartitionRegistry}), the polls ({@link PollLoop}), the commits
 * ({@link CommitCoordinator}) and the liveness watch; and here the run's own course — start,
 * stop or fail, stats, and the shutdown sequence.
 */
/** What the run's gauges show of a stats snapshot. */
const gauges = (stats: RunnerStats): GaugeSource => ({
  tasks: stats.partitions.length,
  pending: stats.partitions.reduce((n, p) => n + p.queueDepth + p.pending, 0),
  paused: stats.partitions.filter((p) => p.paused).length,
  recreations: stats.consumerRecreations,
  lags: stats.partitions.flatMap((p) =>
    p.lag === undefined ? [] : [{ topic: p.topic, partition: p.partition, lag: p.lag }],
  ),
});

export class StreamRuntime {
  readonly partitions: PartitionRegistry;
  /** The run's OpenTelemetry (tracer and instruments absent without an SDK). */
  readonly telemetry: Telemetry;
  private readonly lags: LagTracker;
  /** What the run's tasks count of their records, for the stats. */
  private readonly counters = new RecordCounters();
  private readonly clients: RunClients;
  private readonly commits: CommitCoordinator;
  private readonly pollLoop: PollLoop;
  private readonly liveness: LivenessGuard;
  private readonly restorer: StateRestorer;
  /** The topics the topology reads. */
  private readonly topics: readonly string[];
  private readonly stopping = new ReplaySubject<void>(1);
  private readonly statsSubject: BehaviorSubject<RunnerStats>;
  private stopped = false;
  private forcedStop = false;
  private fatal: Error | undefined;
  private hooks: RuntimeHooks;

  constructor(
    context: RunnerContext,
    readonly options: ResolvedRunnerOptions,
    readonly kind: RunnerKind,
    hooks: RuntimeHooks,
  ) {
    this.hooks = hooks;
    // What runs is the topology with its internal topics named after the application.
    context = {
      ...context,
      topology: context.topology.forApplication?.(context.applicationId) ?? context.topology,
    };
    this.topics = context.topology.sourceTopics;
    const { logger, livenessTimeoutMs } = options;
    // One logger for the application: the client's lines go where the runner's do.
    context.client.useLogger?.(logger);
    this.telemetry = Telemetry.resolve(options.telemetry, context.client.groupId);
    const changed = (): void => this.publishStats();
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
          this.partitions.abandonAll();
          this.pollLoop.wake();
        },
        giveUp: (error) => this.fail(error),
      },
    );
    this.clients = new RunClients(
      context.client,
      context.topology.sourceTopics,
      {
        onAssigned: (tps) => this.liveness.listener(() => this.partitions.assign(tps)),
        onRevoked: (tps) => this.liveness.listener(() => this.partitions.revoke(tps)),
      },
      {
        logger,
        closeTimeoutMs: livenessTimeoutMs,
        // Topics sharing stores (a join) need partition N of each on one instance.
        consumer: { coPartitioned: (context.topology.coPartitionedTopics?.length ?? 0) > 0 },
      },
    );
    const consumer = (): Consumer => this.clients.consumer;
    this.lags = new LagTracker(consumer, () => this.partitions.assigned(), changed);
    this.commits = new CommitCoordinator(options, {
      consumer,
      telemetry: this.telemetry,
      partitions: () => this.partitions.tasks,
      committed: () => {
        this.lags.committed();
        changed();
      },
    });
    this.restorer = new StateRestorer(
      context.client,
      context.topology,
      context.applicationId,
      logger,
    );
    this.partitions = new PartitionRegistry(context, options, hooks, {
      consumer,
      producer: () => this.clients.producer,
      commits: this.commits,
      telemetry: this.telemetry,
      lags: this.lags,
      counters: this.counters,
      fail: (error) => this.fail(error),
      changed,
      restorer: this.restorer,
      restoring: () => {
        // A restore is progress: the assignment listener it runs in is not stuck.
        this.liveness.progressed();
        changed();
      },
    });
    this.pollLoop = new PollLoop(options, {
      clients: this.clients,
      telemetry: this.telemetry,
      topics: context.topology.sourceTopics,
      liveness: this.liveness,
      commits: this.commits,
      registry: this.partitions,
      stopping$: this.stopping,
      isStopping: () => this.stopped,
      changed,
    });
    this.statsSubject = new BehaviorSubject<RunnerStats>(this.stats());
    this.telemetry.observe(() => gauges(this.stats()));
  }

  /** The run's consumer; the liveness watchdog may replace it. */
  get consumer(): Consumer {
    return this.clients.consumer;
  }

  /** The run's producer; the liveness watchdog may replace it. */
  get producer(): Producer {
    return this.clients.producer;
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
  async start(signal: AbortSignal, force?: AbortSignal): Promise<void> {
    try {
      // The changelogs are made or checked first: a wrong one stops the run before it joins.
      await this.restorer.prepare();
      await this.clients.open();
    } catch (error) {
      await this.restorer.close().catch(() => undefined);
      this.completeStats();
      throw error;
    }
    this.liveness.start(
      {
        assigned: () => this.partitions.assigned(),
        deliverable: () => this.partitions.deliverable(),
      },
      () => this.clients,
    );
    this.lags.start();
    if (signal.aborted) this.stop();
    else signal.addEventListener('abort', () => this.stop(), { once: true });
    if (force?.aborted) this.forceStop();
    else force?.addEventListener('abort', () => this.forceStop(), { once: true });
  }

  /**
   * Stops at once: intake stops, and every record still running is abandoned (uncommitted,
   * read again), so the drain ends now; what finished is still committed on the way out.
   */
  forceStop(): void {
    if (this.forcedStop) return;
    this.forcedStop = true;
    const running = [...this.partitions.tasks.values()].reduce((n, t) => n + t.running, 0);
    this.options.logger.warn('forced stop: records still running are abandoned and read again', {
      running,
    });
    this.stop();
    for (const task of this.partitions.tasks.values()) this.hooks.abandon(task);
  }

  /** True once a forced stop was asked for: drains end at once. */
  get isForced(): boolean {
    return this.forcedStop;
  }

  /** Stops intake; the runner then drains and shuts down. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.liveness.stop();
    this.pollLoop.wake();
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
    this.pollLoop.wake();
  }

  /** One poll: see {@link PollLoop.once}. */
  pollOnce(): Observable<readonly RawRecord[]> {
    return this.pollLoop.once();
  }

  /** The poll loop: one poll after another, until intake stops. */
  polls(): Observable<readonly RawRecord[]> {
    return this.pollLoop.polls();
  }

  /**
   * The shutdown sequence once intake has stopped: drain, commit, flush, close the tasks,
   * the consumer and the producer — every closing step runs even when an earlier one fails
   * (a processor whose close() throws must not keep the consumer in the group). Rejects with
   * the fatal error that stopped the run if there was one, else with the first failure.
   */
  async shutdown(drainAll: () => Promise<void>, drainBoundMs: number): Promise<void> {
    const { logger, livenessTimeoutMs, shutdownDrain } = this.options;
    this.consumer.pause(this.partitions.assigned());
    const failures: unknown[] = [];
    try {
      const left = (task: StreamTask): number =>
        shutdownDrain === 'started' ? task.running : task.queueDepth;
      await withDrainProgress(
        drainAll(),
        () => {
          const counts = [...this.partitions.tasks.values()].map(left).filter((n) => n > 0);
          return { partitions: counts.length, records: counts.reduce((a, b) => a + b, 0) };
        },
        // Wall-clock, as the liveness watch: `scheduler` is for the records' delays.
        { logger, everyMs: 1000, boundMs: drainBoundMs, scheduler: LIVENESS_SCHEDULER },
      );
      await this.commits.finalCommit(livenessTimeoutMs);
      this.lags.stop();
      await this.lags.refresh(Math.min(livenessTimeoutMs, 5000));
      await boundedClose(
        this.producer.flush(),
        livenessTimeoutMs,
        logger,
        'the producer did not flush in time; outputs not acknowledged are not committed',
      );
      await this.restorer.checkpoint([...this.partitions.tasks.values()]);
    } catch (error) {
      failures.push(error);
    }
    const closing = this.partitions.closeAll();
    this.publishStats();
    const outcomes = [
      ...(await closing),
      ...(await this.clients.close()),
      ...(await Promise.allSettled([this.restorer.close()])),
    ];
    for (const o of outcomes) if (o.status === 'rejected') failures.push(o.reason);
    logger.info('runner stopped');
    this.lags.stop();
    this.telemetry.close();
    this.completeStats();
    if (this.fatal !== undefined) throw this.fatal;
    if (failures.length > 0) throw asError(failures[0]);
  }

  /** The store `name` of every task whose stores are restored. */
  localStores(name: string): LocalStores {
    const found: LocalStore[] = [];
    for (const task of this.partitions.tasks.values()) {
      if (this.restorer.progressOf(task)?.done === false) continue;
      const store = task.stores.find((s) => s.name === name);
      // A store shared by the tasks of a partition number is listed once.
      if (store !== undefined && !found.some((f) => f.store === store)) {
        found.push({ ...topicPartitionOf(task), store });
      }
    }
    return { partitions: this.restorer.partitions, stores: found };
  }

  stats(): RunnerStats {
    const { consumer, producer } = this.liveness.recreations;
    const processingMs = this.counters.processingMs();
    return {
      runner: this.kind,
      partitions: this.partitions.stats(),
      records: this.counters.records(),
      errors: this.counters.errors(),
      ...(processingMs === undefined ? {} : { processingMs }),
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
}
