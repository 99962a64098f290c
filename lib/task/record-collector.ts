import { defer, EMPTY, mergeMap, Observable, throwError } from 'rxjs';
import { dlqRecord } from '../errorhandler/dlq-record';
import type { ErrorContext } from '../errorhandler/error-context';
import { ProductionError } from '../errors/production-error';
import type { ProducerRecord } from '../kafka/client';
import type { Logger } from '../logger/logger';

/**
 * Hands one output to the producer; `from` names the sink node that wrote it, or
 * {@link DEAD_LETTER} for a dead-letter copy. The runners send through their producer; the
 * marble driver through a client that acknowledges in virtual time.
 *
 * @example
 * const send: SendOutput = (record) => producer.send(record);
 */
export type SendOutput = (record: ProducerRecord, from: string) => PromiseLike<unknown>;

/** What `from` says for a record the error handler sent to a dead-letter topic. */
export const DEAD_LETTER = 'dead-letter';

/**
 * An output handed to the producer for a record: what was sent, by which node, and the
 * send's acknowledgement.
 */
export interface Output {
  readonly record: ProducerRecord;
  readonly nodeName: string;
  readonly ack: PromiseLike<unknown>;
}

/** How one acknowledgement settled: `undefined` when acknowledged, else the refusal. */
type Settled = { readonly refusal: unknown } | undefined;

/**
 * Settles like `Promise.allSettled`, through the acknowledgements' own `then`: when they
 * settle at once (the marble driver's, in virtual time) this does too, where
 * `Promise.allSettled` would wait for a microtask.
 */
const allSettled = (acks: readonly PromiseLike<unknown>[]): Observable<readonly Settled[]> =>
  new Observable((subscriber) => {
    const results: Settled[] = [];
    let waiting = acks.length;
    const settle = (i: number, result: Settled): void => {
      results[i] = result;
      if (--waiting > 0) return;
      subscriber.next(results);
      subscriber.complete();
    };
    acks.forEach((ack, i) => {
      ack.then(
        () => settle(i, undefined),
        (refusal: unknown) => settle(i, { refusal }),
      );
    });
  });

/**
 * The production side of a task (after Kafka Streams' `RecordCollector`): sends outputs
 * and dead-letter copies, and re-sends refused outputs when the error handler retries.
 * A refusal reaches the error handler as a ProductionError naming the topic and sink node.
 */
export class RecordCollector {
  constructor(
    private readonly sendOutput: SendOutput,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Hands a record to the producer; a send that throws becomes a refusal. */
  send(record: ProducerRecord, nodeName: string): PromiseLike<unknown> {
    try {
      return this.sendOutput(record, nodeName);
    } catch (cause) {
      return Promise.reject(cause as Error);
    }
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
        pending = pending.map((o) => ({ ...o, ack: this.send(o.record, o.nodeName) }));
      }
      if (pending.length === 0) return EMPTY;
      return allSettled(pending.map((o) => o.ack)).pipe(
        mergeMap((results) => {
          const refused = pending.filter((_o, i) => results[i] !== undefined);
          const first = results.find((r) => r !== undefined);
          if (first === undefined) return EMPTY;
          pending = refused;
          return throwError(() => productionFailure(first.refusal, refused[0]!));
        }),
      );
    });
  }

  /** Writes the failed input's dead-letter copy; settles when it is acknowledged. */
  sendToDLQ(topic: string, ec: ErrorContext): PromiseLike<unknown> {
    this.logger.warn('sending record to dead-letter topic', {
      dlq: topic,
      topic: ec.record.topic,
      partition: ec.record.partition,
      offset: ec.record.offset,
      phase: ec.phase,
      node: ec.nodeName,
    });
    return this.send(dlqRecord(topic, ec, this.now()), DEAD_LETTER);
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
