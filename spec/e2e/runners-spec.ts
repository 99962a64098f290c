import {
  Action,
  DEFAULT_BRANCH,
  filter,
  map,
  mapValues,
  partitionedRunner,
  type PartitionedRunnerOptions,
  type RunnerFactory,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  withDLQ,
  type RawRecord,
} from 'rx-kstreams';
import { testClient } from './support/client-under-test';
import type { RunnableTopology } from '../../lib/topology/topology-task';
import { startApp, type RunningApp } from '../runner/support/run-app';
import { dlqHeaders } from '../support/dlq-headers';
import {
  committedOffsets,
  createTopic,
  numbered,
  produce,
  readAll,
  type TestRecord,
  uniqueName,
  valueOf,
  withAdmin,
} from './support/broker';

const client = (groupId: string) => testClient({ groupId });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The sum of a topic's end offsets. */
const endTotal = async (topic: string): Promise<number> =>
  withAdmin(async (admin) =>
    (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0),
  );

/** Waits until the group has committed the end of every partition of `topic`. */
const caughtUp = async (groupId: string, topic: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const end = await endTotal(topic);
    const committed = Object.values(await committedOffsets(groupId, topic)).reduce(
      (n, o) => n + Math.max(0, Number(o)),
      0,
    );
    if (committed === end) return;
    if (Date.now() > deadline)
      throw new Error(`group ${groupId} stuck at ${committed}/${end} on ${topic}`);
    await sleep(100);
  }
};

const values = (records: readonly RawRecord[]): string[] =>
  records.map((r) => valueOf(r) ?? '<null>').sort();

const strings = { key: Serdes.string(), value: Serdes.string() };

/** Builds a topology from one source topic with string serdes. */
const topologyOf = (wire: (builder: StreamsBuilder) => void): RunnableTopology => {
  const builder = new StreamsBuilder();
  wire(builder);
  return builder.build();
};

const runners: Array<[string, (options?: PartitionedRunnerOptions) => RunnerFactory]> = [
  [
    'singleThreadedRunner',
    // The single-threaded runner has no buffer of its own: the partitioned runner's options
    // that only it takes are left out (an unknown option is refused).
    ({ channelBufferSize: _buffer, workerShutdownTimeoutMs: _worker, ...o } = {}) =>
      singleThreadedRunner({ pollTimeoutMs: 100, commitIntervalMs: 200, ...o }),
  ],
  [
    'partitionedRunner',
    (o = {}) => partitionedRunner({ pollTimeoutMs: 100, commitIntervalMs: 200, ...o }),
  ],
];

describe.each(runners)('%s on a real broker', (_name, runner) => {
  const running: RunningApp[] = [];
  const start = (topology: RunnableTopology, groupId: string, factory = runner()): RunningApp => {
    const app = startApp(client(groupId), topology, factory);
    running.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.allSettled(running.splice(0).map((r) => r.stop()));
  });

  it('should run a simple map topology', async () => {
    const input = await createTopic(3, 'in');
    const output = await createTopic(3, 'out');
    const group = uniqueName('g');
    await produce(input, [...numbered(0, 20), ...numbered(1, 20), ...numbered(2, 20)]);
    const app = start(
      topologyOf((b) =>
        b
          .stream(input, strings)
          .pipe(mapValues((v) => (v ?? '').toUpperCase()))
          .to(output, strings),
      ),
      group,
    );
    await caughtUp(group, input);
    await app.stop();
    const out = await readAll(output);
    expect(values(out)).toEqual(
      [0, 1, 2].flatMap((p) => numbered(p, 20).map((r) => r.value!.toUpperCase())).sort(),
    );
  });

  it('should drop the records a filter rejects', async () => {
    const input = await createTopic(2, 'in');
    const output = await createTopic(2, 'out');
    const group = uniqueName('g');
    await produce(input, [...numbered(0, 30), ...numbered(1, 30)]);
    const even = (v: string | null): boolean => Number(v?.split('-')[1]) % 2 === 0;
    const app = start(
      topologyOf((b) =>
        b
          .stream(input, strings)
          .pipe(filter((_k, v) => even(v)))
          .to(output, strings),
      ),
      group,
    );
    await caughtUp(group, input);
    await app.stop();
    const out = await readAll(output);
    expect(out).toHaveLength(30);
    expect(out.every((r) => even(valueOf(r)))).toBe(true);
  });

  it('should chain map then filter, keeping order within each partition', async () => {
    const input = await createTopic(2, 'in');
    const output = await createTopic(2, 'out');
    const group = uniqueName('g');
    await produce(input, [...numbered(0, 25), ...numbered(1, 25)]);
    const app = start(
      topologyOf((b) =>
        b
          .stream(input, strings)
          .pipe(
            map((k, v, r) => ({ key: k, value: `${r.partition}:${v}` })),
            filter((_k, v) => !v.endsWith('-0')),
          )
          .to(output, strings),
      ),
      group,
    );
    await caughtUp(group, input);
    await app.stop();
    const out = await readAll(output);
    expect(out).toHaveLength(48);
    for (const p of [0, 1]) {
      const seq = out
        .map((r) => valueOf(r)!)
        .filter((v) => v.startsWith(`${p}:`))
        .map((v) => Number(v.split('-')[1]));
      expect([...seq].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    }
  });

  it('should branch records into several topics', async () => {
    const input = await createTopic(2, 'in');
    const [small, large, rest] = await Promise.all([
      createTopic(1, 'small'),
      createTopic(1, 'large'),
      createTopic(1, 'rest'),
    ]);
    const group = uniqueName('g');
    await produce(
      input,
      Array.from({ length: 30 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: String(i) })),
    );
    const app = start(
      topologyOf((b) => {
        const branches = b.stream(input, strings).branch({
          small: (_k, v) => Number(v) < 10,
          large: (_k, v) => Number(v) >= 20,
          rest: DEFAULT_BRANCH,
        });
        branches.small.to(small, strings);
        branches.large.to(large, strings);
        branches.rest.to(rest, strings);
      }),
      group,
    );
    await caughtUp(group, input);
    await app.stop();
    const range = (from: number, to: number): string[] =>
      Array.from({ length: to - from }, (_, i) => String(from + i)).sort();
    expect(values(await readAll(small))).toEqual(range(0, 10));
    expect(values(await readAll(large))).toEqual(range(20, 30));
    expect(values(await readAll(rest))).toEqual(range(10, 20));
  });

  it('should produce nothing from an empty input', async () => {
    const input = await createTopic(2, 'in');
    const output = await createTopic(1, 'out');
    const group = uniqueName('g');
    let processed = 0;
    const app = start(
      topologyOf((b) =>
        b
          .stream(input, strings)
          .pipe(mapValues((v) => ((processed += 1), v)))
          .to(output, strings),
      ),
      group,
    );
    await sleep(1500);
    await app.stop();
    expect(processed).toBe(0);
    expect(await endTotal(output)).toBe(0);
    expect(await committedOffsets(group, input)).toEqual({ 0: '-1', 1: '-1' });
  });

  it('should commit during processing and on shutdown, and a restarted app resumes after the last commit', async () => {
    const input = await createTopic(2, 'in');
    const output = await createTopic(2, 'out');
    const group = uniqueName('g');
    const seen: string[] = [];
    const topology = (): RunnableTopology =>
      topologyOf((b) =>
        b
          .stream(input, strings)
          .pipe(mapValues((v) => (seen.push(v ?? ''), v)))
          .to(output, strings),
      );
    await produce(input, [...numbered(0, 50), ...numbered(1, 50)]);
    const first = start(topology(), group, runner({ commitIntervalMs: 100 }));
    const deadline = Date.now() + 30_000;
    let during = 0;
    while (during === 0 && Date.now() < deadline) {
      during = Object.values(await committedOffsets(group, input)).reduce(
        (n, o) => n + Math.max(0, Number(o)),
        0,
      );
      await sleep(50);
    }
    expect(during).toBeGreaterThan(0); // committed while still running
    await caughtUp(group, input);
    await first.stop();
    expect(await committedOffsets(group, input)).toEqual({ 0: '50', 1: '50' });

    await produce(input, [...numbered(0, 10, 'p0', 50), ...numbered(1, 10, 'p1', 50)]);
    const second = start(topology(), group);
    await caughtUp(group, input);
    await second.stop();
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120); // no record processed twice
    expect(await readAll(output)).toHaveLength(120);
  });

  it('should process many partitions', async () => {
    const input = await createTopic(12, 'in');
    const output = await createTopic(4, 'out');
    const group = uniqueName('g');
    const records: TestRecord[] = Array.from({ length: 12 }, (_, p) => numbered(p, 40)).flat();
    await produce(input, records);
    const app = start(
      topologyOf((b) => b.stream(input, strings).to(output, strings)),
      group,
    );
    await caughtUp(group, input);
    await app.stop();
    expect(values(await readAll(output))).toEqual(records.map((r) => r.value!).sort());
  });

  it('should read several source topics into one output', async () => {
    const [a, b2] = await Promise.all([createTopic(2, 'in-a'), createTopic(3, 'in-b')]);
    const output = await createTopic(2, 'out');
    const group = uniqueName('g');
    await produce(a, numbered(0, 15, 'a'));
    await produce(b2, numbered(2, 15, 'b'));
    const app = start(
      topologyOf((b) => {
        b.stream(a, strings).to(output, strings);
        b.stream(b2, strings).to(output, strings);
      }),
      group,
    );
    await caughtUp(group, a);
    await caughtUp(group, b2);
    await app.stop();
    expect(values(await readAll(output))).toEqual(
      [...numbered(0, 15, 'a'), ...numbered(2, 15, 'b')].map((r) => r.value!).sort(),
    );
  });

  it('should dead-letter failing records to a real topic with the error headers', async () => {
    const input = await createTopic(1, 'in');
    const output = await createTopic(1, 'out');
    const dlq = await createTopic(1, 'dlq');
    const group = uniqueName('g');
    await produce(input, [
      { partition: 0, key: 'a', value: 'ok-1' },
      { partition: 0, key: 'b', value: 'poison', headers: { trace: 'xyz' } },
      { partition: 0, key: 'c', value: 'ok-2' },
    ]);
    const app = start(
      topologyOf((b) =>
        b
          .stream(input, strings)
          .pipe(
            mapValues(
              (v) => {
                if (v === 'poison') throw new Error('cannot price poison');
                return v;
              },
              { name: 'price' },
            ),
          )
          .to(output, strings),
      ),
      group,
      runner({ processingErrorHandler: withDLQ(dlq) }),
    );
    await caughtUp(group, input);
    await app.stop();
    expect(values(await readAll(output))).toEqual(['ok-1', 'ok-2']);
    const [dead] = await readAllWithHeaders(dlq);
    expect(dead).toBeDefined();
    expect(dead!.key?.toString()).toBe('b');
    expect(valueOf(dead!)).toBe('poison');
    expect(dead!.headers['trace']?.toString()).toBe('xyz');
    const headers = dlqHeaders(dead!.headers);
    expect(headers).toEqual({
      originalTopic: input,
      originalPartition: '0',
      originalOffset: '1',
      errorTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      errorTimestampMs: expect.stringMatching(/^\d+$/),
      errorAttempt: '1',
      errorMessage: expect.stringContaining('cannot price poison'),
      errorNode: 'price',
      errorPhase: 'processing',
    });
    expect(Date.parse(headers.errorTimestamp!)).toBe(Number(headers.errorTimestampMs));
    expect(Number(headers.errorTimestampMs)).toBeGreaterThan(0);
  });

  it('should route malformed JSON through the serde handler', async () => {
    const input = await createTopic(1, 'in');
    const output = await createTopic(1, 'out');
    const dlq = await createTopic(1, 'dlq');
    const group = uniqueName('g');
    await produce(input, [
      { partition: 0, key: 'a', value: '{"n":1}' },
      { partition: 0, key: 'b', value: '{"n":' },
      { partition: 0, key: 'c', value: '{"n":3}' },
    ]);
    const seen: string[] = [];
    const app = start(
      topologyOf((b) =>
        b
          .stream(input, { key: Serdes.string(), value: Serdes.json<{ n: number }>() })
          .pipe(mapValues((v) => ({ n: (v?.n ?? 0) * 10 })))
          .to(output, { key: Serdes.string(), value: Serdes.json() }),
      ),
      group,
      runner({
        serdeErrorHandler: (ec) => {
          seen.push(`${ec.phase}:${ec.record.offset}:${ec.nodeName}`);
          return Action.sendToDLQ(dlq);
        },
        processingErrorHandler: () => Action.fail(),
      }),
    );
    await caughtUp(group, input);
    await app.stop();
    expect(values(await readAll(output))).toEqual(['{"n":10}', '{"n":30}']);
    expect(seen).toEqual(['serde:1:SOURCE-0000000001']);
    const dead = await readAllWithHeaders(dlq);
    expect(dead.map((r) => dlqHeaders(r.headers).errorPhase)).toEqual(['serde']);
  });
});

describe.each(runners)('%s on a real broker, with the group changing', (name, runner) => {
  it('should lose nothing while a second member joins and then leaves, under continuous production', async () => {
    const input = await createTopic(6, 'in');
    const output = await createTopic(6, 'out');
    const group = uniqueName('g');
    const topology = (): RunnableTopology =>
      topologyOf((b) => b.stream(input, strings).to(output, strings));
    const factory = (): RunnerFactory => runner({ channelBufferSize: 50 });

    let produced = 0;
    let producing = true;
    const producer = (async () => {
      while (producing) {
        const batch = Array.from({ length: 60 }, (_, i) => ({
          partition: (produced + i) % 6,
          key: `k${produced + i}`,
          value: `v${produced + i}`,
        }));
        await produce(input, batch);
        produced += batch.length;
        await sleep(50);
      }
    })();

    const first = startApp(client(group), topology(), factory());
    await sleep(2000);
    const second = startApp(client(group), topology(), factory());
    await sleep(4000); // the second member joins and takes partitions while production goes on
    await second.stop(); // ... and leaves cleanly
    await sleep(2000);
    producing = false;
    await producer;
    await caughtUp(group, input);
    await first.stop();

    const out = (await readAll(output)).map((r) => valueOf(r)!);
    const unique = new Set(out);
    const duplicates = out.length - unique.size;
    const missing = Array.from({ length: produced }, (_, i) => `v${i}`).filter(
      (v) => !unique.has(v),
    );
    console.log(
      `rebalance (${name}): ${produced} inputs, ${out.length} outputs, ${missing.length} missing, ${duplicates} duplicates`,
    );
    expect(missing).toEqual([]);
    expect(duplicates).toBe(0);
  });
});

describe('partitionedRunner on a real broker, under backpressure', () => {
  it('should pause a real partition when its buffer fills, and finish every record', async () => {
    const input = await createTopic(2, 'in');
    const output = await createTopic(2, 'out');
    const group = uniqueName('g');
    await produce(input, [...numbered(0, 300), ...numbered(1, 10)]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = startApp(
      client(group),
      topologyOf((b) =>
        b
          .stream(input, strings)
          .pipe(
            mapValues(async (v, r) => {
              if (r.partition === 0) await gate;
              return v;
            }),
          )
          .to(output, strings),
      ),
      partitionedRunner({ pollTimeoutMs: 100, commitIntervalMs: 200, channelBufferSize: 10 }),
    );
    const deadline = Date.now() + 30_000;
    let paused = false;
    while (!paused && Date.now() < deadline) {
      paused = app.app.stats()?.partitions.some((p) => p.partition === 0 && p.paused) ?? false;
      await sleep(20);
    }
    expect(paused).toBe(true);
    const p0 = app.app.stats()!.partitions.find((p) => p.partition === 0)!;
    expect(p0.queueDepth).toBe(10);
    release();
    await caughtUp(group, input);
    const after = app.app.stats()!.partitions.find((p) => p.partition === 0)!;
    await app.stop();
    expect(after.paused).toBe(false);
    expect(values(await readAll(output))).toEqual(
      [...numbered(0, 300), ...numbered(1, 10)].map((r) => r.value!).sort(),
    );
  });
});

/** Reads a topic with headers (the helper's readAll drops them). */
const readAllWithHeaders = async (topic: string): Promise<RawRecord[]> => {
  const consumer = testClient({ groupId: uniqueName('read') }).createConsumer();
  await consumer.connect();
  await consumer.subscribe([topic], { onAssigned: () => undefined, onRevoked: () => undefined });
  const end = await endTotal(topic);
  const out: RawRecord[] = [];
  const deadline = Date.now() + 30_000;
  try {
    while (out.length < end && Date.now() < deadline)
      out.push(...(await consumer.poll({ maxRecords: 500, timeoutMs: 200 })));
  } finally {
    await consumer.close();
  }
  return out;
};
