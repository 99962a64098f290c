import type { ErrorContext } from '../../lib/errorhandler/error-context';
import type { HandlingObserver } from '../../lib/errorhandler/handle-errors';
import type { ErrorPhase } from '../../lib/errors/phase';
import { DEAD_LETTER } from '../../lib/task/record-collector';
import { RecordCounters } from '../../lib/task/record-counters';

/** Counters on a clock the test moves. */
const virtualCounters = (): { counters: RecordCounters; at(ms: number): void } => {
  let now = 0;
  return { counters: new RecordCounters(() => now), at: (ms) => (now = ms) };
};

const failure = (phase: ErrorPhase): ErrorContext =>
  ({ phase, attempt: 1, error: new Error('x') }) as unknown as ErrorContext;

/** Lets the acknowledgements' callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RecordCounters', () => {
  it('should count the acknowledgements of what it sends: outputs and dead-letter copies apart, refusals not', async () => {
    const { counters } = virtualCounters();
    const send = counters.counting((record) =>
      record.topic === 'refused' ? Promise.reject(new Error('no')) : Promise.resolve(),
    );
    await send({ topic: 'out', key: null, value: null }, 'SINK');
    await send({ topic: 'dlq', key: null, value: null }, DEAD_LETTER);
    await send({ topic: 'refused', key: null, value: null }, 'SINK').then(
      () => undefined,
      () => undefined,
    );
    await settle();
    counters.admitted();
    counters.acknowledged();
    expect(counters.records()).toMatchObject({ in: 1, out: 2, deadLettered: 1 });
  });

  it('should count each failure by its phase and tell the next observer', () => {
    const { counters } = virtualCounters();
    const told: string[] = [];
    const next: HandlingObserver = {
      failed: (ec) => told.push(`failed:${ec.phase}`),
      decided: (action) => told.push(`decided:${action._tag}`),
    };
    const observer = counters.observing(next);
    observer.failed(failure('serde'));
    observer.failed(failure('processing'));
    observer.failed(failure('processing'));
    observer.decided({ _tag: 'Continue' }, failure('processing'));
    counters.observing(undefined).failed(failure('unknown'));
    expect(counters.errors()).toEqual({ serde: 1, processing: 2, production: 0, unknown: 1 });
    expect(told).toEqual([
      'failed:serde',
      'failed:processing',
      'failed:processing',
      'decided:Continue',
    ]);
  });

  it('should give the rate over the run so far while it is younger than the window', () => {
    const { counters, at } = virtualCounters();
    at(1000);
    for (let i = 0; i < 10; i += 1) counters.admitted();
    counters.acknowledged();
    at(2000);
    expect(counters.records()).toMatchObject({ inPerSecond: 5, outPerSecond: 0.5 });
  });

  it('should give the rate over the last ten seconds once the run is older', () => {
    const { counters, at } = virtualCounters();
    for (let second = 1; second <= 30; second += 1) {
      at(second * 1000);
      for (let i = 0; i < 10; i += 1) counters.admitted();
      counters.records();
    }
    expect(counters.records().inPerSecond).toBe(10);
    // Idle for five seconds: half the last ten had records.
    at(35_000);
    expect(counters.records().inPerSecond).toBe(5);
  });

  it('should take a sample when a record finishes, not only when asked', () => {
    const { counters, at } = virtualCounters();
    for (let second = 1; second <= 20; second += 1) {
      at(second * 1000);
      const admitted = second <= 10 ? 10 : 1;
      for (let i = 0; i < admitted; i += 1) counters.admitted();
      counters.finished(second * 1000);
    }
    // Asked once: the sample ten seconds back came from a record finishing (over the whole
    // run the rate would be 110 / 20 s).
    expect(counters.records().inPerSecond).toBe(1);
  });

  it('should show no percentiles before a record finished', () => {
    expect(virtualCounters().counters.processingMs()).toBeUndefined();
  });

  it('should take the percentiles over the processing times of the records that finished', () => {
    const { counters, at } = virtualCounters();
    at(10_000);
    for (let ms = 100; ms >= 1; ms -= 1) counters.finished(10_000 - ms);
    expect(counters.processingMs()).toEqual({ p50: 50, p99: 99, samples: 100 });
  });

  it('should keep only the last 1024 processing times', () => {
    const { counters, at } = virtualCounters();
    at(10_000);
    for (let i = 0; i < 1024; i += 1) counters.finished(9000);
    for (let i = 0; i < 1024; i += 1) counters.finished(9998);
    expect(counters.processingMs()).toEqual({ p50: 2, p99: 2, samples: 1024 });
    counters.finished(0);
    expect(counters.processingMs()?.p99).toBe(2);
    expect(counters.processingMs()?.samples).toBe(1024);
  });
});
