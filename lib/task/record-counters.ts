import type { HandlingObserver } from '../errorhandler/handle-errors';
import type { ErrorPhase } from '../errors/phase';
import { DEAD_LETTER, type SendOutput } from './record-collector';

/**
 * The records a run's tasks have seen, as `app.stats().records` shows them.
 *
 * @example
 * const { in: read, out, deadLettered, inPerSecond } = app.stats()!.records;
 * console.log(`${read} in, ${out} out (${deadLettered} to the DLQ), ${inPerSecond.toFixed(0)}/s`);
 */
export interface RecordStats {
  /** Records admitted to the tasks since the run started (a record read again counts again). */
  readonly in: number;
  /** Outputs the producer acknowledged since the run started, dead-letter copies aside. */
  readonly out: number;
  /** Dead-letter copies the producer acknowledged since the run started. */
  readonly deadLettered: number;
  /** Records admitted per second over the last ~10 s (over the run so far while it is younger). */
  readonly inPerSecond: number;
  /** Outputs acknowledged per second, over the same window as `inPerSecond`. */
  readonly outPerSecond: number;
}

/**
 * Failures shown to an error handler since the run started, by phase (every attempt counts:
 * a record retried twice before it succeeds is two).
 *
 * @example
 * const { serde, processing, production, unknown } = app.stats()!.errors;
 */
export type ErrorStats = Readonly<Record<ErrorPhase, number>>;

/**
 * How long the last records that finished took, in ms: from the start of processing (not the
 * wait in the buffer) to every output acknowledged, retries included.
 *
 * @example
 * const times = app.stats()?.processingMs;
 * if (times !== undefined) console.log(`p50 ${times.p50} ms, p99 ${times.p99} ms`);
 */
export interface ProcessingTimeStats {
  readonly p50: number;
  readonly p99: number;
  /** How many records the percentiles are taken over: the last that finished, up to 1024. */
  readonly samples: number;
}

/** Records whose processing times are kept for the percentiles. */
const RESERVOIR = 1024;
/** The rates are over at least this long once the run is. */
const WINDOW_MS = 10_000;
/** Samples of the counts are this far apart at least. */
const SAMPLE_EVERY_MS = 1000;
/** Samples held: enough to reach back a window when they are taken every second. */
const SAMPLES = Math.ceil(WINDOW_MS / SAMPLE_EVERY_MS) + 2;

const ignore = (): void => undefined;

/** The nearest-rank percentile of sorted values. */
const percentile = (sorted: Float64Array, p: number): number =>
  sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;

/**
 * What a run's tasks count of their records, for `app.stats()` — no OpenTelemetry needed:
 * one per run, shared by its tasks. The hot path is a few increments and two clock reads
 * per record, into counters and typed arrays made up front; the sorting and the arithmetic
 * wait for a snapshot, which is not hot.
 *
 * The rates come from samples of the counts (time, in, out) taken when a record finishes or
 * a snapshot is asked for, at most one a second, the last dozen kept: a rate is
 * the change since the newest sample at least 10 s old (since the run started while it is
 * younger), over the time between. Internal.
 *
 * @example
 * const counters = new RecordCounters();
 * counters.admitted();
 * const started = counters.now();
 * counters.acknowledged();
 * counters.finished(started);
 * counters.records(); // { in: 1, out: 1, deadLettered: 0, inPerSecond: …, outPerSecond: … }
 */
export class RecordCounters {
  private admittedCount = 0;
  private acknowledgedCount = 0;
  private deadLetteredCount = 0;
  private readonly failures: Record<ErrorPhase, number> = {
    serde: 0,
    processing: 0,
    production: 0,
    unknown: 0,
  };
  private readonly times = new Float64Array(RESERVOIR);
  /** Where the percentiles are sorted: a copy, so the ring keeps its order. */
  private readonly sorted = new Float64Array(RESERVOIR);
  private finishedCount = 0;
  private sortedAt = -1;
  private percentiles: ProcessingTimeStats | undefined;
  private readonly sampledAt = new Float64Array(SAMPLES);
  private readonly sampledIn = new Float64Array(SAMPLES);
  private readonly sampledOut = new Float64Array(SAMPLES);
  private newest = 0;
  private held = 1;

  /** @param now a monotonic clock in ms (tests give a virtual one). */
  constructor(readonly now: () => number = () => performance.now()) {
    this.sampledAt[0] = now();
  }

  /** A record entered a task's buffer. */
  admitted(): void {
    this.admittedCount += 1;
  }

  /** The producer acknowledged an output. */
  acknowledged(): void {
    this.acknowledgedCount += 1;
  }

  /** A record's outputs are all acknowledged; its processing began at `startedAt` (`now()`). */
  finished(startedAt: number): void {
    const now = this.now();
    this.times[this.finishedCount % RESERVOIR] = now - startedAt;
    this.finishedCount += 1;
    if (now - this.sampledAt[this.newest]! >= SAMPLE_EVERY_MS) this.sample(now);
  }

  /**
   * `send`, counting each acknowledgement as it comes: an output, or a dead-letter copy. For
   * sends off the hot path (outputs sent again, dead-letter copies): a first send is counted
   * by its record's life, which waits on the acknowledgement anyway.
   */
  counting(send: SendOutput): SendOutput {
    const output = (): void => this.acknowledged();
    const deadLetter = (): void => void (this.deadLetteredCount += 1);
    return (record, from) => {
      const ack = send(record, from);
      ack.then(from === DEAD_LETTER ? deadLetter : output, ignore);
      return ack;
    };
  }

  /** An error-handling observer that counts each failure by its phase, then tells `next`. */
  observing(next: HandlingObserver | undefined): HandlingObserver {
    return {
      failed: (ec) => {
        this.failures[ec.phase] += 1;
        next?.failed(ec);
      },
      decided: (action, ec) => next?.decided(action, ec),
    };
  }

  /** The totals and rates, as of now. */
  records(): RecordStats {
    const now = this.now();
    if (now - this.sampledAt[this.newest]! >= SAMPLE_EVERY_MS) this.sample(now);
    const base = this.windowStart(now);
    const seconds = (now - this.sampledAt[base]!) / 1000;
    const rate = (count: number, sampled: Float64Array): number =>
      seconds > 0 ? (count - sampled[base]!) / seconds : 0;
    return {
      in: this.admittedCount,
      out: this.acknowledgedCount,
      deadLettered: this.deadLetteredCount,
      inPerSecond: rate(this.admittedCount, this.sampledIn),
      outPerSecond: rate(this.acknowledgedCount, this.sampledOut),
    };
  }

  errors(): ErrorStats {
    return { ...this.failures };
  }

  /** The percentiles of the last records that finished; undefined before one has. */
  processingMs(): ProcessingTimeStats | undefined {
    if (this.sortedAt !== this.finishedCount) {
      this.sortedAt = this.finishedCount;
      const samples = Math.min(this.finishedCount, RESERVOIR);
      if (samples > 0) {
        this.sorted.set(this.times);
        const sorted = this.sorted.subarray(0, samples).sort();
        this.percentiles = { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), samples };
      }
    }
    return this.percentiles;
  }

  private sample(now: number): void {
    this.newest = (this.newest + 1) % SAMPLES;
    this.sampledAt[this.newest] = now;
    this.sampledIn[this.newest] = this.admittedCount;
    this.sampledOut[this.newest] = this.acknowledgedCount;
    this.held = Math.min(this.held + 1, SAMPLES);
  }

  /** The newest sample at least a window old, else the oldest held. */
  private windowStart(now: number): number {
    let at = this.newest;
    for (let k = 0; k < this.held; k += 1) {
      at = (this.newest - k + SAMPLES) % SAMPLES;
      if (now - this.sampledAt[at]! >= WINDOW_MS) return at;
    }
    return at;
  }
}
