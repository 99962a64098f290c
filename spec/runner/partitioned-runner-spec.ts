import { VirtualTimeScheduler } from 'rxjs';
import {
  Action,
  ConfigError,
  type ErrorContext,
  InMemoryKafka,
  noopLogger,
  partitionedRunner,
  ProcessingError,
  type RunnerStats,
  SerdeError,
} from 'rx-kstreams';
import { dlqHeaders } from '../support/dlq-headers';
import { recordingLogger } from '../support/recording-logger';
import { startApp } from './support/run-app';
import { tappedClient } from './support/tapped-client';
import {
  caughtUp,
  eventually,
  forwardTo,
  numberedProducer,
  scriptedTopology,
  sleep,
  values,
} from './support/scripted-topology';

const fast = { pollTimeoutMs: 5, commitIntervalMs: 0 };

const byPartition = (kafka: InMemoryKafka, topic: string): Map<number, string[]> => {
  const out = new Map<number, string[]>();
  for (const r of kafka.records(topic)) {
    const [p, o] = (r.value?.toString() ?? '').split(':');
    const list = out.get(Number(p)) ?? [];
    list.push(o!);
    out.set(Number(p), list);
  }
  return out;
};

/** A gate a script can wait on until the test opens it. */
const gate = (): { wait: () => Promise<void>; open: () => void } => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open: () => open() };
};

describe('partitionedRunner', () => {
  it('should keep order within each partition while other partitions overtake a slow one', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 4 });
    for (let p = 0; p < 4; p++) {
      kafka.produce(
        'in',
        Array.from({ length: 20 }, (_, i) => ({ value: `${i}`, partition: p })),
      );
    }
    const finished: string[] = [];
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      if (raw.partition === 0) await sleep(5);
      finished.push(`${raw.partition}:${raw.offset}`);
      sink.send(
        { topic: 'out', key: null, value: Buffer.from(`${raw.partition}:${raw.offset}`) },
        'SINK',
      );
    });
    const run = startApp(kafka.client({ groupId: 'g' }), topology, partitionedRunner(fast));

    await eventually(() => kafka.records('out').length === 80);
    await run.stop();

    const expected = Array.from({ length: 20 }, (_, i) => String(i));
    const outputs = byPartition(kafka, 'out');
    for (let p = 0; p < 4; p++) expect(outputs.get(p)).toEqual(expected);
    const lastSlow = finished.indexOf('0:19');
    const othersDone = Math.max(...[1, 2, 3].map((p) => finished.indexOf(`${p}:19`)));
    expect(othersDone).toBeLessThan(lastSlow);
  });

  it('should pause a partition when its buffer is full, replay pending in order, and resume when drained', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    kafka.produce(
      'in',
      Array.from({ length: 40 }, (_, i) => ({ value: `${i}`, partition: 0 })),
    );
    kafka.produce(
      'in',
      Array.from({ length: 3 }, (_, i) => ({ value: `${i}`, partition: 1 })),
    );
    const slow = gate();
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      if (raw.partition === 0) await slow.wait();
      sink.send(
        { topic: 'out', key: null, value: Buffer.from(`${raw.partition}:${raw.offset}`) },
        'SINK',
      );
    });
    const snapshots: RunnerStats[] = [];
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({ ...fast, channelBufferSize: 5, maxPollRecords: 10 }),
    );
    const watching = run.app.stats$.subscribe((s) => s && snapshots.push(s));

    const p0 = (): { queueDepth: number; pending: number; paused: boolean } | undefined =>
      run.app.stats()?.partitions.find((s) => s.partition === 0);
    await eventually(() => p0()?.paused === true, 5000, 'partition 0 paused');
    expect(p0()).toMatchObject({ queueDepth: 5, paused: true });
    expect(p0()!.pending).toBeGreaterThan(0);
    expect(kafka.groupState('g')[0]?.paused).toEqual([{ topic: 'in', partition: 0 }]);
    await eventually(
      () => byPartition(kafka, 'out').get(1)?.length === 3,
      5000,
      'partition 1 done',
    );

    slow.open();
    await eventually(() => kafka.records('out').length === 43);
    await eventually(() => p0()?.paused === false, 5000, 'partition 0 resumed');
    await run.stop();
    watching.unsubscribe();

    expect(byPartition(kafka, 'out').get(0)).toEqual(
      Array.from({ length: 40 }, (_, i) => String(i)),
    );
    expect(kafka.groupState('g')).toEqual([]);
    // Held in memory per partition: the buffer plus at most one poll.
    const held = snapshots.flatMap((s) => s.partitions.map((p) => p.queueDepth + p.pending));
    expect(Math.max(...held)).toBeLessThanOrEqual(5 + 10);
    expect(snapshots.some((s) => s.partitions.some((p) => p.pending > 0))).toBe(true);
  });

  it('should commit an offset only after the outputs it caused are acknowledged', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 3));
    kafka.injectProduceErrors(1, { topic: 'out' });
    const retrying = gate();
    const seen: ErrorContext[] = [];
    let committedWhileFailing: unknown;
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      partitionedRunner({
        ...fast,
        productionErrorHandler: async (ec) => {
          seen.push(ec);
          await sleep(50); // the later records finish meanwhile; the failed one holds them back
          committedWhileFailing = kafka.committedOffsets('g');
          retrying.open();
          return Action.retry(0);
        },
      }),
    );
    await retrying.wait();
    await eventually(() => kafka.committedOffsets('g').in?.[0] === '3');
    await run.stop();

    expect(committedWhileFailing).toEqual({});
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ phase: 'production', attempt: 1, nodeName: 'SINK' });
    expect(seen[0]!.record.offset).toBe('0');
    expect(
      kafka
        .records('out')
        .map((r) => r.value?.toString())
        .sort(),
    ).toEqual(['v-0', 'v-1', 'v-2']);
  });

  it('should route each phase to its handler and fall back to errorHandler', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 4));
    kafka.injectProduceErrors(1, { topic: 'out' });
    const asked: string[] = [];
    const note =
      (name: string) =>
      (ec: ErrorContext): Action => {
        asked.push(`${name}:${ec.phase}:${ec.record.offset}`);
        return Action.continue();
      };
    const topology = scriptedTopology(['in'], (raw, sink) => {
      if (raw.offset === '0')
        throw new SerdeError('bad bytes', { topic: 'in', nodeName: 'SOURCE-1' });
      if (raw.offset === '1')
        throw new ProcessingError({ nodeName: 'MAP-2', cause: new Error('bad') });
      if (raw.offset === '2') throw new Error('untagged');
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK-3');
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({
        ...fast,
        errorHandler: note('fallback'),
        serdeErrorHandler: note('serde'),
        productionErrorHandler: note('production'),
      }),
    );
    await eventually(() => kafka.committedOffsets('g').in?.[0] === '4');
    await run.stop();

    expect(asked.sort()).toEqual([
      'fallback:processing:1',
      'fallback:unknown:2',
      'production:production:3',
      'serde:serde:0',
    ]);
  });

  it('should write a failed record to the DLQ with its key, value, headers and the error headers', async () => {
    const kafka = new InMemoryKafka({ now: () => 1700000000000 });
    kafka.produce('in', [{ key: 'k', value: 'poison', headers: { trace: 'abc' } }]);
    const topology = scriptedTopology(['in'], () => {
      throw new ProcessingError({
        nodeName: 'MAPVALUES-0000000002',
        cause: new Error('cannot parse'),
      });
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({ ...fast, errorHandler: () => Action.sendToDLQ('in.dlq'), now: () => 42 }),
    );
    await eventually(() => kafka.records('in.dlq').length === 1);
    await eventually(() => kafka.committedOffsets('g').in?.[0] === '1');
    await run.stop();

    const [dead] = kafka.records('in.dlq');
    expect(dead!.key?.toString()).toBe('k');
    expect(dead!.value?.toString()).toBe('poison');
    expect(dead!.headers['trace']?.toString()).toBe('abc');
    expect(dlqHeaders(dead!.headers)).toEqual({
      originalTopic: 'in',
      originalPartition: '0',
      originalOffset: '0',
      errorTimestamp: '1970-01-01T00:00:00.042Z',
      errorTimestampMs: '42',
      errorAttempt: '1',
      errorMessage: expect.stringContaining('cannot parse'),
      errorNode: 'MAPVALUES-0000000002',
      errorPhase: 'processing',
    });
  });

  it('should retry a record from its source until it succeeds', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 1));
    let runs = 0;
    const topology = scriptedTopology(['in'], (raw, sink) => {
      runs += 1;
      if (runs < 3) throw new Error('transient');
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({
        ...fast,
        errorHandler: (ec) => (ec.attempt < 5 ? Action.retry(1) : Action.fail()),
      }),
    );
    await eventually(() => kafka.records('out').length === 1);
    await run.stop();
    expect(runs).toBe(3);
  });

  it('should reject the run on fail after committing the records that finished', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    kafka.produce(
      'in',
      Array.from({ length: 6 }, (_, i) => ({ value: `${i}`, partition: 0 })),
    );
    kafka.produce(
      'in',
      Array.from({ length: 6 }, (_, i) => ({ value: `${i}`, partition: 1 })),
    );
    const bad = new ProcessingError({ nodeName: 'MAP-1', cause: new Error('fatal') });
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      if (raw.partition === 0 && raw.offset === '3') throw bad;
      if (raw.partition === 0) await sleep(1);
      sink.send({ topic: 'out', key: null, value: raw.value }, 'SINK');
    });
    const run = startApp(kafka.client({ groupId: 'g' }), topology, partitionedRunner(fast));
    await expect(run.done).rejects.toBe(bad);
    expect(kafka.committedOffsets('g').in?.[0]).toBe('3');
  });

  it('should bound the shutdown by drainTimeoutMs when a processor never finishes', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 3));
    const logger = recordingLogger();
    const topology = scriptedTopology(['in'], () => new Promise<void>(() => undefined));
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({ ...fast, logger, drainTimeoutMs: 20, workerShutdownTimeoutMs: 600_000 }),
    );
    await eventually(() => run.app.stats()?.partitions[0]?.queueDepth === 3);
    await run.stop();
    expect(logger.messages()).toContain('shutdown drain timed out');
    expect(kafka.committedOffsets('g')).toEqual({});
  });

  it('should bound each partition’s drain by workerShutdownTimeoutMs', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 2));
    const logger = recordingLogger();
    const topology = scriptedTopology(['in'], () => new Promise<void>(() => undefined));
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({ ...fast, logger, drainTimeoutMs: 600_000, workerShutdownTimeoutMs: 20 }),
    );
    await eventually(() => run.app.stats()?.partitions[0]?.queueDepth === 2);
    await run.stop();
    expect(logger.messages()).toContain(
      'partition did not drain in time; its unfinished records will be re-delivered',
    );
    expect(logger.messages()).not.toContain('shutdown drain timed out');
  });

  it('should drain queued records on a graceful shutdown and commit them', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 20));
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      await sleep(1);
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({ ...fast, commitIntervalMs: 60_000 }),
    );
    await eventually(() => (run.app.stats()?.partitions[0]?.queueDepth ?? 0) > 0);
    await run.stop();
    const outputs = kafka.records('out').length;
    expect(outputs).toBeGreaterThan(0);
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: String(outputs) } });
  });

  it('should start fresh processors per assigned partition and close them on revocation', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    kafka.produce('in', values('v', 10));
    const log = { created: [] as string[], closed: [] as string[] };
    const topology = scriptedTopology(['in'], forwardTo('out'), log);
    const a = startApp(kafka.client({ groupId: 'g' }), topology, partitionedRunner(fast));
    await eventually(() => kafka.records('out').length === 10);
    expect(log.created.sort()).toEqual(['in:0', 'in:1']);

    const b = startApp(kafka.client({ groupId: 'g' }), topology, partitionedRunner(fast));
    await eventually(
      () => log.closed.length === 1,
      5000,
      'one partition revoked from the first member',
    );
    await eventually(() => log.created.length === 3, 5000, 'the second member assigned');
    await a.stop();
    await b.stop();
    expect([...log.closed].sort()).toEqual([...log.created].sort());
    expect(log.closed).toHaveLength(4);
    expect(kafka.records('out')).toHaveLength(10);
  });

  it('should lose no record when a second instance joins and the first leaves mid-stream', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 6 });
    const total = 3000;
    const input = numberedProducer(kafka, 'in');
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      if (Number(raw.offset) % 50 === 0) await sleep(1);
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const options = { ...fast, channelBufferSize: 20, maxPollRecords: 50 };
    const first = startApp(kafka.client({ groupId: 'g' }), topology, partitionedRunner(options));
    input.produce(1000);
    await eventually(() => kafka.records('out').length > 300);
    const second = startApp(kafka.client({ groupId: 'g' }), topology, partitionedRunner(options));
    input.produce(1000);
    await eventually(
      () =>
        kafka.groupState('g').length === 2 &&
        kafka.groupState('g').every((m) => m.assignment.length > 0),
    );
    await first.stop();
    input.produce(total - input.produced);
    await eventually(
      () => new Set(kafka.records('out').map((r) => r.value?.toString())).size === total,
      10000,
      'all inputs in the output',
    );
    await second.stop();

    const outputs = kafka.records('out').map((r) => r.value?.toString());
    const duplicates = outputs.length - new Set(outputs).size;
    console.log(`join/leave: ${total} inputs, ${outputs.length} outputs, ${duplicates} duplicates`);
    expect(new Set(outputs).size).toBe(total);
    expect(duplicates).toBe(0);
    expect(kafka.lag('g')).toBe(0);
  });

  it('should commit finished offsets on the interval while running, not only at shutdown', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 10));
    const lazy = startApp(
      kafka.client({ groupId: 'lazy' }),
      scriptedTopology(['in'], forwardTo('out')),
      partitionedRunner({ pollTimeoutMs: 5, commitIntervalMs: 600_000 }),
    );
    const eager = startApp(
      kafka.client({ groupId: 'eager' }),
      scriptedTopology(['in'], forwardTo('out2')),
      partitionedRunner({ pollTimeoutMs: 5, commitIntervalMs: 10 }),
    );
    await eventually(
      () => kafka.committedOffsets('eager').in?.[0] === '10',
      5000,
      'interval commit',
    );
    await eventually(() => kafka.records('out').length === 10);
    // The first commit is due at once; after it the lazy group waits out its interval.
    const lazyWhileRunning = Number(kafka.committedOffsets('lazy').in?.[0] ?? 0);
    await lazy.stop();
    await eager.stop();
    expect(lazyWhileRunning).toBeLessThan(10);
    expect(kafka.committedOffsets('lazy')).toEqual({ in: { 0: '10' } });
  });

  it('should resume a partition when it is assigned, in case it left paused', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    const resumed: string[] = [];
    const client = tappedClient(kafka.client({ groupId: 'g' }), {
      consumer: (consumer) => {
        const resume = consumer.resume.bind(consumer);
        consumer.resume = (tps) => {
          resumed.push(...tps.map((tp) => `${tp.topic}:${tp.partition}`));
          resume(tps);
        };
      },
    });
    const run = startApp(
      client,
      scriptedTopology(['in'], forwardTo('out')),
      partitionedRunner(fast),
    );
    await eventually(() => resumed.length === 2, 5000, 'assignment');
    await run.stop();
    expect(resumed.sort()).toEqual(['in:0', 'in:1']);
  });

  it('should not wait out the poll timeout when records finish as they are dispatched', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 300));
    const seen: string[] = [];
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], (raw) => void seen.push(raw.offset)),
      // A lost wake-up would leave each refill waiting 10 minutes: the test would time out.
      partitionedRunner({
        channelBufferSize: 5,
        maxPollRecords: 50,
        pollTimeoutMs: 600_000,
        commitIntervalMs: 0,
      }),
    );
    await eventually(() => seen.length === 300, 20_000, 'all records');
    await run.stop();
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => String(i)));
  });

  it('should send only the refused outputs again on a production retry, without re-running the record', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 5));
    kafka.injectProduceErrors(1, { topic: 'b' });
    const runs: string[] = [];
    const topology = scriptedTopology(['in'], (raw, sink) => {
      runs.push(raw.offset);
      sink.send({ topic: 'a', key: raw.key, value: raw.value }, 'SINK-A');
      sink.send({ topic: 'b', key: raw.key, value: raw.value }, 'SINK-B');
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({ ...fast, productionErrorHandler: () => Action.retry(0) }),
    );
    await eventually(() => caughtUp(kafka, 'g', 'in'));
    await run.stop();
    expect(runs).toEqual(['0', '1', '2', '3', '4']);
    const text = (topic: string): string[] => kafka.records(topic).map((r) => r.value!.toString());
    expect(text('a')).toEqual(['v-0', 'v-1', 'v-2', 'v-3', 'v-4']);
    expect([...text('b')].sort()).toEqual(['v-0', 'v-1', 'v-2', 'v-3', 'v-4']);
  });

  it('should not commit a record skipped after a processing error until its earlier outputs settle', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 1));
    kafka.injectProduceErrors(1, { topic: 'a' });
    const production: string[] = [];
    const topology = scriptedTopology(['in'], (raw, sink) => {
      sink.send({ topic: 'a', key: raw.key, value: raw.value }, 'SINK-A');
      throw new ProcessingError({ nodeName: 'SINK-B', cause: new Error('b cannot serialize') });
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({
        ...fast,
        processingErrorHandler: () => Action.continue(),
        productionErrorHandler: (ec) => {
          production.push(`${ec.phase}:${ec.nodeName}:${ec.attempt}`);
          return ec.attempt < 2 ? Action.retry(0) : Action.fail();
        },
      }),
    );
    await eventually(() => caughtUp(kafka, 'g', 'in'));
    await run.stop();
    expect(production).toEqual(['production:SINK-A:1']);
    expect(kafka.records('a')).toHaveLength(1);
  });

  it('should commit on the interval even with a fixed now() clock', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 3));
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      partitionedRunner({ pollTimeoutMs: 5, commitIntervalMs: 10, now: () => 42 }),
    );
    await eventually(
      () => kafka.committedOffsets('g').in?.[0] === '3',
      5000,
      'a commit while running',
    );
    await run.stop();
  });

  it('should commit once more at shutdown when the final commit is refused', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 4));
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      partitionedRunner({ pollTimeoutMs: 5, commitIntervalMs: 600_000 }),
    );
    await eventually(() => kafka.records('out').length === 4);
    kafka.injectCommitErrors(1);
    await run.stop();
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '4' } });
  });

  it('should leave the group and reject the run when a processor fails to close', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 2));
    const topology = scriptedTopology(['in'], forwardTo('out'));
    const broken = new Error('close failed');
    const closing = {
      ...topology,
      createTask: (info: Parameters<typeof topology.createTask>[0]) => ({
        ...topology.createTask(info),
        close: () => Promise.reject(broken),
      }),
    };
    const run = startApp(kafka.client({ groupId: 'g' }), closing, partitionedRunner(fast));
    await eventually(() => kafka.records('out').length === 2);
    await expect(run.stop()).rejects.toBe(broken);
    expect(kafka.groupState('g')).toEqual([]);
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '2' } });
  });

  it('should name the problem when a handler returns something that is not an Action', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 1));
    const topology = scriptedTopology(['in'], () => {
      throw new Error('boom');
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      partitionedRunner({ ...fast, errorHandler: (() => undefined) as never }),
    );
    await expect(run.done).rejects.toThrow(
      /the unknown error handler returned undefined for in\/0@0, not an Action/,
    );
  });

  it('should use the documented defaults: buffer 100, drains of 30 s and 60 s, poll backoff 1 s', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 150));
    kafka.injectPollErrors(1);
    const virtual = new VirtualTimeScheduler();
    const delays: number[] = [];
    const schedule = virtual.schedule.bind(virtual);
    virtual.schedule = ((work: never, delay?: number, state?: never) => {
      delays.push(delay ?? 0);
      const action = schedule(work, delay, state);
      queueMicrotask(() => virtual.flush());
      return action;
    }) as typeof virtual.schedule;
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], () => new Promise<void>(() => undefined)),
      partitionedRunner({ pollTimeoutMs: 5, scheduler: virtual }),
    );
    await eventually(() => run.app.stats()?.partitions[0]?.pending === 50, 5000, 'a full buffer');
    expect(run.app.stats()?.partitions[0]).toMatchObject({ queueDepth: 100, paused: true });
    await run.stop();
    expect(delays).toEqual(expect.arrayContaining([1000, 30_000, 60_000]));
  });

  it('should show every assigned partition in stats and stats$', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 3 });
    kafka.produce('in', values('v', 30));
    const seen: RunnerStats[] = [];
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      partitionedRunner(fast),
    );
    const sub = run.app.stats$.subscribe((s) => s && seen.push(s));
    await eventually(() => kafka.records('out').length === 30);
    await eventually(() =>
      (run.app.stats()?.partitions ?? []).every((p) => p.committedOffset !== undefined),
    );
    // The lag is asked of the broker after each commit: 0 once all is committed.
    await eventually(() => (run.app.stats()?.partitions ?? []).every((p) => p.lag === 0));
    const stats = run.app.stats()!;
    await run.stop();
    sub.unsubscribe();

    expect(stats.runner).toBe('partitioned');
    expect(stats.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    const ends = kafka.endOffsets('in');
    for (const p of stats.partitions) {
      expect(p).toEqual({
        topic: 'in',
        partition: p.partition,
        queueDepth: 0,
        pending: 0,
        paused: false,
        committedOffset: ends[p.partition],
        lag: 0,
      });
    }
    expect(seen.length).toBeGreaterThan(1);
    expect(run.app.stats()?.partitions).toEqual([]);
  });

  it('should retry commits refused while the group rebalances', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 5));
    kafka.injectCommitErrors(2, { rebalanceInProgress: true });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      partitionedRunner({ ...fast, logger: noopLogger }),
    );
    await eventually(() => kafka.committedOffsets('g').in?.[0] === '5');
    await run.stop();
    expect(kafka.records('out')).toHaveLength(5);
  });

  it.each([
    [{ channelBufferSize: 0 }, 'channelBufferSize'],
    [{ channelBufferSize: 2.5 }, 'channelBufferSize'],
    [{ workerShutdownTimeoutMs: -1 }, 'workerShutdownTimeoutMs'],
    [{ drainTimeoutMs: Number.NaN }, 'drainTimeoutMs'],
    [{ pollErrorBackoff: 5 as never }, 'pollErrorBackoff'],
    [{ serdeErrorHandler: {} as never }, 'serdeErrorHandler'],
    [{ processingErrorHandler: 1 as never }, 'processingErrorHandler'],
    [{ productionErrorHandler: 'x' as never }, 'productionErrorHandler'],
  ])('should refuse %j when the factory is built, naming the option', (options, name) => {
    expect(() => partitionedRunner(options)).toThrow(ConfigError);
    expect(() => partitionedRunner(options)).toThrow(new RegExp(name));
  });

  it('should tell a number given as a string from the number it reads as', () => {
    expect(() => partitionedRunner({ channelBufferSize: '200' as never })).toThrow(
      'invalid option channelBufferSize: must be an integer >= 1, got a string "200"',
    );
    expect(() => partitionedRunner({ serdeErrorHandler: 'skip' as never })).toThrow(
      'invalid option serdeErrorHandler: must be a function, got a string "skip"',
    );
  });
});
