import {
  EMPTY,
  filter,
  map,
  Observable,
  ReplaySubject,
  type SchedulerLike,
  startWith,
  Subject,
  take,
} from 'rxjs';
import type { ErrorHandler } from '../errorhandler/error-handler';
import { handleErrors } from '../errorhandler/handle-errors';
import type { ErrorPhase } from '../errors/phase';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';
import type { TaskTelemetry } from '../otel/telemetry';
import type { TaskInfo, TopologyTask } from '../topology/topology-task';
import { OffsetTracker } from './offset-tracker';
import { RecordCollector, type SendOutput } from './record-collector';
import type { RecordCounters } from './record-counters';
import { type LifeHost, RecordLife } from './record-life';
import type { TaskStore } from '../state/task-store';

/** What a task needs from its runner (or from the marble driver). */
export interface TaskDeps {
  /** Hands an output to the producer: the runners' producer, or the driver's virtual one. */
  readonly send: SendOutput;
  readonly handlerFor: (phase: ErrorPhase) => ErrorHandler;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  readonly now: () => number;
  /** A record failed for good after it had been processed (its outputs were refused). */
  readonly onFatal: (error: Error) => void;
  /** Traces and measures each record; undefined when telemetry is off (no SDK). */
  readonly telemetry?: TaskTelemetry | undefined;
  /** The run's counts for its stats, shared by its tasks; undefined counts nothing. */
  readonly counters?: RecordCounters | undefined;
}

/**
 * One input partition's unit of work (after Kafka Streams' `StreamTask`): its own
 * topology instance (fresh processors), the offsets it has begun and finished, and each
 * record's life from source to acknowledged outputs ({@link RecordLife}).
 *
 * A record's life is the record's inner pipeline — run the topology, hand the outputs to
 * the producer, wait for their acknowledgements. A failure goes to the error handler's
 * retry operator ({@link handleErrors}) for the phase that failed. The partition's pipeline
 * moves on to the next record once this one's outputs are handed over; the
 * acknowledgements finish in the background, and only then is the offset done.
 */
export class StreamTask {
  readonly tracker = new OffsetTracker();
  /** What its records' lives use of the task: not part of what a runner sees. */
  private readonly host: LifeHost;
  /** Records whose life is running, as a linked list: no allocation per record. */
  private lives: RecordLife | undefined;
  private living = 0;
  private readonly changes = new Subject<void>();
  private closed = false;
  private dropping = false;
  /** Emits once the partition is leaving: waits for retries end, their records given up. */
  private readonly leaving = new ReplaySubject<void>(1);

  constructor(
    readonly info: TaskInfo,
    private readonly topology: TopologyTask,
    private readonly deps: TaskDeps,
  ) {
    const { counters } = deps;
    const collector = new RecordCollector(deps.send, deps.logger, deps.now);
    // What is sent after a failure (outputs again, dead-letter copies) is counted as each
    // acknowledgement comes; a first send is counted by its record's life, which waits on the
    // acknowledgement anyway: no promise more per output on the hot path.
    const afterFailure =
      counters === undefined
        ? collector
        : new RecordCollector(counters.counting(deps.send), deps.logger, deps.now);
    this.host = {
      collector,
      resender: afterFailure,
      counters,
      push: (raw, sink) => topology.push(raw, sink),
      handle: (life) =>
        handleErrors<never>({
          record: life.raw,
          handlerFor: deps.handlerFor,
          sendToDLQ: (topic, ec) => {
            const settled = life.trace?.deadLetter(topic);
            const ack = afterFailure.sendToDLQ(topic, ec);
            if (settled !== undefined) ack.then(() => settled(), settled);
            return ack;
          },
          observer: counters === undefined ? life.trace : counters.observing(life.trace),
          scheduler: deps.scheduler,
          logger: deps.logger,
          leaving$: this.leaving,
          giveUp: () => {
            // Nothing after a record given up can be committed: the rest is not started.
            this.dropQueued();
            life.giveUp();
          },
        }),
      ended: (life, done) => this.ended(life, done),
      fatal: (error) => deps.onFatal(error),
    };
  }

  /**
   * The partition's buffer, as `app.stats()` shows it: records admitted and not done
   * (queued, processing, or waiting for acknowledgements). `channelBufferSize` bounds it.
   */
  get queueDepth(): number {
    return this.tracker.unfinished;
  }

  /** The task's state stores (its topology instance's). */
  get stores(): readonly TaskStore[] {
    return this.topology.stores ?? [];
  }

  /** Records whose life is running (processing or waiting for acknowledgements). */
  get running(): number {
    return this.living;
  }

  /** Emits whenever a record's life ends (done, failed or abandoned). */
  get changes$(): Observable<void> {
    return this.changes.asObservable();
  }

  /** The record entered this task's buffer; its offset is held back until it is done. */
  admit(raw: RawRecord): void {
    this.tracker.begin(raw.offset);
    this.deps.counters?.admitted();
  }

  /**
   * The record's inner pipeline as the partition's `concatMap` sees it: completes once its
   * outputs are handed to the producer (or it was skipped), errors when the error handler
   * says fail before that. Unsubscribing before then abandons the record.
   */
  run(raw: RawRecord): Observable<never> {
    // Dropped: the record never starts, and its offset stays uncommitted.
    if (this.dropping) return EMPTY;
    return new Observable<never>((subscriber) => {
      const life = new RecordLife(this.host, raw, subscriber, this.deps.telemetry?.begin(raw));
      life.start();
      if (!life.ended) this.track(life);
      // A record released inside subscribe() (every callback synchronous) needs no teardown:
      // leaving it out spares RxJS a finalizer list per record.
      return life.isReleased ? undefined : life;
    });
  }

  /** Emits once `ready()` holds (checked now and after every change), then completes. */
  until(ready: () => boolean): Observable<void> {
    return this.changes.pipe(
      startWith(undefined),
      filter(ready),
      take(1),
      map(() => undefined),
    );
  }

  /**
   * From now on, records admitted but not started are not started: their pipelines complete
   * at once and their offsets stay uncommitted (read again by the next owner). Records
   * already started go on. A shutdown that finishes only what it started uses it.
   */
  dropQueued(): void {
    this.dropping = true;
  }

  /**
   * The partition is leaving (a shutdown or a revocation drains it): a record waiting for a
   * retry, or failing from now on, is given up at once instead of waiting (uncommitted, read
   * again), and nothing queued behind it starts.
   */
  leave(): void {
    this.leaving.next();
  }

  /**
   * Whether a drain of this task is over: nothing running, and either every admitted record
   * done or (`startedOnly`, or after a record was given up) the queued ones dropped.
   */
  drained(startedOnly: boolean): boolean {
    return this.living === 0 && (startedOnly || this.dropping || this.tracker.unfinished === 0);
  }

  /** Stops every record's life still running; their offsets stay uncommitted. */
  abandon(): void {
    const running = [];
    for (let life = this.lives; life !== undefined; life = life.next) running.push(life);
    for (const life of running) life.abandon();
    this.changes.next();
  }

  /** Closes the topology instance's processors, once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abandon();
    this.changes.complete();
    this.leaving.complete();
    await this.topology.close();
  }

  private ended(life: RecordLife, done: boolean): void {
    if (done) this.tracker.done(life.raw.offset);
    this.untrack(life);
    // Once per record: skipped while nobody waits on the task.
    if (this.changes.observed) this.changes.next();
  }

  private track(life: RecordLife): void {
    life.next = this.lives;
    if (this.lives !== undefined) this.lives.prev = life;
    this.lives = life;
    this.living += 1;
  }

  private untrack(life: RecordLife): void {
    if (life.prev === undefined && this.lives !== life) return; // never tracked
    if (life.prev !== undefined) life.prev.next = life.next;
    else this.lives = life.next;
    if (life.next !== undefined) life.next.prev = life.prev;
    life.prev = undefined;
    life.next = undefined;
    this.living -= 1;
  }
}
