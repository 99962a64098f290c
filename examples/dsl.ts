/**
 * The topology DSL examples quoted in docs/dsl.md. `npm run typecheck` checks them and
 * spec/kstream/dsl-docs-spec.ts runs them. Run it: `npx tsx examples/dsl.ts`.
 */
import { lastValueFrom } from 'rxjs';
import {
  DEFAULT_BRANCH,
  filter,
  flatMapValues,
  forEach,
  mapKeys,
  mapValues,
  peek,
  process,
  type Processor,
  type ProcessorContext,
  type ProducerRecord,
  type RawRecord,
  Serdes,
  StreamsBuilder,
  to,
  type Topology,
} from 'rx-kstreams';

// #region model
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly price: number;
}

export interface Order {
  readonly id: string;
  readonly customer: string;
  readonly region: string;
  readonly lines: readonly OrderLine[];
}
// #endregion model

// #region small
export const bigOrders = (): Topology => {
  const builder = new StreamsBuilder();
  builder.stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() }).pipe(
    filter((_id, order) => order !== null && order.lines.length > 10),
    to('big-orders', { key: Serdes.string(), value: Serdes.json<Order>() }),
  );
  return builder.build();
};
// #endregion small

// #region processor
/** Counts each customer's orders. One instance per task: the counts are per input partition. */
export const customerOrderCount = (): Processor<string, Order, string, number> => {
  const counts = new Map<string, number>();
  let context: ProcessorContext<string, number>;
  return {
    init: (c) => {
      context = c;
    },
    process: (record) => {
      const count = (counts.get(record.key) ?? 0) + 1;
      counts.set(record.key, count);
      context.forward({ ...record, value: count });
    },
    close: () => counts.clear(),
  };
};
// #endregion processor

// #region topology
export const ordersTopology = (audit: (line: string) => void): Topology => {
  const builder = new StreamsBuilder();
  const json = { key: Serdes.string(), value: Serdes.json<number>() };

  const orders = builder
    .stream('orders', { key: Serdes.string(), value: Serdes.json<Order>(), name: 'orders' })
    .pipe(
      filter((_id, order): order is Order => order !== null, { name: 'drop-tombstones' }),
      mapKeys((_id, order) => order.customer, { name: 'by-customer' }),
    );

  // Fan-out: every order goes down each of the pipes below, in this order.
  orders.pipe(
    flatMapValues((order) => order.lines),
    mapValues((line) => line.quantity * line.price),
    to('line-amounts', json),
  );
  orders.pipe(process(customerOrderCount, { name: 'count' }), to('order-counts', json));

  const { eu, us, other } = orders.branch(
    {
      eu: (_customer, order) => order.region === 'eu',
      us: (_customer, order) => order.region === 'us',
      other: DEFAULT_BRANCH,
    },
    { name: 'by-region' },
  );
  eu.to('orders-eu', { key: Serdes.string(), value: Serdes.json<Order>() });
  us.pipe(
    peek(async (customer) => audit(`us order of ${customer}`)),
    to('orders-us', { key: Serdes.string(), value: Serdes.json<Order>() }),
  );
  other.pipe(forEach((customer, order) => audit(`no route for ${order.id} of ${customer}`)));

  return builder.build();
};
// #endregion topology

// #region task
/** Runs one raw record through a fresh task, as a runner does, and returns what it wrote. */
export const runRecord = async (topology: Topology, raw: RawRecord): Promise<ProducerRecord[]> => {
  const written: ProducerRecord[] = [];
  const task = topology.createTask({ id: 'orders:0', topic: 'orders', partition: 0 });
  await lastValueFrom(task.process(raw, { send: (record) => written.push(record) }), {
    defaultValue: undefined,
  });
  await task.close();
  return written;
};
// #endregion task

/** An order of customer c-1 as it comes off the wire. */
export const sampleOrder = (region: string): RawRecord => ({
  topic: 'orders',
  partition: 0,
  offset: '0',
  timestamp: 1_700_000_000_000,
  headers: {},
  key: Buffer.from('o-1'),
  value: Buffer.from(
    JSON.stringify({
      id: 'o-1',
      customer: 'c-1',
      region,
      lines: [
        { sku: 'apple', quantity: 2, price: 0.5 },
        { sku: 'pear', quantity: 1, price: 2 },
      ],
    }),
  ),
});

const main = async (): Promise<void> => {
  const topology = ordersTopology((line) => console.log(`audit: ${line}`));
  console.log(topology.describe());
  console.log(topology.toMermaid());
  for (const record of await runRecord(topology, sampleOrder('us'))) {
    console.log(record.topic, String(record.key), String(record.value));
  }
};

if (require.main === module) void main();
