import { isUtf8 } from 'node:buffer';
import {
  type Attributes,
  type Context,
  context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Action } from '../errorhandler/action';
import type { ErrorContext } from '../errorhandler/error-context';
import type { ProducerRecord } from '../kafka/client';
import type { RawRecord } from '../record/stream-record';
import type { NodeSpan } from '../topology/node-span';
import { errorType } from './error-type';
import { secondsSince } from './seconds-since';
import { EVENT } from './event-names';
import { ATTR, KAFKA, OPERATION, OPERATION_TYPE } from './semconv';
import type { TaskTelemetry } from './telemetry';
import { headerGetter, headerSetter, TRACEPARENT } from './trace-headers';

/** How a record's life ended, as its span and metrics tell it. */
export type RecordOutcome = 'done' | 'failed' | 'abandoned';

/** What became of one output: call with the refusal, or undefined when acknowledged. */
export type OutputSettled = (refusal?: unknown) => void;

const sameBytes = (a: Buffer | undefined, b: Buffer | undefined): boolean =>
  a !== undefined && b !== undefined && a.equals(b);

/**
 * One record's telemetry: its `process <topic>` span (CONSUMER), a child of the producer's
 * span found in its `traceparent` header and linked to it; the `send <topic>` span
 * (PRODUCER) of each output, whose context goes into the output's headers; the failures,
 * error-handler actions and retries as span events and counters; and its processing time.
 * Internal: a {@link TaskTelemetry} makes one per record when telemetry is on.
 *
 * @example
 * const traced = taskTelemetry.begin(raw);
 * traced.run(() => topology.push(raw, sink));
 * traced.end('done');
 */
export class RecordTrace {
  private readonly span: Span | undefined;
  private readonly context: Context;
  private readonly started = performance.now();
  private ended = false;

  constructor(
    private readonly task: TaskTelemetry,
    private readonly raw: RawRecord,
  ) {
    const { tracer, propagator } = task.telemetry;
    if (tracer === undefined) {
      this.span = undefined;
      this.context = ROOT_CONTEXT;
      return;
    }
    const creation = propagator.extract(ROOT_CONTEXT, raw.headers, headerGetter);
    const producer = trace.getSpanContext(creation);
    const links: Link[] = producer !== undefined ? [{ context: producer }] : [];
    this.span = tracer.startSpan(
      `${OPERATION.process} ${raw.topic}`,
      { kind: SpanKind.CONSUMER, attributes: this.spanAttributes(), links },
      producer !== undefined ? creation : ROOT_CONTEXT,
    );
    this.context = trace.setSpan(creation, this.span);
  }

  /** Runs `fn` with the record's span active, so the callbacks' own spans nest under it. */
  run<T>(fn: () => T): T {
    return this.span === undefined ? fn() : context.with(this.context, fn);
  }

  /**
   * An output about to be sent: its `send` span starts, and the record that goes to the
   * producer carries that span's context in `traceparent` (replacing the one it inherited
   * from the input; one the topology set itself is kept).
   */
  output(record: ProducerRecord): { record: ProducerRecord; settled: OutputSettled } {
    const span = this.sendSpan(record.topic);
    let sent = record;
    if (span !== undefined) {
      const inherited = record.headers?.[TRACEPARENT];
      if (inherited === undefined || sameBytes(inherited, this.raw.headers[TRACEPARENT])) {
        const headers: Record<string, Buffer> = {};
        for (const [key, value] of Object.entries(record.headers ?? {})) {
          if (value !== undefined) headers[key] = value;
        }
        this.task.telemetry.propagator.inject(
          trace.setSpan(this.context, span),
          headers,
          headerSetter,
        );
        sent = { ...record, headers };
      }
    }
    return { record: sent, settled: this.settleSend(span, record.topic, false) };
  }

  /** Whether the record's nodes get spans of their own (`telemetry.nodeSpans`). */
  get spansNodes(): boolean {
    return this.task.telemetry.nodeSpans;
  }

  /**
   * The INTERNAL span of one node's work on the record, under the span current when the node
   * starts (the record's, or its parent node's); undefined unless node spans are asked for.
   */
  nodeSpan(nodeName: string, kind: string): NodeSpan | undefined {
    const { tracer, nodeSpans } = this.task.telemetry;
    if (!nodeSpans || tracer === undefined) return undefined;
    const parent = context.active();
    const span = tracer.startSpan(
      nodeName,
      { kind: SpanKind.INTERNAL, attributes: { [ATTR.node]: nodeName, [ATTR.nodeKind]: kind } },
      trace.getSpan(parent) === undefined ? this.context : parent,
    );
    const current = trace.setSpan(parent, span);
    return {
      run: (fn) => context.with(current, fn),
      end: (error) => {
        if (error !== undefined) {
          span.setAttribute(ATTR.errorType, errorType(error));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: String((error as Error)?.message),
          });
        }
        span.end();
      },
    };
  }

  /** A dead-letter write: a `send` span to the DLQ topic; the copy keeps the input's headers. */
  deadLetter(topic: string): OutputSettled {
    return this.settleSend(this.sendSpan(topic), topic, true);
  }

  /** A failure was shown to the error handler. */
  failed(ec: ErrorContext): void {
    this.task.telemetry.instruments?.errors.add(1, {
      ...this.task.metricAttributes,
      [ATTR.errorPhase]: ec.phase,
      [ATTR.errorType]: errorType(ec.error),
    });
    this.span?.addEvent(EVENT.failure, {
      'exception.type': ec.error.name,
      'exception.message': ec.error.message,
      [ATTR.errorPhase]: ec.phase,
      [ATTR.attempt]: ec.attempt,
      ...(ec.nodeName !== undefined ? { [ATTR.node]: ec.nodeName } : {}),
    });
  }

  /** The error handler chose `action` for the failure. */
  decided(action: Action, ec: ErrorContext): void {
    const instruments = this.task.telemetry.instruments;
    instruments?.actions.add(1, { ...this.task.metricAttributes, [ATTR.action]: action._tag });
    this.span?.addEvent(EVENT.action, { [ATTR.action]: action._tag, [ATTR.attempt]: ec.attempt });
    if (action._tag === 'Retry') {
      instruments?.retries.add(1, this.task.metricAttributes);
      this.span?.addEvent(EVENT.retry, { [ATTR.attempt]: ec.attempt + 1 });
    }
  }

  /** The record's life ended: its span ends, its processing time is recorded. */
  end(outcome: RecordOutcome, error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    const type = outcome === 'failed' ? errorType(error) : undefined;
    if (outcome !== 'abandoned') {
      this.task.telemetry.instruments?.processDuration.record(
        secondsSince(this.started),
        type === undefined
          ? this.task.processAttributes
          : { ...this.task.processAttributes, [ATTR.errorType]: type },
      );
    }
    const span = this.span;
    if (span === undefined) return;
    if (type !== undefined) {
      span.setAttribute(ATTR.errorType, type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? 'failed' });
    } else if (outcome === 'abandoned') {
      span.addEvent(EVENT.abandoned);
    }
    span.end();
  }

  private spanAttributes(): Attributes {
    const { raw } = this;
    const attributes: Attributes = {
      ...this.task.attributes,
      [ATTR.kafkaOffset]: Number(raw.offset),
    };
    if (raw.key !== null && raw.key.length <= 256 && isUtf8(raw.key)) {
      attributes[ATTR.kafkaKey] = raw.key.toString('utf8');
    }
    if (raw.value === null) attributes[ATTR.kafkaTombstone] = true;
    return attributes;
  }

  private sendSpan(topic: string): Span | undefined {
    return this.task.telemetry.tracer?.startSpan(
      `${OPERATION.send} ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          [ATTR.system]: KAFKA,
          [ATTR.operationName]: OPERATION.send,
          [ATTR.operationType]: OPERATION_TYPE.send,
          [ATTR.destinationName]: topic,
        },
      },
      this.context,
    );
  }

  private settleSend(span: Span | undefined, topic: string, deadLetter: boolean): OutputSettled {
    const started = performance.now();
    const instruments = this.task.telemetry.instruments;
    return (refusal?: unknown) => {
      const sent = this.task.sendAttributes(topic);
      let { attributes, duration } = sent;
      if (refusal !== undefined) {
        const type = errorType(refusal);
        attributes = { ...attributes, [ATTR.errorType]: type };
        duration = { ...duration, [ATTR.errorType]: type };
        span?.setAttribute(ATTR.errorType, type);
        span?.setStatus({
          code: SpanStatusCode.ERROR,
          message: String((refusal as Error)?.message),
        });
      }
      instruments?.sent.add(1, attributes);
      instruments?.operationDuration.record(secondsSince(started), duration);
      if (deadLetter && refusal === undefined) {
        instruments?.dlqWrites.add(1, this.task.dlqAttributes(topic));
      }
      span?.end();
    };
  }
}
