/**
 * The examples of docs/testing.md, run as tests. The guide quotes each region of this file
 * (checked by the last test), so its code is type-checked and known to pass.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { TestScheduler } from 'rxjs/testing';
import {
  Action,
  Application,
  filter,
  InMemoryKafka,
  mapValues,
  ProcessingError,
  Serdes,
  singleThreadedRunner,
  type StreamRecord,
  StreamsBuilder,
  to,
  type Topology,
  withDLQ,
} from 'rx-kstreams';
import { testTopology } from 'rx-kstreams/marbles';

// #region topology
interface Order {
  id: number;
  total: number;
}

/** Reads orders, keeps those over 100, writes their ids. */
const bigOrderIds = (): Topology => {
  const builder = new StreamsBuilder();
  builder.stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() }).pipe(
    filter((_key, order) => order !== null && order.total > 100),
    mapValues((order) => {
      if (order!.id < 0) throw new Error(`bad id ${order!.id}`);
      return order!.id;
    }),
    to('big-order-ids', { key: Serdes.string(), value: Serdes.json<number>() }),
  );
  return builder.build();
};
// #endregion topology

describe('the testing guide', () => {
  // #region basic
  it('should write the ids of big orders', () => {
    testTopology(bigOrderIds(), ({ input, expectOutput }) => {
      input('orders', '-a-b-c-|', {
        a: { key: 'k1', value: '{"id":1,"total":50}' },
        b: { key: 'k2', value: '{"id":2,"total":500}' },
        c: { key: 'k3', value: null }, // a tombstone: filtered out
      });
      expectOutput('big-order-ids', '---x---|', { x: { key: 'k2', value: '2' } });
    });
  });
  // #endregion basic

  // #region serdes
  it('should take typed inputs and decode typed outputs', () => {
    testTopology(bigOrderIds(), ({ input, expectOutput }) => {
      input(
        'orders',
        '-a-b|',
        {
          a: { key: 'k1', value: { id: 1, total: 900 } },
          b: { key: 'k2', value: { id: 2, total: 200 }, partition: 1, headers: { trace: 't-2' } },
        },
        { key: Serdes.string(), value: Serdes.json<Order>() },
      );
      expectOutput(
        'big-order-ids',
        '-x-y|',
        {
          x: { key: 'k1', value: 1, headers: {} },
          y: { key: 'k2', value: 2, headers: { trace: 't-2' } },
        },
        { value: Serdes.json<number>() },
      );
    });
  });
  // #endregion serdes

  // #region failure
  it('should stop at a malformed order', () => {
    testTopology(bigOrderIds(), ({ input, expectOutput }) => {
      input('orders', '-a-b-c|', {
        a: { key: 'k1', value: '{"id":1,"total":500}' },
        b: { key: 'k2', value: '{oops' },
        c: { key: 'k3', value: '{"id":3,"total":500}' },
      });
      expectOutput(
        'big-order-ids',
        '-x-#',
        { x: { key: 'k1', value: '1' } },
        {
          error: expect.objectContaining({ name: 'SerdeError', topic: 'orders', offset: '1' }),
        },
      );
    });
  });
  // #endregion failure

  // #region handlers
  it('should dead-letter an order whose callback throws', () => {
    testTopology(
      bigOrderIds(),
      ({ input, expectOutput }) => {
        input('orders', '-a-b|', {
          a: { key: 'k1', value: '{"id":-1,"total":500}' },
          b: { key: 'k2', value: '{"id":2,"total":500}' },
        });
        expectOutput('big-order-ids', '---x|', { x: { key: 'k2', value: '2' } });
        expectOutput('orders.dlq', '-d--|', {
          d: {
            key: 'k1',
            value: '{"id":-1,"total":500}',
            headers: expect.objectContaining({
              'x-original-offset': '0',
              'x-error-phase': 'processing',
              'x-error-node': 'MAPVALUES-0000000003',
            }),
          },
        });
      },
      { processingErrorHandler: withDLQ('orders.dlq') },
    );
  });

  it('should retry in virtual time, then fail', () => {
    testTopology(
      bigOrderIds(),
      ({ input, expectOutput }) => {
        input('orders', '-a|', { a: { key: 'k1', value: '{"id":-1,"total":500}' } });
        expectOutput('big-order-ids', '- 200ms #', undefined, {
          error: expect.any(ProcessingError),
        });
      },
      { errorHandler: (ec) => (ec.attempt < 3 ? Action.retry(100) : Action.fail()) },
    );
  });
  // #endregion handlers

  // #region output-topics
  it('should dead-letter nothing when every order is good', () => {
    testTopology(
      bigOrderIds(),
      ({ input, expectOutput }) => {
        input('orders', '-a|', { a: { key: 'k1', value: '{"id":1,"total":500}' } });
        expectOutput('big-order-ids', '-x|', { x: { key: 'k1', value: '1' } });
        expectOutput('orders.dlq', '--|');
      },
      { processingErrorHandler: withDLQ('orders.dlq'), outputTopics: ['orders.dlq'] },
    );
  });
  // #endregion output-topics

  // #region production
  it('should write an output the broker refused once, and commit the order', () => {
    const { committedOffsets } = testTopology(
      bigOrderIds(),
      ({ input, expectOutput, refuseSends }) => {
        refuseSends('big-order-ids', 1);
        input('orders', '-a|', { a: { key: 'k2', value: '{"id":2,"total":500}' } });
        expectOutput('big-order-ids', '- 10ms (x|)', { x: { key: 'k2', value: '2' } });
      },
      { productionErrorHandler: () => Action.retry(10) },
    );
    expect(committedOffsets).toEqual({ orders: { 0: '1' } });
  });
  // #endregion production

  // #region operator
  it('should test an operator on its own', () => {
    const total = (offset: string, value: number): StreamRecord<string, number> => ({
      key: 'k',
      value,
      topic: 'totals',
      partition: 0,
      offset,
      timestamp: 0,
      headers: {},
    });
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(
      ({ cold, expectObservable }) => {
        const totals = cold('-a-b-|', { a: total('0', 50), b: total('1', 500) });
        const big = totals.pipe(filter((_key, value) => value > 100));
        expectObservable(big).toBe('---b-|', { b: total('1', 500) });
      },
    );
  });
  // #endregion operator

  // #region eventually
  /** Waits, in real time, until `done()` holds; fails after `timeoutMs`. */
  const eventually = async (done: () => boolean, timeoutMs = 5_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  // #endregion eventually

  // #region in-memory
  it('should commit every order once the big ones are written', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('orders', { partitions: 2 });
    kafka.produce('orders', [
      { key: 'k1', value: '{"id":1,"total":50}', partition: 0 },
      { key: 'k2', value: '{"id":2,"total":500}', partition: 1 },
    ]);
    const app = new Application(kafka.client({ groupId: 'billing' }), bigOrderIds());
    const stop = new AbortController();
    const running = app.run(stop.signal);

    await eventually(() => kafka.records('big-order-ids').length === 1);
    stop.abort();
    await running;

    expect(kafka.records('big-order-ids').map((r) => r.value?.toString())).toEqual(['2']);
    expect(kafka.committedOffsets('billing')).toEqual({ orders: { 0: '1', 1: '1' } });
  });

  it('should write an output once after the broker refused it', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('orders', [{ key: 'k2', value: '{"id":2,"total":500}' }]);
    kafka.injectProduceErrors(1, { topic: 'big-order-ids' });
    const app = new Application(kafka.client({ groupId: 'billing' }), bigOrderIds());
    const stop = new AbortController();
    const running = app.runWith(
      stop.signal,
      singleThreadedRunner({ productionErrorHandler: () => Action.retry(10) }),
    );

    await eventually(() => kafka.records('big-order-ids').length > 0);
    stop.abort();
    await running;

    expect(kafka.records('big-order-ids')).toHaveLength(1);
  });
  // #endregion in-memory

  it('should be quoted by docs/testing.md region by region', () => {
    const source = readFileSync(__filename, 'utf8');
    const regions = [
      ...source.matchAll(/\/\/ #region (\S+)\n([\s\S]*?)\n *\/\/ #endregion \1/g),
    ].map(([, , body]) => dedent(body!));
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'testing.md'), 'utf8');
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)\n```/g)].map(([, body]) => body!);

    expect(blocks).toEqual(regions);
  });
});

const dedent = (text: string): string => {
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.search(/\S/)));
  return lines.map((l) => l.slice(indent)).join('\n');
};
