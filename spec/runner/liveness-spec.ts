import {
  ConfigError,
  ConsumerStalledError,
  InMemoryKafka,
  partitionedRunner,
  type RunnerFactory,
  type RunnerOptions,
  singleThreadedRunner,
} from 'rx-kstreams';
import { recordingLogger } from '../support/recording-logger';
import { startApp } from './support/run-app';
import {
  caughtUp,
  eventually,
  forwardTo,
  scriptedTopology,
  sleep,
  values,
} from './support/scripted-topology';

/** A short liveness bound, so a stall is found within a fraction of a second. */
const watchful = { pollTimeoutMs: 20, commitIntervalMs: 0, livenessTimeoutMs: 400 };

const runners: Array<[string, (o: RunnerOptions) => RunnerFactory]> = [
  ['singleThreadedRunner', (o) => singleThreadedRunner(o)],
  ['partitionedRunner', (o) => partitionedRunner(o)],
];

const outputs = (kafka: InMemoryKafka, topic: string): string[] =>
  kafka.records(topic).map((r) => r.value?.toString() ?? '');

describe.each(runners)('liveness watchdog (%s)', (_name, runner) => {
  /** The group `g` forwarding `in` to `out` with the short liveness bound. */
  const forwarding = (kafka: InMemoryKafka, options: RunnerOptions = {}) =>
    startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      runner({ ...watchful, ...options }),
    );

  it.each(['hang', 'empty'] as const)(
    'should replace a consumer that stalls (%s) and process every record with the new one',
    async (mode) => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      kafka.produce('in', values('v', 40));
      kafka.injectConsumerStalls(1, { mode });
      const logger = recordingLogger();
      const run = forwarding(kafka, { logger });
      await eventually(() => caughtUp(kafka, 'g', 'in'), 10_000, 'every record committed');
      expect(run.app.stats()?.consumerRecreations).toBe(1);
      await run.stop();
      expect(new Set(outputs(kafka, 'out'))).toEqual(new Set(values('v', 40).map((r) => r.value)));
      const stalled = logger.entries.find((e) => e.message.startsWith('the consumer stalled'));
      expect(stalled).toMatchObject({ level: 'warn' });
      expect(stalled!.message).toMatch(
        mode === 'hang'
          ? /^the consumer stalled: a poll has not returned for \d+\.\d s \(no partition assigned yet\); replacing it \(1 of at most 3 in a row\)$/
          : /^the consumer stalled: no poll delivered a record for \d+\.\d s while in:[01] \(\d+ behind\)(, in:1 \(\d+ behind\))? had records to read; replacing it/,
      );
      expect(logger.messages()).toContain('replaced the stalled consumer with a new one');
      // Every member but the live one has left the group.
      expect(kafka.groupState('g')).toHaveLength(0);
    },
  );

  it.each(['hang', 'empty'] as const)(
    'should replace a consumer that stalls (%s) mid-stream and go on from the acknowledged offsets',
    async (mode) => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      kafka.produce('in', values('a', 20));
      const logger = recordingLogger();
      const run = forwarding(kafka, { logger });
      await eventually(() => caughtUp(kafka, 'g', 'in'), 10_000, 'the first records committed');
      kafka.injectConsumerStalls(1, { mode });
      await sleep(50); // the current consumer takes the stall at its next poll
      kafka.produce('in', values('b', 20));
      await eventually(() => caughtUp(kafka, 'g', 'in'), 10_000, 'the later records committed');
      expect(run.app.stats()?.consumerRecreations).toBe(1);
      await run.stop();
      const out = outputs(kafka, 'out');
      for (const r of [...values('a', 20), ...values('b', 20)]) expect(out).toContain(r.value);
      // Nothing acknowledged before the stall was read again: the new consumer began there.
      expect(out.filter((v) => v.startsWith('a-'))).toHaveLength(20);
      // A hung poll, or (when the quiet run began before the hang) polls without records.
      expect(logger.messages()).toContainEqual(
        expect.stringMatching(
          mode === 'hang'
            ? /^the consumer stalled: (a poll has not returned for \d+\.\d s \(partitions in:0, in:1\)|no poll delivered a record)/
            : /^the consumer stalled: no poll delivered a record/,
        ),
      );
    },
  );

  it('should reject the run with a ConsumerStalledError when every replacement stalls too, after maxConsumerRecreations', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 5));
    kafka.injectConsumerStalls(3, { mode: 'hang' });
    const logger = recordingLogger();
    const run = forwarding(kafka, { maxConsumerRecreations: 2, logger });
    const error = await run.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConsumerStalledError);
    expect((error as ConsumerStalledError).recreations).toBe(2);
    expect((error as Error).message).toMatch(
      /^the consumer stalled again after 2 recreations in a row: a poll has not returned for .*Check that the brokers are reachable/,
    );
    expect(run.app.stats()?.consumerRecreations).toBe(2);
    expect(logger.messages().filter((m) => m.startsWith('the consumer stalled:'))).toHaveLength(2);
    expect(kafka.groupState('g')).toHaveLength(0);
  });

  it('should replace a producer whose sends never settle, with the consumer, and read the abandoned records again', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    kafka.produce('in', values('v', 30));
    kafka.injectProducerStalls(1);
    const logger = recordingLogger();
    const run = forwarding(kafka, { logger });
    await eventually(() => caughtUp(kafka, 'g', 'in'), 10_000, 'every record committed');
    expect(run.app.stats()).toMatchObject({ consumerRecreations: 1, producerRecreations: 1 });
    await run.stop();
    expect(new Set(outputs(kafka, 'out'))).toEqual(new Set(values('v', 30).map((r) => r.value)));
    expect(logger.messages()).toContainEqual(
      expect.stringMatching(
        /^the producer stalled: no send was acknowledged or failed for \d+\.\d s while \d+ waited, though the broker answers; replacing the producer and the consumer \(1 of at most 3 in a row\)$/,
      ),
    );
  });

  it('should not replace a consumer that is quiet because nothing waits', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 3));
    const run = forwarding(kafka);
    await eventually(() => caughtUp(kafka, 'g', 'in'), 5000, 'caught up');
    await sleep(1200); // four liveness bounds of empty polls
    expect(run.app.stats()?.consumerRecreations).toBe(0);
    await run.stop();
  });

  it.each([
    [{ livenessTimeoutMs: 0 }, /livenessTimeoutMs: must be an integer >= 1, got 0/],
    [{ livenessTimeoutMs: 1.5 }, /livenessTimeoutMs: must be an integer >= 1, got 1\.5/],
    [{ maxConsumerRecreations: -1 }, /maxConsumerRecreations: must be an integer >= 0, got -1/],
  ])('should refuse %j when the factory is built, naming the option', (options, message) => {
    expect(() => runner(options as RunnerOptions)).toThrow(ConfigError);
    expect(() => runner(options as RunnerOptions)).toThrow(message);
  });
});

describe('liveness watchdog (partitionedRunner)', () => {
  it('should abandon the records in flight on a stalled consumer (aborting their signals) and have the new one read them again', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    kafka.produce('in', values('a', 10));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const runs = new Map<string, number>();
    const firstSignals: AbortSignal[] = [];
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], async (raw, sink, info) => {
        const id = `${raw.partition}@${raw.offset}`;
        runs.set(id, (runs.get(id) ?? 0) + 1);
        if (runs.get(id) === 1) firstSignals.push(sink.signal);
        await released;
        void forwardTo('out')(raw, sink, info);
      }),
      partitionedRunner(watchful),
    );
    try {
      // Each partition's first record is under way (in order: the others wait behind it).
      await eventually(() => runs.size === 2, 5000, 'a record in flight per partition');
      kafka.injectConsumerStalls(1, { mode: 'empty' });
      await sleep(50);
      kafka.produce('in', values('b', 10));
      await eventually(() => run.app.stats()?.consumerRecreations === 1, 5000, 'a replacement');
      await eventually(() => [...runs.values()].every((n) => n === 2), 5000, 'both read again');
      expect(runs.size).toBe(2);
      expect(firstSignals.map((signal) => signal.aborted)).toEqual([true, true]);
    } finally {
      release();
    }
    await eventually(() => caughtUp(kafka, 'g', 'in'), 10_000, 'caught up');
    await run.stop();
    for (const r of [...values('a', 10), ...values('b', 10)]) {
      expect(outputs(kafka, 'out')).toContain(r.value);
    }
  });

  it('should not take partitions paused by a full buffer for a stalled consumer', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    kafka.produce('in', values('v', 60));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], async (raw, sink, info) => {
        await released;
        void forwardTo('out')(raw, sink, info);
      }),
      partitionedRunner({ ...watchful, channelBufferSize: 5 }),
    );
    try {
      await eventually(
        () => (run.app.stats()?.partitions ?? []).some((p) => p.paused),
        5000,
        'a paused partition',
      );
      await sleep(1000);
      expect(run.app.stats()?.consumerRecreations).toBe(0);
    } finally {
      release();
    }
    await eventually(() => caughtUp(kafka, 'g', 'in'), 10_000, 'caught up');
    await run.stop();
    expect(outputs(kafka, 'out')).toHaveLength(60);
  });
});
