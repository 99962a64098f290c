import {
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  propagation,
  ProxyTracerProvider,
  type Span,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  trace,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { CommitOffset } from '../kafka/client';
import type { RawRecord } from '../record/stream-record';
import type { TaskInfo } from '../topology/topology-task';
import { errorType } from './error-type';
import { secondsSince } from './seconds-since';
import { DURATION_BUCKETS, METRIC } from './metric-names';
import { RecordTrace } from './record-trace';
import { ATTR, KAFKA, OPERATION, OPERATION_TYPE, SCHEMA_URL } from './semconv';
import type { TelemetryOptions } from './telemetry-options';

/** The instrumentation scope's name and version (kept equal to package.json's by a spec). */
export const INSTRUMENTATION = { name: 'rx-kstreams', version: '0.1.0' } as const;

/** The instruments a run records into, made once per run from its meter. */
export interface Instruments {
  readonly consumed: Counter;
  readonly sent: Counter;
  readonly operationDuration: Histogram;
  readonly processDuration: Histogram;
  readonly errors: Counter;
  readonly actions: Counter;
  readonly retries: Counter;
  readonly dlqWrites: Counter;
}

/** The attributes of sends to one topic: the counter's, and the duration histogram's. */
export interface SendAttributes {
  readonly attributes: Attributes;
  readonly duration: Attributes;
}

/** What the run's gauges read, each time the meter collects. */
export interface GaugeSource {
  readonly tasks: number;
  readonly pending: number;
  readonly paused: number;
  readonly recreations: number;
  readonly lags: readonly {
    readonly topic: string;
    readonly partition: number;
    readonly lag: number;
  }[];
}

/** The API's no-op tracer provider: what a proxy with no SDK behind it delegates to. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();

const isNoopTracing = (provider: TracerProvider): boolean =>
  (provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider) ===
  NOOP_TRACER_PROVIDER;

const isNoopMetering = (provider: MeterProvider): boolean =>
  provider.constructor.name === 'NoopMeterProvider';

const makeInstruments = (meter: Meter): Instruments => {
  const duration = (m: { name: string; unit: string; description: string }): Histogram =>
    meter.createHistogram(m.name, {
      unit: m.unit,
      description: m.description,
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
    });
  const counter = (m: { name: string; unit: string; description: string }): Counter =>
    meter.createCounter(m.name, { unit: m.unit, description: m.description });
  return {
    consumed: counter(METRIC.consumed),
    sent: counter(METRIC.sent),
    operationDuration: duration(METRIC.operationDuration),
    processDuration: duration(METRIC.processDuration),
    errors: counter(METRIC.errors),
    actions: counter(METRIC.actions),
    retries: counter(METRIC.retries),
    dlqWrites: counter(METRIC.dlqWrites),
  };
};

/**
 * A run's OpenTelemetry: its tracer and instruments (each absent when its provider is a
 * no-op, so an application without an SDK pays nothing per record), the spans of polls and
 * commits, and the per-task telemetry that traces each record. Internal.
 *
 * @example
 * const telemetry = Telemetry.resolve(options.telemetry, client.groupId);
 * const records = await telemetry.poll(['orders'], () => consumer.poll(pollOptions));
 */
export class Telemetry {
  /** Undefined when tracing is off (no SDK, or a no-op provider). */
  readonly tracer: Tracer | undefined;
  /** Undefined when metrics are off. */
  readonly instruments: Instruments | undefined;
  readonly propagator: TextMapPropagator;
  /** Whether each node a record goes through gets a span of its own. */
  readonly nodeSpans: boolean;
  private readonly meter: Meter | undefined;
  private readonly base: Attributes;
  private removeGauges: (() => void) | undefined;

  constructor(
    options: TelemetryOptions,
    readonly groupId: string,
  ) {
    const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
    const meterProvider = options.meterProvider ?? metrics.getMeterProvider();
    this.propagator = options.propagator ?? propagation;
    const scope = { schemaUrl: SCHEMA_URL };
    this.tracer = isNoopTracing(tracerProvider)
      ? undefined
      : tracerProvider.getTracer(INSTRUMENTATION.name, INSTRUMENTATION.version, scope);
    this.meter = isNoopMetering(meterProvider)
      ? undefined
      : meterProvider.getMeter(INSTRUMENTATION.name, INSTRUMENTATION.version, scope);
    this.instruments = this.meter === undefined ? undefined : makeInstruments(this.meter);
    this.nodeSpans = this.tracer !== undefined && options.nodeSpans === true;
    this.base = { [ATTR.system]: KAFKA, [ATTR.consumerGroup]: groupId };
  }

  /** Resolves the providers of options checked when the runner was built. */
  static resolve(options: TelemetryOptions | undefined, groupId: string): Telemetry {
    return new Telemetry(options ?? {}, groupId);
  }

  /** Whether anything is recorded at all. */
  get enabled(): boolean {
    return this.tracer !== undefined || this.instruments !== undefined;
  }

  /** What a task's records are traced and measured with; undefined when telemetry is off. */
  forTask(info: TaskInfo): TaskTelemetry | undefined {
    return this.enabled ? new TaskTelemetry(this, info) : undefined;
  }

  /**
   * A `poll` span (CLIENT, receive) for a poll that returned records (an empty one gets
   * none), its duration, and the consumed-messages counter.
   */
  async poll<T extends readonly RawRecord[]>(
    topics: readonly string[],
    run: () => Promise<T>,
  ): Promise<T> {
    if (!this.enabled) return run();
    const attributes: Attributes = {
      ...this.base,
      [ATTR.operationName]: OPERATION.poll,
      [ATTR.operationType]: OPERATION_TYPE.receive,
      ...(topics.length === 1 ? { [ATTR.destinationName]: topics[0] } : {}),
    };
    return this.operation(
      topics.length === 1 ? `${OPERATION.poll} ${topics[0]}` : OPERATION.poll,
      attributes,
      run,
      (records) => {
        this.countConsumed(records);
        return { spanned: records.length > 0, extra: { [ATTR.batchCount]: records.length } };
      },
    );
  }

  /** A `commit` span (CLIENT, settle) around one commit. */
  async commit(offsets: readonly CommitOffset[], run: () => Promise<void>): Promise<void> {
    if (!this.enabled) return run();
    const topics = [...new Set(offsets.map((o) => o.topic))];
    const attributes: Attributes = {
      ...this.base,
      [ATTR.operationName]: OPERATION.commit,
      [ATTR.operationType]: OPERATION_TYPE.settle,
      ...(topics.length === 1 ? { [ATTR.destinationName]: topics[0] } : {}),
      ...(offsets.length === 1 ? { [ATTR.partitionId]: String(offsets[0]!.partition) } : {}),
    };
    const name = topics.length === 1 ? `${OPERATION.commit} ${topics[0]}` : OPERATION.commit;
    return this.operation(name, attributes, run);
  }

  /**
   * Registers the run's gauges (tasks, pending records, paused partitions, lag per
   * partition, consumer recreations), read from `source` at each collection, until
   * {@link close}.
   */
  observe(source: () => GaugeSource): void {
    const meter = this.meter;
    if (meter === undefined) return;
    // Up-down counters, not gauges: these add up across partitions and instances.
    const gauge = (m: { name: string; unit: string; description: string }) =>
      meter.createObservableUpDownCounter(m.name, { unit: m.unit, description: m.description });
    const tasks = gauge(METRIC.tasksActive);
    const pending = gauge(METRIC.recordsPending);
    const paused = gauge(METRIC.partitionsPaused);
    const lag = gauge(METRIC.lag);
    const recreations = meter.createObservableCounter(METRIC.recreations.name, {
      unit: METRIC.recreations.unit,
      description: METRIC.recreations.description,
    });
    const callback = (result: {
      observe(instrument: unknown, value: number, attributes?: Attributes): void;
    }): void => {
      const now = source();
      result.observe(tasks, now.tasks, this.base);
      result.observe(pending, now.pending, this.base);
      result.observe(paused, now.paused, this.base);
      result.observe(recreations, now.recreations, this.base);
      for (const l of now.lags) {
        result.observe(lag, l.lag, {
          ...this.base,
          [ATTR.destinationName]: l.topic,
          [ATTR.partitionId]: String(l.partition),
        });
      }
    };
    const observables = [tasks, pending, paused, lag, recreations];
    meter.addBatchObservableCallback(callback as never, observables);
    this.removeGauges = () => meter.removeBatchObservableCallback(callback as never, observables);
  }

  /** Ends what the run registered (its gauges). */
  close(): void {
    this.removeGauges?.();
    this.removeGauges = undefined;
  }

  /** The attributes every span and metric of the run carries. */
  get baseAttributes(): Attributes {
    return this.base;
  }

  private countConsumed(records: readonly RawRecord[]): void {
    const consumed = this.instruments?.consumed;
    if (consumed === undefined || records.length === 0) return;
    const counts = new Map<string, { topic: string; partition: number; n: number }>();
    for (const r of records) {
      const key = `${r.topic}:${r.partition}`;
      const c = counts.get(key);
      if (c === undefined) counts.set(key, { topic: r.topic, partition: r.partition, n: 1 });
      else c.n += 1;
    }
    for (const c of counts.values()) {
      consumed.add(c.n, {
        ...this.base,
        [ATTR.operationName]: OPERATION.poll,
        [ATTR.destinationName]: c.topic,
        [ATTR.partitionId]: String(c.partition),
      });
    }
  }

  /** One client operation: its span, its duration, its error. */
  private async operation<T>(
    name: string,
    attributes: Attributes,
    run: () => Promise<T>,
    after?: (result: T) => { readonly spanned: boolean; readonly extra?: Attributes },
  ): Promise<T> {
    // The span is made once the operation is over, with its start time: an empty poll, which
    // an idle consumer makes every pollTimeoutMs, gets none. It is a root: the run's polls and
    // commits belong to no caller's trace.
    const startTime = Date.now();
    const started = performance.now();
    const durationAttributes: Attributes = {
      [ATTR.system]: KAFKA,
      [ATTR.operationName]: attributes[ATTR.operationName],
      [ATTR.operationType]: attributes[ATTR.operationType],
      [ATTR.consumerGroup]: this.groupId,
      ...(attributes[ATTR.destinationName] === undefined
        ? {}
        : { [ATTR.destinationName]: attributes[ATTR.destinationName] }),
    };
    const span = (extra: Attributes = {}): Span | undefined =>
      this.tracer?.startSpan(
        name,
        { kind: SpanKind.CLIENT, attributes: { ...attributes, ...extra }, startTime },
        ROOT_CONTEXT,
      );
    let result: T;
    try {
      result = await run();
    } catch (error) {
      const type = errorType(error);
      const failed = span({ [ATTR.errorType]: type });
      failed?.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error)?.message) });
      failed?.end();
      this.instruments?.operationDuration.record(secondsSince(started), {
        ...durationAttributes,
        [ATTR.errorType]: type,
      });
      throw error;
    }
    const { spanned, extra } = after?.(result) ?? { spanned: true };
    if (spanned) span(extra)?.end();
    this.instruments?.operationDuration.record(secondsSince(started), durationAttributes);
    return result;
  }
}

/**
 * One task's telemetry: the attributes of its partition, computed once, and a
 * {@link RecordTrace} per record.
 *
 * @example
 * const traced = taskTelemetry.begin(raw);
 */
export class TaskTelemetry {
  /** The attributes of every record span of the task. */
  readonly attributes: Attributes;
  /** The attributes of its metrics (no offsets or keys: low cardinality). */
  readonly metricAttributes: Attributes;
  /** The attributes of `messaging.process.duration` for its records. */
  readonly processAttributes: Attributes;
  /** The attributes of sends, by topic: made once per topic, not per output. */
  private readonly sends = new Map<string, SendAttributes>();

  constructor(
    readonly telemetry: Telemetry,
    readonly info: TaskInfo,
  ) {
    this.metricAttributes = {
      ...telemetry.baseAttributes,
      [ATTR.destinationName]: info.topic,
      [ATTR.partitionId]: String(info.partition),
    };
    this.attributes = {
      ...this.metricAttributes,
      [ATTR.operationName]: OPERATION.process,
      [ATTR.operationType]: OPERATION_TYPE.process,
    };
    this.processAttributes = { ...this.metricAttributes, [ATTR.operationName]: OPERATION.process };
  }

  /** The attributes of a dead-letter write to `topic`: the DLQ topic, and the input's partition. */
  dlqAttributes(topic: string): Attributes {
    return {
      ...this.metricAttributes,
      [ATTR.destinationName]: topic,
      [ATTR.sourceTopic]: this.info.topic,
    };
  }

  /** The attributes of a send to `topic`: for the sent-messages counter and its duration. */
  sendAttributes(topic: string): SendAttributes {
    let found = this.sends.get(topic);
    if (found === undefined) {
      const attributes = {
        [ATTR.system]: KAFKA,
        [ATTR.operationName]: OPERATION.send,
        [ATTR.destinationName]: topic,
      };
      found = {
        attributes,
        duration: { ...attributes, [ATTR.operationType]: OPERATION_TYPE.send },
      };
      this.sends.set(topic, found);
    }
    return found;
  }

  begin(raw: RawRecord): RecordTrace {
    return new RecordTrace(this, raw);
  }
}
