import {
  defer,
  EMPTY,
  filter,
  from,
  map,
  mergeMap,
  type MonoTypeOperatorFunction,
  Observable,
  type SchedulerLike,
  startWith,
  Subject,
  type Subscriber,
  type Subscription,
  take,
  throwError,
  type Unsubscribable,
} from 'rxjs';
import { dlqRecord } from '../errorhandler/dlq-record';
import type { ErrorContext } from '../errorhandler/error-context';
import type { ErrorHandler } from '../errorhandler/error-handler';
import { handleErrors } from '../errorhandler/handle-errors';
import { asError } from '../errors/as-error';
import type { ErrorPhase } from '../errors/phase';
import { ProductionError } from '../errors/production-error';
import type { Producer, ProducerRecord } from '../kafka/client';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';
import type { Pushed } from '../topology/compile-node';
import { TaskInstance } from '../topology/task-instance';
import type { RecordSink, TaskInfo, TopologyTask } from '../topology/topology-task';
import { OffsetTracker } from './offset-tracker';

/** What a task needs from its runner. */
export interface TaskDeps {
  readonly producer: Producer;
  readonly handlerFor: (phase: ErrorPhase) => ErrorHandler;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  readonly now: () => number;
  /** A record failed for good after it had been processed (its outputs were refused). */
  readonly onFatal: (error: Error) => void;
}

/** An output handed to the producer for the record: what was sent, and the send's promise. */
interface Output {
  readonly record: ProducerRecord;
  readonly nodeName?: string;
  readonly ack: Promise<unknown>;
}

/**
 * One input partition's share of the work: its own topology instance (fresh processors),
 * the offsets it has begun and finished, and each record's life from source to
 * acknowledged outputs.
 *
 * A record's life is the record's inner pipeline — run the topology, hand the outputs to
 * the producer, wait for their acknowledgements. A failure goes to the error handler's
 * retry operator ({@link handleErrors}) for the phase that failed: processing is re-run
 * from the source, refused outputs are sent again. The partition's pipeline moves on to
 * the next record once this one's outputs are handed over; the acknowledgements finish in
 * the background, and only then is the offset done.
 */
export class Task {
  readonly tracker = new OffsetTracker();
  /** Records whose life is running, as a linked list: no allocation per record. */
  private lives: RecordLife | undefined;
  private living = 0;
  private readonly changes = new Subject<void>();
  private closed = false;

  constructor(
    readonly info: TaskInfo,
    private readonly topologyTask: TopologyTask,
    private readonly deps: TaskDeps,
  ) {}

  /** Records begun and not done: queued, processing, or waiting for acknowledgements. */
  get inFlight(): number {
    return this.tracker.inFlight;
  }

  /** Records whose life is running (processing or waiting for acknowledgements). */
  get active(): number {
    return this.living;
  }

  /** Emits whenever a record's life ends (done, failed or abandoned). */
  get changes$(): Observable<void> {
    return this.changes.asObservable();
  }

  /** The record entered this task's buffer; its offset is held back until it is done. */
  admit(raw: RawRecord): void {
    this.tracker.begin(raw.offset);
  }

  /**
   * The record's inner pipeline as the partition's `concatMap` sees it: completes once its
   * outputs are handed to the producer (or it was skipped), errors when the error handler
   * says fail before that. Unsubscribing before then abandons the record.
   */
  run(raw: RawRecord): Observable<never> {
    return new Observable<never>((subscriber) => {
      const life = new RecordLife(this, raw, subscriber);
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
    await this.topologyTask.close();
  }

  /**
   * Runs the topology for the record; its sink hands outputs to `life`. A topology built by
   * `StreamsBuilder` runs with plain calls (`undefined`: done now); any other through its
   * `process` Observable. Throws when it fails now.
   */
  push(raw: RawRecord, life: RecordLife): Pushed {
    return this.topologyTask instanceof TaskInstance
      ? this.topologyTask.push(raw, life)
      : this.topologyTask.process(raw, life);
  }

  /** The topology for the record as an Observable, for the error handler to resubscribe. */
  process(raw: RawRecord, life: RecordLife): Observable<never> {
    return this.topologyTask.process(raw, life);
  }

  /** The error handling of one phase of a record's life, as a retry operator. */
  handle<T>(raw: RawRecord): MonoTypeOperatorFunction<T> {
    return handleErrors<T>({
      record: raw,
      handlerFor: this.deps.handlerFor,
      sendToDLQ: (topic, ec) => this.sendToDLQ(topic, ec),
      scheduler: this.deps.scheduler,
      logger: this.deps.logger,
    });
  }

  /** A record's life ended: done (its offset may be committed) or not. */
  ended(life: RecordLife, done: boolean): void {
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

  /** A record failed for good after its concatMap had moved on. */
  fatal(error: Error): void {
    this.deps.onFatal(error);
  }

  /**
   * Completes when every output is acknowledged; otherwise errors with the first refusal.
   * Each resubscription (the handler's retry) sends the refused outputs again.
   */
  acknowledged(outputs: readonly Output[]): Observable<never> {
    let pending = outputs;
    let attempts = 0;
    return defer(() => {
      attempts += 1;
      if (attempts > 1) {
        pending = pending.map((o) => ({ ...o, ack: this.send(o.record) }));
      }
      if (pending.length === 0) return EMPTY;
      return from(Promise.allSettled(pending.map((o) => o.ack))).pipe(
        mergeMap((results) => {
          const refusals = results.flatMap((r, i) => (r.status === 'rejected' ? [{ r, i }] : []));
          if (refusals.length === 0) return EMPTY;
          pending = refusals.map(({ i }) => pending[i]!);
          const first = pending[0]!;
          const reason = (refusals[0]!.r as PromiseRejectedResult).reason as unknown;
          return throwError(() => productionFailure(reason, first));
        }),
      );
    });
  }

  /**
   * Hands a record to the producer. The promise's refusal is the client's; whoever awaits
   * it turns it into a ProductionError ({@link productionFailure}).
   */
  send(record: ProducerRecord): Promise<unknown> {
    try {
      return this.deps.producer.send(record);
    } catch (cause) {
      return Promise.reject(cause as Error);
    }
  }

  private sendToDLQ(topic: string, ec: ErrorContext): Promise<unknown> {
    this.deps.logger.warn('sending record to dead-letter topic', {
      dlq: topic,
      topic: ec.record.topic,
      partition: ec.record.partition,
      offset: ec.record.offset,
      phase: ec.phase,
      node: ec.nodeName,
    });
    return this.deps.producer.send(dlqRecord(topic, ec, this.deps.now()));
  }
}

/** A refused output as a ProductionError naming its topic and sink node. */
const productionFailure = (cause: unknown, output: Output): ProductionError =>
  new ProductionError({
    topic: output.record.topic,
    nodeName: output.nodeName,
    // The client may already say it was a production failure; keep its cause, add the node.
    cause: cause instanceof ProductionError ? cause.cause : cause,
  });

/**
 * One record's life in its task: processing, then the acknowledgements of its outputs.
 * While every callback returns a plain value and every output is acknowledged it is a few
 * plain calls and one promise callback per output; the error handler's retry operator is
 * put around a phase only when that phase failed.
 */
class RecordLife implements RecordSink, Unsubscribable {
  ended = false;
  /** Neighbours in the task's list of running lives. */
  prev: RecordLife | undefined;
  next: RecordLife | undefined;
  /** Processing is done and the concatMap has moved on; the outputs' acks may be pending. */
  private released = false;
  /** Made with the first output: a filtered-out record has none. */
  private outputs: Output[] | undefined;
  private awaiting = 0;
  private refused = false;
  private running: Subscription | undefined;
  private phases = 0;
  private onAck: (() => void) | undefined;
  private onRefusal: (() => void) | undefined;

  constructor(
    private readonly task: Task,
    readonly raw: RawRecord,
    /** The concatMap's inner subscriber, until the record is released. */
    private subscriber: Subscriber<never> | undefined,
  ) {}

  start(): void {
    let later;
    try {
      later = this.task.push(this.raw, this);
    } catch (error) {
      this.processingFailed(asError(error));
      return;
    }
    if (later === undefined) this.processingDone();
    else this.follow(later, (error) => this.processingFailed(error));
  }

  /** The topology's sink: the output goes to the producer now; its ack is counted. */
  send(record: ProducerRecord, nodeName: string): void {
    const ack = this.task.send(record);
    (this.outputs ??= []).push({ record, nodeName, ack });
    this.awaiting += 1;
    this.onAck ??= () => this.acked(false);
    this.onRefusal ??= () => this.acked(true);
    void ack.then(this.onAck, this.onRefusal);
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Teardown of the concatMap's subscription: abandons the record unless it was released. */
  unsubscribe(): void {
    if (!this.released) this.abandon();
  }

  abandon(): void {
    if (this.ended) return;
    this.ended = true;
    this.running?.unsubscribe();
    this.task.ended(this, false);
  }

  /** Subscribes the next phase; `running` is the latest phase still under way. */
  private follow(phase: Observable<never>, failed: (error: Error) => void): void {
    const id = ++this.phases;
    const subscription = phase.subscribe({
      error: (error: unknown) => failed(asError(error)),
      complete: () => (this.released ? this.finish() : this.processingDone()),
    });
    // A phase that ended inside subscribe() may already have started the next one.
    if (id === this.phases && !subscription.closed) this.running = subscription;
  }

  /** Processing failed: the handler's retry operator re-runs it from the source. */
  private processingFailed(first: Error): void {
    // The first attempt already ran; the retry operator sees its error, then re-runs.
    let unreported: Error | undefined = first;
    const attempts = defer(() => {
      const error = unreported;
      unreported = undefined;
      return error === undefined ? this.task.process(this.raw, this) : throwError(() => error);
    });
    this.follow(attempts.pipe(this.task.handle<never>(this.raw)), (error) => this.fail(error));
  }

  private processingDone(): void {
    if (this.ended) return;
    this.running = undefined;
    this.released = true;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    subscriber?.complete();
    if (this.awaiting === 0) this.acknowledged();
  }

  private acked(refused: boolean): void {
    this.awaiting -= 1;
    if (refused) this.refused = true;
    if (this.awaiting === 0 && this.released) this.acknowledged();
  }

  /** Every output settled: done, or the refused ones go through the handler's retry operator. */
  private acknowledged(): void {
    if (this.ended) return;
    if (!this.refused) {
      this.finish();
      return;
    }
    const resend = this.task.acknowledged(this.outputs!);
    this.follow(resend.pipe(this.task.handle<never>(this.raw)), (error) => this.fail(error));
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.task.ended(this, true);
  }

  private fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.task.ended(this, false);
    if (this.released) this.task.fatal(error);
    else this.subscriber?.error(error);
  }
}
