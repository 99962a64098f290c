/**
 * The state DSL's types: a grouping's key is what the selector returns, an aggregate's type
 * what its initializer makes, a join's joiner sees the stream's value and the table's without
 * their nulls (a null value is never joined; the inner join never sees a missing table
 * value), and the left join sees `null` for a key the table lacks.
 */
import type { Observable } from 'rxjs';
import {
  type Application,
  type KGroupedStream,
  type KStream,
  type KTable,
  Serdes,
  type StoreChange,
  StreamsBuilder,
} from 'rx-kstreams';
import { assertType, type Equal, value } from './expect-type';

interface Order {
  readonly item: string;
  readonly quantity: number;
}

const builder = new StreamsBuilder();
const orders = builder.stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() });
const prices = builder.table('prices', { key: Serdes.string(), value: Serdes.json<number>() });
assertType<Equal<typeof prices, KTable<string | null, number | null>>>();

// groupBy: the new key's type is the selector's (null dropped before the repartition topic).
const byItem = orders.groupBy((_id, order) => order?.item ?? null, {
  key: Serdes.string(),
  value: Serdes.json<Order>(),
});
assertType<Equal<typeof byItem, KGroupedStream<string, Order | null>>>();
const _quantities = byItem.aggregate(
  () => 0,
  (_item, order, total) => total + (order?.quantity ?? 0),
  { store: 'quantities', value: Serdes.json<number>() },
);
assertType<Equal<typeof _quantities, KTable<string, number>>>();

// groupBy needs the serdes the repartition topic is written with.
// @ts-expect-error: no value serde
orders.groupBy((_id, order) => order?.item ?? null, { key: Serdes.string() });

// join: neither the order nor the price is null in the joiner.
const _costs = orders.join(prices, (order, price, _item) => {
  assertType<Equal<typeof order, Order>>();
  assertType<Equal<typeof price, number>>();
  assertType<Equal<typeof _item, string | null>>();
  return order.quantity * price;
});
assertType<Equal<typeof _costs, KStream<string | null, number>>>();

// leftJoin: the price may be missing.
orders.leftJoin(prices, (order, price) => {
  assertType<Equal<typeof price, number | null>>();
  return price === null ? 0 : order.quantity * price;
});

// A table's changes, typed as asked.
const _changes = value<Application>().changes<string, number>('prices-table');
assertType<Equal<typeof _changes, Observable<StoreChange<string, number>>>>();
