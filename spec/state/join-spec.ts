import {
  Application,
  ConfigError,
  InMemoryKafka,
  partitionedRunner,
  type RunnerFactory,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  TopologyError,
  type Topology,
} from 'rx-kstreams';
import { testTopology } from 'rx-kstreams/marbles';
import { startApp } from '../runner/support/run-app';
import { caughtUp, eventually } from '../runner/support/scripted-topology';

const fast = { pollTimeoutMs: 5, commitIntervalMs: 0 };
const strings = { key: Serdes.string(), value: Serdes.string() };
const prices = { key: Serdes.string(), value: Serdes.json<number>() };

/** Orders (item → quantity) joined with the items' prices: the order's cost, or why not. */
const pricedOrders = (): Topology => {
  const builder = new StreamsBuilder();
  const table = builder.table('prices', prices);
  const orders = builder.stream('orders', { key: Serdes.string(), value: Serdes.json<number>() });
  orders
    .join(table, (quantity, price, item) => `${item}: ${quantity * price}`)
    .to('costs', strings);
  orders
    .leftJoin(table, (quantity, price) => (price === null ? `no price for ${quantity}` : 'priced'))
    .to('checked', strings);
  return builder.build();
};

describe('stream–table joins', () => {
  it('should join each order with its item’s price as the table is then; a left join keeps the rest', () => {
    testTopology(pricedOrders(), ({ input, expectOutput }) => {
      input('prices', '-a-----b---t|', {
        a: { key: 'pen', value: '2' },
        b: { key: 'pen', value: '3' },
        t: { key: 'pen', value: null },
      });
      input('orders', '---x-y---z---w|', {
        x: { key: 'pen', value: '5' },
        y: { key: 'ink', value: '1' },
        z: { key: 'pen', value: '5' },
        w: { key: 'pen', value: '1' },
      });
      // Updates to the table join nothing; a tombstone takes the price away.
      expectOutput('costs', '---x-----z----|', {
        x: { key: 'pen', value: 'pen: 10' },
        z: { key: 'pen', value: 'pen: 15' },
      });
      expectOutput('checked', '---x-y---z---w|', {
        x: { key: 'pen', value: 'priced' },
        y: { key: 'ink', value: 'no price for 1' },
        z: { key: 'pen', value: 'priced' },
        w: { key: 'pen', value: 'no price for 1' },
      });
    });
  });

  it('should drop a record with a null value from both joins, and one with a null key from the inner join', () => {
    testTopology(pricedOrders(), ({ input, expectOutput }) => {
      input('prices', '-a|', { a: { key: 'pen', value: '2' } });
      input('orders', '--n-v|', { n: { key: null, value: '4' }, v: { key: 'pen', value: null } });
      expectOutput('costs', '-----|');
      expectOutput('checked', '--n--|', { n: { key: null, value: 'no price for 4' } });
    });
  });

  it('should show the join connected to the table’s store, and the topics co-partitioned', () => {
    const topology = pricedOrders();
    expect(topology.describe()).toMatch(/\(kind: JOIN, stores: \[prices-table\]\)/);
    expect(topology.describe()).toMatch(/\(kind: LEFTJOIN, stores: \[prices-table\]\)/);
    expect(topology.coPartitionedTopics).toEqual([['prices', 'orders']]);
  });

  it('should refuse a table without a store, one of another builder, and a joiner that is not a function', () => {
    const builder = new StreamsBuilder();
    const orders = builder.stream('orders', strings);
    const derived = builder.table('prices', strings).mapValues((v) => v.length);
    expect(() => orders.join(derived, (o, p) => `${o}${p}`)).toThrow(
      /the table of node \S+ is not kept in a store/,
    );
    const other = new StreamsBuilder().table('rates', strings);
    expect(() => orders.leftJoin(other, (o) => o)).toThrow(
      /leftJoin takes a KTable of the same builder/,
    );
    const table = builder.table('more-prices', strings);
    expect(() => orders.join(table, 'joined' as never)).toThrow(TopologyError);
  });
});

/** Prices and orders of 3 partitions: a round robin over both topics would split partition 0. */
const kafkaWithPrices = (ordersPartitions = 3): InMemoryKafka => {
  const kafka = new InMemoryKafka();
  kafka.createTopic('prices', { partitions: 3 });
  kafka.createTopic('orders', { partitions: ordersPartitions });
  for (const topic of ['costs', 'checked']) kafka.createTopic(topic, { partitions: 4 });
  kafka.produce(
    'prices',
    Array.from({ length: 20 }, (_, i) => ({ key: `item-${i}`, value: String(i) })),
  );
  return kafka;
};

const orders = (n: number, start = 0) =>
  Array.from({ length: n }, (_, i) => ({ key: `item-${(start + i) % 20}`, value: '2' }));

/** item-i costs i, so 2 of it cost 2i: every order's cost, in output order per item. */
const expectedCosts = (n: number, start = 0): string[] =>
  orders(n, start).map((o) => `${o.key}: ${2 * Number(o.key.slice(5))}`);

const costsOf = (kafka: InMemoryKafka): string[] =>
  kafka.records('costs').map((r) => String(r.value));

describe.each<[string, RunnerFactory]>([
  ['singleThreadedRunner', singleThreadedRunner(fast)],
  ['partitionedRunner', partitionedRunner(fast)],
])('stream–table joins on the in-memory Kafka (%s)', (_name, runner) => {
  it('should join every order once its prices are in, on two instances that own partition N of both topics', async () => {
    const kafka = kafkaWithPrices();
    const a = startApp(kafka.client({ groupId: 'shop' }), pricedOrders(), runner);
    await eventually(() => caughtUp(kafka, 'shop', 'prices'), 5000, 'the prices read');
    kafka.produce('orders', orders(40));
    await eventually(() => caughtUp(kafka, 'shop', 'orders'), 5000, 'the first orders');
    const b = startApp(kafka.client({ groupId: 'shop' }), pricedOrders(), runner);
    await eventually(
      () => (b.app.stats()?.partitions.filter((p) => p.restore?.done).length ?? 0) >= 2,
      5000,
      'the second instance restored its half',
    );
    const owned = (app: Application): string[] =>
      (app.stats()?.partitions ?? []).map((p) => `${p.topic}:${p.partition}`).sort();
    kafka.produce('orders', orders(40, 40));
    await eventually(() => caughtUp(kafka, 'shop', 'orders'), 5000, 'the second orders');
    const [onA, onB] = [owned(a.app), owned(b.app)];
    await Promise.all([a.stop(), b.stop()]);

    // Partition N of both topics on one instance: the store of partition N is one, shared.
    for (const owns of [onA, onB]) {
      const numbers = (topic: string) =>
        owns.filter((tp) => tp.startsWith(`${topic}:`)).map((tp) => tp.split(':')[1]);
      expect(numbers('orders')).toEqual(numbers('prices'));
    }
    expect(onA.length + onB.length).toBe(6);
    expect(Math.min(onA.length, onB.length)).toBe(2);
    expect(costsOf(kafka).sort()).toEqual([...expectedCosts(40), ...expectedCosts(40, 40)].sort());
    expect(kafka.records('checked').every((r) => String(r.value) === 'priced')).toBe(true);
  });
});

describe('stream–table joins: co-partitioning', () => {
  it('should refuse topics with different partition counts before joining the group', async () => {
    const kafka = kafkaWithPrices(2);
    const app = new Application(kafka.client({ groupId: 'shop' }), pricedOrders());
    const run = app.runWith(undefined, singleThreadedRunner(fast));
    await expect(run).rejects.toThrow(ConfigError);
    await expect(app.runWith(undefined, singleThreadedRunner(fast))).rejects.toThrow(
      /the topics prices \(3\), orders \(2\) share state stores \(a join\)/,
    );
    expect(kafka.committedOffsets('shop')).toEqual({});
  });
});
