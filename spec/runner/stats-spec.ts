import {
  Action,
  InMemoryKafka,
  partitionedRunner,
  ProcessingError,
  type RunnerFactory,
  type RunnerStats,
  SerdeError,
  singleThreadedRunner,
  withDLQ,
} from 'rx-kstreams';
import { startApp } from './support/run-app';
import {
  caughtUp,
  eventually,
  forwardTo,
  scriptedTopology,
  sleep,
  values,
} from './support/scripted-topology';

const fast = { pollTimeoutMs: 5, commitIntervalMs: 0 };

const RUNNERS: Array<
  [string, (options: Parameters<typeof partitionedRunner>[0]) => RunnerFactory]
> = [
  ['partitionedRunner', (options) => partitionedRunner({ ...fast, ...options })],
  ['singleThreadedRunner', (options) => singleThreadedRunner({ ...fast, ...options })],
];

/** Waits at least `ms` as `performance.now()` measures it (a timer may fire a little early). */
const atLeast = async (ms: number): Promise<void> => {
  const until = performance.now() + ms;
  while (performance.now() < until) await sleep(Math.max(1, until - performance.now()));
};

describe.each(RUNNERS)('%s stats', (_name, runner) => {
  it('should count records in, outputs out, dead-letter copies and failures by phase', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    kafka.produce('in', values('v', 20));
    const topology = scriptedTopology(['in'], (raw, sink) => {
      const value = raw.value?.toString();
      if (value === 'v-3') throw new SerdeError('bad bytes', { topic: 'in', nodeName: 'SOURCE' });
      if (value === 'v-7' || value === 'v-11') {
        throw new ProcessingError({ nodeName: 'MAP', cause: new Error('bad order') });
      }
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const seen: RunnerStats[] = [];
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      runner({ errorHandler: withDLQ('dlq') }),
    );
    const sub = run.app.stats$.subscribe((s) => s && seen.push(s));
    await eventually(() => caughtUp(kafka, 'g', 'in'), 5000, 'every record committed');
    const running = run.app.stats()!;
    await run.stop();
    sub.unsubscribe();

    expect(kafka.records('out')).toHaveLength(17);
    expect(kafka.records('dlq')).toHaveLength(3);
    const final = run.app.stats()!;
    expect(final.records).toMatchObject({ in: 20, out: 17, deadLettered: 3 });
    expect(final.errors).toEqual({ serde: 1, processing: 2, production: 0, unknown: 0 });
    expect(seen.at(-1)?.records).toMatchObject({ in: 20, out: 17, deadLettered: 3 });
    // While running, over the run so far (younger than the window): above 0, and numbers.
    expect(running.records.inPerSecond).toBeGreaterThan(0);
    expect(running.records.outPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(running.records.inPerSecond)).toBe(true);
    expect(Number.isFinite(running.records.outPerSecond)).toBe(true);
  });

  it('should count an output sent again once, when the producer acknowledges it', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 5));
    kafka.injectProduceErrors(1, { topic: 'out' });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      runner({ productionErrorHandler: () => Action.retry(0) }),
    );
    await eventually(() => caughtUp(kafka, 'g', 'in'), 5000, 'every record committed');
    await run.stop();

    expect(kafka.records('out')).toHaveLength(5);
    const stats = run.app.stats()!;
    expect(stats.records).toMatchObject({ in: 5, out: 5, deadLettered: 0 });
    expect(stats.errors).toEqual({ serde: 0, processing: 0, production: 1, unknown: 0 });
  });

  it('should show processing time percentiles of at least the time each record takes', async () => {
    const DELAY_MS = 15;
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 8));
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      await atLeast(DELAY_MS);
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const run = startApp(kafka.client({ groupId: 'g' }), topology, runner({}));
    // Before any record finished there are no percentiles to show.
    expect(run.app.stats()).not.toHaveProperty('processingMs');
    await eventually(() => caughtUp(kafka, 'g', 'in'), 5000, 'every record committed');
    await run.stop();

    const times = run.app.stats()!.processingMs!;
    expect(times.samples).toBe(8);
    expect(Number.isFinite(times.p99)).toBe(true);
    expect(times.p50).toBeGreaterThanOrEqual(DELAY_MS);
    expect(times.p99).toBeGreaterThanOrEqual(times.p50);
  });
});
