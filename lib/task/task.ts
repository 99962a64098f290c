import {
  concat,
  defer,
  EMPTY,
  filter,
  from,
  map,
  mergeMap,
  Observable,
  of,
  type SchedulerLike,
  startWith,
  Subject,
  type Subscription,
  take,
  throwError,
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

const PROCESSED = 'processed' as const;

/** An output handed to the producer for the record, with its acknowledgement. */
interface Output {
  readonly record: ProducerRecord;
  readonly nodeName?: string;
  readonly ack: Promise<unknown>;
}
const ignore = (): void => undefined;

/**
 * One input partition's share of the work: its own topology instance (fresh processors),
 * the offsets it has begun and finished, and each record's life from source to
 * acknowledged outputs.
 *
 * A record's life is one Observable — run the topology, hand the outputs to the producer,
 * wait for their acknowledgements — wrapped in the error handler's retry operator, so a
 * retry re-runs the record from its source whatever phase failed. The partition's
 * pipeline moves on to the next record once this one's outputs are handed over; the
 * acknowledgements finish in the background, and only then is the offset done.
 */
export class Task {
  readonly tracker = new OffsetTracker();
  private readonly lives = new Set<Subscription>();
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
    return this.lives.size;
  }

  /** Emits whenever a record starts or finishes. */
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
   * says fail before that.
   */
  run(raw: RawRecord): Observable<never> {
    return new Observable<never>((subscriber) => {
      let released = false;
      let ended = false;
      const release = (): void => {
        released = true;
        subscriber.complete();
      };
      const end = (): void => {
        ended = true;
        if (life !== undefined) this.lives.delete(life);
        this.changes.next();
      };
      // Declared before it is assigned: a record that finishes synchronously ends inside
      // subscribe(), before the assignment, and must see `undefined` rather than a TDZ error.
      // eslint-disable-next-line prefer-const
      let life: Subscription | undefined;
      life = this.life(raw).subscribe({
        next: release,
        error: (failure: unknown) => {
          const error = asError(failure);
          end();
          if (released) this.deps.onFatal(error);
          else subscriber.error(error);
        },
        complete: () => {
          this.tracker.done(raw.offset);
          end();
          if (!released) release();
        },
      });
      if (!ended) {
        this.lives.add(life);
        this.changes.next();
      }
      return () => {
        if (!released && life !== undefined) {
          life.unsubscribe();
          this.lives.delete(life);
        }
      };
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
    for (const life of this.lives) life.unsubscribe();
    this.lives.clear();
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
   * Processing (serde and callbacks) under the error handler's retry operator, then the
   * acknowledgements of every output any attempt handed over, under it again: a refused
   * output is sent again on `retry` — the topology is not re-run, since later records of
   * the partition have moved on — and `continue` or `sendToDLQ` settle the record.
   */
  private life(raw: RawRecord): Observable<typeof PROCESSED> {
    return defer(() => {
      const outputs: Output[] = [];
      const sink: RecordSink = {
        send: (record, nodeName) => {
          outputs.push({ record, nodeName, ack: this.send(record, nodeName) });
        },
      };
      const handle = <T>() =>
        handleErrors<T>({
          record: raw,
          handlerFor: this.deps.handlerFor,
          sendToDLQ: (topic, ec) => this.sendToDLQ(topic, ec),
          scheduler: this.deps.scheduler,
          logger: this.deps.logger,
        });
      return concat(
        defer(() => this.topologyTask.process(raw, sink)).pipe(handle<never>()),
        of(PROCESSED),
        this.acknowledged(outputs).pipe(handle<never>()),
      );
    });
  }

  /**
   * Completes when every output is acknowledged; otherwise errors with the first refusal.
   * Each resubscription (the handler's retry) sends the refused outputs again.
   */
  private acknowledged(outputs: readonly Output[]): Observable<never> {
    let pending = outputs;
    let attempts = 0;
    return defer(() => {
      attempts += 1;
      if (attempts > 1) {
        pending = pending.map((o) => ({ ...o, ack: this.send(o.record, o.nodeName) }));
      }
      if (pending.length === 0) return EMPTY;
      return from(Promise.allSettled(pending.map((o) => o.ack))).pipe(
        mergeMap((results) => {
          const refusals = results.flatMap((r, i) => (r.status === 'rejected' ? [{ r, i }] : []));
          if (refusals.length === 0) return EMPTY;
          pending = refusals.map(({ i }) => pending[i]!);
          return throwError(() => (refusals[0]!.r as PromiseRejectedResult).reason as unknown);
        }),
      );
    });
  }

  private send(record: ProducerRecord, nodeName?: string): Promise<unknown> {
    let sent: Promise<unknown>;
    try {
      sent = this.deps.producer.send(record);
    } catch (cause) {
      sent = Promise.reject(cause);
    }
    const ack = sent.catch((cause: unknown) => {
      // The client may already say it was a production failure; keep its cause, add the node.
      const reason = cause instanceof ProductionError ? cause.cause : cause;
      throw new ProductionError({ topic: record.topic, nodeName, cause: reason });
    });
    // Settled through allSettled later, or abandoned with the record: never unhandled.
    ack.catch(ignore);
    return ack;
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
