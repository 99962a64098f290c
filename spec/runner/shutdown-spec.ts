import {
  Application,
  InMemoryKafka,
  partitionedRunner,
  singleThreadedRunner,
  type Logger,
  type RunnerFactory,
} from 'rx-kstreams';
import { recordingLogger } from '../support/recording-logger';
import { eventually, scriptedTopology, sleep, values } from './support/scripted-topology';

const PARTITIONS = 4;

/** Records on `PARTITIONS` partitions, and a topology that takes `ms` per record. */
const slowApp = (ms: number, perPartition: number) => {
  const kafka = new InMemoryKafka();
  kafka.createTopic('in', { partitions: PARTITIONS });
  for (let p = 0; p < PARTITIONS; p += 1) {
    kafka.produce(
      'in',
      values(`p${p}`, perPartition).map((r) => ({ ...r, partition: p })),
    );
  }
  const started: string[] = [];
  const finished: string[] = [];
  const topology = scriptedTopology(['in'], async (raw, sink) => {
    const id = `${raw.partition}@${raw.offset}`;
    started.push(id);
    await sleep(ms);
    sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    finished.push(id);
  });
  return { kafka, topology, started, finished };
};

/** Sum of the committed offsets of `in`: records committed. */
const committed = (kafka: InMemoryKafka, groupId: string): number =>
  Object.values(kafka.committedOffsets(groupId)['in'] ?? {}).reduce((n, o) => n + Number(o), 0);

const runOn = (
  kafka: InMemoryKafka,
  topology: ReturnType<typeof slowApp>['topology'],
  factory: RunnerFactory,
  groupId = 'g',
) => {
  const app = new Application(kafka.client({ groupId }), topology);
  const done = app.runWith(undefined, factory);
  return { app, done };
};

describe('shutdown', () => {
  it('should log what is left every second while it drains', async () => {
    const { kafka, topology, started } = slowApp(700, 3);
    const logger = recordingLogger();
    const { app, done } = runOn(
      kafka,
      topology,
      partitionedRunner({ pollTimeoutMs: 5, logger, channelBufferSize: 3 }),
    );
    await eventually(() => started.length === PARTITIONS);
    app.close();
    await done;
    const progress = logger.entries.filter((e) => e.message.startsWith('shutting down:'));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]!.message).toMatch(
      /^shutting down: \d+ records? left in [1-4] partitions?, \d+ s left of the drain$/,
    );
    expect(progress[0]!.fields).toMatchObject({
      partitions: expect.any(Number),
      records: expect.any(Number),
    });
    expect(progress[0]!.level).toBe('info');
    // The default drain finished everything polled.
    expect(committed(kafka, 'g')).toBe(PARTITIONS * 3);
  });

  it.each([
    ['partitionedRunner', () => partitionedRunner({ pollTimeoutMs: 5, shutdownDrain: 'started' })],
    [
      'singleThreadedRunner',
      () => singleThreadedRunner({ pollTimeoutMs: 5, shutdownDrain: 'started' }),
    ],
  ])(
    "%s with shutdownDrain 'started' should finish only the records it started and leave the rest to be read again",
    async (_name, factory) => {
      const { kafka, topology, started, finished } = slowApp(200, 8);
      const first = runOn(kafka, topology, factory());
      await eventually(() => started.length > 0);
      first.app.close();
      await first.done;
      // What started finished; nothing else began.
      expect(finished.sort()).toEqual([...started].sort());
      expect(started.length).toBeLessThan(PARTITIONS * 8);
      expect(committed(kafka, 'g')).toBe(finished.length);
      expect(kafka.records('out')).toHaveLength(finished.length);
      // The next owner reads what was dropped: every record is out once.
      const second = runOn(
        kafka,
        topology,
        partitionedRunner({ pollTimeoutMs: 5, commitIntervalMs: 0 }),
      );
      await eventually(() => committed(kafka, 'g') === PARTITIONS * 8, 20_000, 'the rest');
      second.app.close();
      await second.done;
      expect(kafka.records('out')).toHaveLength(PARTITIONS * 8);
    },
    30_000,
  );

  it.each([
    ['partitionedRunner', (logger: Logger) => partitionedRunner({ pollTimeoutMs: 5, logger })],
    [
      'singleThreadedRunner',
      (logger: Logger) => singleThreadedRunner({ pollTimeoutMs: 5, logger }),
    ],
  ])(
    '%s should stop at once on a second close(), abandoning what still runs',
    async (_name, factory) => {
      const kafka = new InMemoryKafka();
      kafka.produce('in', values('v', 5));
      let began = 0;
      // The third record never finishes: the graceful drain would wait its 30 or 60 s.
      const topology = scriptedTopology(['in'], async (raw, sink) => {
        began += 1;
        if (raw.offset === '2') await new Promise(() => undefined);
        sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
      });
      const logger = recordingLogger();
      const app = new Application(kafka.client({ groupId: 'g' }), topology);
      const done = app.runWith(undefined, factory(logger));
      await eventually(() => began === 3);
      app.close();
      await sleep(20);
      app.close();
      await done;
      expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '2' } });
      expect(logger.messages()).toContain(
        'forced stop: records still running are abandoned and read again',
      );
    },
  );

  it("should take a ShutdownSignal's force (a second Ctrl-C) as a forced stop", async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 3));
    let began = 0;
    const topology = scriptedTopology(['in'], async () => {
      began += 1;
      await new Promise(() => undefined);
    });
    const stop = new AbortController();
    const force = new AbortController();
    const signal = Object.assign(stop.signal, { force: force.signal });
    const app = new Application(kafka.client({ groupId: 'g' }), topology);
    const done = app.runWith(signal, partitionedRunner({ pollTimeoutMs: 5 }));
    await eventually(() => began === 1);
    stop.abort();
    await sleep(20);
    expect(app.stats()?.partitions).toHaveLength(1); // still draining
    force.abort();
    await done;
    expect(kafka.committedOffsets('g')).toEqual({});
  });
});
