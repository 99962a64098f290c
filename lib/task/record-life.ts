import {
  defer,
  type MonoTypeOperatorFunction,
  type Observable,
  type Subscriber,
  type Subscription,
  throwError,
  type Unsubscribable,
} from 'rxjs';
import { asError } from '../errors/as-error';
import { describeLocation } from '../errors/record-location';
import type { ProducerRecord } from '../kafka/client';
import type { OutputSettled, RecordTrace } from '../otel/record-trace';
import type { RawRecord } from '../record/stream-record';
import type { Pushed } from '../topology/compile-node';
import type { NodeSpan } from '../topology/node-span';
import type { RecordSink } from '../topology/topology-task';
import type { Output, RecordCollector } from './record-collector';
import type { RecordCounters } from './record-counters';

/** What a record's life needs from its task. */
export interface LifeHost {
  /** Sends the record's outputs the first time. */
  readonly collector: RecordCollector;
  /** Sends refused outputs again (a production retry). */
  readonly resender: RecordCollector;
  /** The run's counts: this life counts its acknowledged outputs and its processing time. */
  readonly counters?: RecordCounters | undefined;
  /** Runs the task's topology for the record (its sink is `life`); throws when it fails now. */
  push(raw: RawRecord, life: RecordSink): Pushed;
  /** The error handling of one phase of the record's life, as a retry operator. */
  handle(life: RecordLife): MonoTypeOperatorFunction<never>;
  /** The life ended: done (its offset may be committed) or not. */
  ended(life: RecordLife, done: boolean): void;
  /** The record failed for good after the partition's concatMap had moved on. */
  fatal(error: Error): void;
}

/**
 * One record's life in its task: processing, then the acknowledgements of its outputs.
 * While every callback returns a plain value and every output is acknowledged it is a few
 * plain calls and one callback per output; the error handler's retry operator is put
 * around a phase only when that phase failed: processing is re-run from the source,
 * refused outputs are sent again.
 */
export class RecordLife implements RecordSink, Unsubscribable {
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
  /** Made when a callback first asks for the signal: most records never do. */
  private controller: AbortController | undefined;
  private abandoned = false;
  /** When processing began, on the counters' clock (when there are counters). */
  private startedAt = 0;

  constructor(
    private readonly host: LifeHost,
    readonly raw: RawRecord,
    /** The concatMap's inner subscriber, until the record is released. */
    private subscriber: Subscriber<never> | undefined,
    /** The record's span and measures, when telemetry is on. */
    readonly trace?: RecordTrace | undefined,
  ) {
    if (trace?.spansNodes === true) {
      this.nodeSpan = (nodeName, kind) => trace.nodeSpan(nodeName, kind);
    }
  }

  /** A node's span for this record: set only when telemetry asks for node spans. */
  readonly nodeSpan: ((nodeName: string, kind: string) => NodeSpan | undefined) | undefined;

  start(): void {
    if (this.host.counters !== undefined) this.startedAt = this.host.counters.now();
    let later;
    try {
      later = this.push();
    } catch (error) {
      this.processingFailed(asError(error));
      return;
    }
    if (later === undefined) this.processingDone();
    else this.follow(later, (error) => this.processingFailed(error));
  }

  /** The topology's sink: the output goes to the producer now; its ack is counted. */
  send(output: ProducerRecord, nodeName: string): void {
    let record = output;
    let settled: OutputSettled | undefined;
    if (this.trace !== undefined) ({ record, settled } = this.trace.output(output));
    const ack = this.host.collector.send(record, nodeName);
    if (settled !== undefined) ack.then(() => settled(), settled);
    (this.outputs ??= []).push({ record, nodeName, ack });
    this.awaiting += 1;
    this.onAck ??= () => this.acked(false);
    this.onRefusal ??= () => this.acked(true);
    ack.then(this.onAck, this.onRefusal);
  }

  /** The record's cancellation, as its callbacks see it: aborts when the record is abandoned. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abandoned) this.controller.abort(this.abandonment());
    }
    return this.controller.signal;
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
    this.abandoned = true;
    this.trace?.end('abandoned');
    this.running?.unsubscribe();
    this.controller?.abort(this.abandonment());
    this.host.ended(this, false);
  }

  /**
   * Ends the life unfinished without stopping the partition: a drain cut the record's wait
   * short. The partition's pipeline moves on; the record's offset stays uncommitted.
   */
  giveUp(): void {
    if (this.ended) return;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.abandon();
    subscriber?.complete();
  }

  private abandonment(): DOMException {
    return new DOMException(
      `the record at ${describeLocation(this.raw)} was abandoned: it is not committed and will be read again`,
      'AbortError',
    );
  }

  /** Runs the topology for the record, inside its span when it is traced. */
  private push(): ReturnType<LifeHost['push']> {
    return this.trace === undefined
      ? this.host.push(this.raw, this)
      : this.trace.run(() => this.host.push(this.raw, this));
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
      if (error !== undefined) return throwError(() => error);
      return defer(() => this.push() ?? []);
    });
    this.follow(attempts.pipe(this.host.handle(this)), (error) => this.fail(error));
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
    else this.host.counters?.acknowledged();
    if (this.awaiting === 0 && this.released) this.acknowledged();
  }

  /** Every output settled: done, or the refused ones go through the handler's retry operator. */
  private acknowledged(): void {
    if (this.ended) return;
    if (!this.refused) {
      this.finish();
      return;
    }
    const resend = this.host.resender.acknowledged(this.outputs!);
    this.follow(resend.pipe(this.host.handle(this)), (error) => this.fail(error));
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.trace?.end('done');
    this.host.counters?.finished(this.startedAt);
    this.host.ended(this, true);
  }

  private fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.trace?.end('failed', error);
    this.host.ended(this, false);
    if (this.released) this.host.fatal(error);
    else this.subscriber?.error(error);
  }
}
