import {
  Action,
  Application,
  ConfigError,
  DEFAULT_BRANCH,
  DLQ_HEADERS,
  filter,
  InMemoryKafka,
  mapValues,
  partitionedRunner,
  process as processWith,
  type ProcessorContext,
  Serdes,
  shutdownSignal,
  singleThreadedRunner,
  StreamsBuilder,
  withDLQ,
  withMaxAttempts,
  fixedBackoff,
} from 'rx-kstreams';
import { recordingLogger } from '../support/recording-logger';
import { startApp } from './support/run-app';
import { tappedClient } from './support/tapped-client';
import { caughtUp, eventually, forwardTo, scriptedTopology } from './support/scripted-topology';

interface Order {
  id: number;
  amount: number;
  status: string;
}

const orderTopology = () => {
  const builder = new StreamsBuilder();
  const priced = builder
    .stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() })
    .pipe(
      filter((_k, o): o is Order => o !== null && o.status !== 'cancelled'),
      mapValues((o) => {
        if (o.amount < 0) throw new Error(`negative amount in order ${o.id}`);
        return { ...o, total: o.amount * 2 };
      }),
    );
  const { big, small } = priced.branch({ big: (_k, o) => o.total >= 100, small: DEFAULT_BRANCH });
  big.to('orders.big', { key: Serdes.string(), value: Serdes.json() });
  small.to('orders.small', { key: Serdes.string(), value: Serdes.json() });
  return builder.build();
};

const order = (id: number, amount: number, status = 'new') => ({
  key: `c${id % 7}`,
  value: JSON.stringify({ id, amount, status }),
});

const tolerant = {
  serdeErrorHandler: () => Action.continue(),
  processingErrorHandler: () => Action.continue(),
};

describe('Application', () => {
  it.each([
    [
      'partitionedRunner',
      () => partitionedRunner({ ...tolerant, pollTimeoutMs: 5, commitIntervalMs: 0 }),
    ],
    [
      'singleThreadedRunner',
      () => singleThreadedRunner({ ...tolerant, pollTimeoutMs: 5, commitIntervalMs: 0 }),
    ],
  ])(
    'should run a filter → mapValues → branch → to topology on the %s with serde and processing errors handled',
    async (_name, factory) => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('orders', { partitions: 4 });
      const inputs = [
        ...Array.from({ length: 100 }, (_, i) => order(i, i)),
        order(100, 10, 'cancelled'),
        order(101, -5),
        { key: 'c1', value: '{"id": 102, "amount":' },
      ];
      kafka.produce('orders', inputs);
      const run = startApp(kafka.client({ groupId: 'app' }), orderTopology(), factory());
      const app = run.app;
      void app;
      await eventually(() => caughtUp(kafka, 'app', 'orders'));
      await run.stop();
      expect(kafka.records('orders.big')).toHaveLength(50);
      expect(kafka.records('orders.small')).toHaveLength(50);
      expect(
        kafka.records('orders.big').every((r) => JSON.parse(r.value!.toString()).total >= 100),
      ).toBe(true);
    },
  );

  it('should send malformed JSON to the DLQ through the serde handler and failing records after retries', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('orders', [order(1, 80), { key: 'c1', value: 'not json' }, order(2, -1)]);
    const run = startApp(
      kafka.client({ groupId: 'app' }),
      orderTopology(),
      partitionedRunner({
        pollTimeoutMs: 5,
        commitIntervalMs: 0,
        serdeErrorHandler: withDLQ('orders.dlq'),
        processingErrorHandler: withMaxAttempts(2, fixedBackoff(1), withDLQ('orders.dlq')),
      }),
    );
    await eventually(() => caughtUp(kafka, 'app', 'orders'));
    await run.stop();
    const dead = kafka.records('orders.dlq');
    expect(dead.map((r) => r.headers[DLQ_HEADERS.errorPhase]?.toString())).toEqual([
      'serde',
      'processing',
    ]);
    expect(dead[0]!.value?.toString()).toBe('not json');
    expect(dead[0]!.headers[DLQ_HEADERS.errorNode]?.toString()).toBe('SOURCE-0000000001');
    expect(dead[1]!.headers[DLQ_HEADERS.errorAttempt]?.toString()).toBe('2');
    expect(dead[1]!.headers[DLQ_HEADERS.errorNode]?.toString()).toMatch(/^MAPVALUES-/);
    expect(kafka.records('orders.big')).toHaveLength(1);
  });

  it('should stop on close() and settle the run', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', [{ value: 'x' }]);
    const app = new Application(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
    );
    const done = app.runWith(undefined, partitionedRunner({ pollTimeoutMs: 5 }));
    await eventually(() => kafka.records('out').length === 1);
    app.close();
    await expect(done).resolves.toBeUndefined();
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '1' } });
  });

  it('should refuse a second run while running', async () => {
    const kafka = new InMemoryKafka();
    const app = new Application(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
    );
    const done = app.runWith(undefined, partitionedRunner({ pollTimeoutMs: 5 }));
    await expect(app.run()).rejects.toThrow(/already running/);
    app.close();
    await done;
  });

  it('should return at once, without joining the group, when the signal is already aborted', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', [{ value: 'x' }]);
    let consumers = 0;
    const client = tappedClient(kafka.client({ groupId: 'g' }), {
      consumer: () => void (consumers += 1),
    });
    const app = new Application(client, scriptedTopology(['in'], forwardTo('out')));
    await app.run(AbortSignal.abort());
    expect(consumers).toBe(0);
    expect(kafka.committedOffsets('g')).toEqual({});
  });

  it('should give processors the runner’s logger', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', [{ value: 'x' }]);
    const logger = recordingLogger();
    let context: ProcessorContext<unknown, unknown> | undefined;
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .pipe(
        processWith(() => ({
          init: (c: ProcessorContext<unknown, unknown>) => {
            context = c;
          },
          process: (record: { offset: string }) => {
            context?.logger.info('processing', { offset: record.offset });
          },
        })),
      )
      .forEach(() => undefined);
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      builder.build(),
      partitionedRunner({ pollTimeoutMs: 5, logger }),
    );
    await eventually(() => logger.messages().includes('processing'));
    await run.stop();
    expect(logger.entries.find((e) => e.message === 'processing')?.fields).toEqual({ offset: '0' });
  });

  it('should refuse a client or topology that is not one', () => {
    const kafka = new InMemoryKafka();
    const topology = scriptedTopology(['in'], forwardTo('out'));
    expect(() => new Application({} as never, topology)).toThrow(ConfigError);
    expect(() => new Application(kafka.client({ groupId: 'g' }), {} as never)).toThrow(/topology/);
  });

  it('should reject the run with the fatal error after a handler chose fail', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('orders', [order(1, -1)]);
    const run = startApp(
      kafka.client({ groupId: 'app' }),
      orderTopology(),
      partitionedRunner({ pollTimeoutMs: 5, errorHandler: () => Action.fail() }),
    );
    await expect(run.done).rejects.toThrow(/negative amount in order 1/);
  });
});

describe('Application failures at start', () => {
  it('should reject the run when a task cannot be created for an assigned partition', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', [{ value: 'x' }]);
    const broken = new Error('supplier failed');
    const topology = {
      sourceTopics: ['in'],
      createTask: () => {
        throw broken;
      },
    };
    const app = new Application(kafka.client({ groupId: 'g' }), topology);
    await expect(app.runWith(undefined, partitionedRunner({ pollTimeoutMs: 5 }))).rejects.toBe(
      broken,
    );
    expect(kafka.groupState('g')).toEqual([]);
  });

  it('should reject the run and release the clients when connecting fails', async () => {
    const kafka = new InMemoryKafka();
    const closed: string[] = [];
    const client = tappedClient(kafka.client({ groupId: 'g' }), {
      consumer: (consumer) => {
        consumer.connect = () => Promise.reject(new Error('no broker'));
        const close = consumer.close.bind(consumer);
        consumer.close = () => (closed.push('consumer'), close());
      },
      producer: (producer) => {
        const close = producer.close.bind(producer);
        producer.close = () => (closed.push('producer'), close());
      },
    });
    const app = new Application(client, scriptedTopology(['in'], forwardTo('out')));
    await expect(app.run()).rejects.toThrow('no broker');
    expect(closed.sort()).toEqual(['consumer', 'producer']);
  });
});

describe('shutdownSignal', () => {
  it('should abort on the first signal, force on the second, then remove its handlers', () => {
    const before = process.listenerCount('SIGUSR2');
    const signal = shutdownSignal(['SIGUSR2']);
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    expect(signal.aborted).toBe(false);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(signal.aborted).toBe(true);
    expect(signal.force.aborted).toBe(false);
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(signal.force.aborted).toBe(true);
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
