/**
 * The serialization guide's examples (docs/serialization.md quotes each region).
 * Run it: `npx tsx examples/serialization.ts`.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as protobufjs from 'protobufjs';
import { SerdeError, Serdes, type Serde } from 'rx-kstreams';

// #region builtins
interface Order {
  id: string;
  total: number;
}

const keys = Serdes.string(); // Serde<string | null>
const orders = Serdes.json<Order>(); // Serde<Order | null>

const key = keys.serialize('orders', 'customer-7'); // <Buffer 63 75 73 ...>
const value = orders.serialize('orders', { id: 'o-1', total: 9.5 }); // '{"id":"o-1","total":9.5}'
console.log(keys.deserialize('orders', key)); // 'customer-7'
console.log(orders.deserialize('orders', value)); // { id: 'o-1', total: 9.5 }
console.log(orders.deserialize('orders', null)); // null: a tombstone stays a tombstone
// #endregion builtins

// #region validate
/** An fp-ts decoder: the parsed payload as an Order, or why it is not one. */
const decodeOrder = (u: unknown): E.Either<string, Order> =>
  typeof u === 'object' &&
  u !== null &&
  'id' in u &&
  typeof u.id === 'string' &&
  'total' in u &&
  typeof u.total === 'number'
    ? E.right({ id: u.id, total: u.total })
    : E.left('expected { id: string, total: number }');

const checkedOrders = Serdes.json({ validate: decodeOrder }); // Serde<Order | null>
try {
  checkedOrders.deserialize('orders', Buffer.from('{"id":"o-3"}'));
} catch (e) {
  console.log((e as Error).message);
  // json serde cannot deserialize a payload of topic orders: the payload does not decode: expected { id: string, total: number }
}
// #endregion validate

// #region protobuf
const shop = protobufjs.parse(`
  syntax = "proto3";
  message Order { string id = 1; double total = 2; }
`).root;
const orderProtos = Serdes.protobuf<Order>(shop.lookupType('Order')); // Serde<Order | null>

const encoded = orderProtos.serialize('orders-pb', { id: 'o-2', total: 12 });
console.log(orderProtos.deserialize('orders-pb', encoded)); // Order { id: 'o-2', total: 12 }
// #endregion protobuf

// #region errors
try {
  orders.deserialize('orders', Buffer.from('{"id":'));
} catch (e) {
  if (e instanceof SerdeError) console.log(e.topic, e.message);
  // orders json serde cannot deserialize a payload of topic orders: Unexpected end of JSON input
}
// #endregion errors

// #region custom
/** JSON checked against a type guard: a payload of another shape is a SerdeError. */
const checkedJson = <T>(typeName: string, isT: (u: unknown) => u is T): Serde<T | null> => {
  const inner = Serdes.json();
  return {
    serialize: (topic, v) => inner.serialize(topic, v),
    deserialize: (topic, data) => {
      const parsed = inner.deserialize(topic, data); // malformed JSON already throws a SerdeError
      if (parsed === null || isT(parsed)) return parsed;
      throw new SerdeError(`payload of topic ${topic} is not an ${typeName}`, { topic });
    },
  };
};

const isOrder = (u: unknown): u is Order =>
  typeof u === 'object' && u !== null && 'id' in u && typeof u.id === 'string' && 'total' in u;

const strictOrders = checkedJson('Order', isOrder);
try {
  strictOrders.deserialize('orders', Buffer.from('{"sku":"x"}'));
} catch (e) {
  console.log((e as Error).message); // payload of topic orders is not an Order
}
// #endregion custom
