import type { ProducerRecord, RawRecord } from '../../lib/index';

/** An input record of every throughput benchmark: an order of about 200 bytes of JSON. */
export interface Order {
  readonly id: number;
  readonly customer: string;
  readonly amount: number;
  readonly currency: 'EUR' | 'USD' | 'GBP';
  readonly status: 'new' | 'paid' | 'shipped' | 'cancelled';
  readonly items: number;
  readonly createdAt: string;
  readonly channel: 'web' | 'app' | 'store';
  readonly note: string;
}

/** An output record: the order with its total including tax. */
export interface PricedOrder extends Order {
  readonly total: number;
}

/** The benchmark's filter: every contender keeps exactly these orders (about 90 %). */
export const keep = (order: Order | null): order is Order =>
  order !== null && order.status !== 'cancelled';

/** The benchmark's map: every contender computes exactly this. */
export const price = (order: Order): PricedOrder => ({
  ...order,
  total: Math.round(order.amount * 120) / 100,
});

/** N orders as Kafka would carry them: a customer key and a JSON value. */
export interface OrderData {
  readonly count: number;
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /** How many of them `keep` keeps: the outputs every contender must write. */
  readonly kept: number;
  /** Mean length of a value in bytes. */
  readonly meanBytes: number;
}

const CUSTOMERS = Array.from({ length: 500 }, (_, i) => `customer-${String(i).padStart(4, '0')}`);
const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;
const CHANNELS = ['web', 'app', 'store'] as const;
const NOTE = 'leave at the back door; ring twice';

/**
 * Deterministic orders (the same on every run and for every contender), about 200 bytes
 * each; one in ten is cancelled.
 *
 * @example
 * const data = makeOrders(1_000_000); // data.values[0].length ≈ 200
 */
export const makeOrders = (count: number, seed = 42): OrderData => {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const keys: string[] = new Array<string>(count);
  const values: string[] = new Array<string>(count);
  let kept = 0;
  let bytes = 0;
  const start = Date.UTC(2025, 0, 1);
  for (let id = 0; id < count; id += 1) {
    const customer = CUSTOMERS[Math.floor(random() * CUSTOMERS.length)]!;
    const cancelled = random() < 0.1;
    const order: Order = {
      id,
      customer,
      amount: Math.round(random() * 100_000) / 100,
      currency: CURRENCIES[id % 3]!,
      status: cancelled ? 'cancelled' : random() < 0.5 ? 'paid' : 'new',
      items: 1 + Math.floor(random() * 9),
      createdAt: new Date(start + id * 1000).toISOString(),
      channel: CHANNELS[id % 3]!,
      note: NOTE,
    };
    if (keep(order)) kept += 1;
    keys[id] = customer;
    values[id] = JSON.stringify(order);
    bytes += values[id]!.length;
  }
  return { count, keys, values, kept, meanBytes: count > 0 ? bytes / count : 0 };
};

/**
 * What the hand-written loops over the client port do per record, as the topology does:
 * decode the string key and JSON value, keep or drop, price, encode; headers and timestamp
 * carried over. Undefined for a dropped record.
 *
 * @example
 * const out = pricedRecord(record, 'orders.priced'); if (out) acks.push(producer.send(out));
 */
export const pricedRecord = (record: RawRecord, output: string): ProducerRecord | undefined => {
  const key = record.key === null ? null : record.key.toString('utf8');
  const order = record.value === null ? null : (JSON.parse(record.value.toString('utf8')) as Order);
  if (!keep(order)) return undefined;
  return {
    topic: output,
    key: key === null ? null : Buffer.from(key, 'utf8'),
    value: Buffer.from(JSON.stringify(price(order)), 'utf8'),
    headers: record.headers,
    timestamp: record.timestamp,
  };
};
