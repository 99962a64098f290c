/**
 * `to(topic)` and `KStream.to(topic)` without serdes compile only for bytes (`Buffer |
 * null`, what a sink without a serde writes); for any other key or value type the compiler
 * asks for that serde. `StreamsBuilder.stream` is held to the same: without serdes a source
 * reads bytes, whatever type it is told to give.
 */
import { of } from 'rxjs';
import {
  filter,
  type KStream,
  mapValues,
  Serdes,
  type StreamRecord,
  StreamsBuilder,
  type TerminalOperator,
  type TerminalStream,
  to,
  type ToOptions,
} from 'rx-kstreams';
import type { Bytes } from '../../lib/serde/bytes';
import type {
  KeySerdeRequired,
  SerdesRequired,
  ToArguments,
  ValueSerdeRequired,
} from '../../lib/kstream/operators/to';
import { assertType, type Equal, value } from './expect-type';

interface Order {
  readonly id: string;
  readonly region: string;
}

const raw = value<KStream<Buffer | null, Buffer | null>>();
const orders = value<KStream<string, Order>>();
const rawKeyed = value<KStream<Buffer | null, Order>>();
const rawValued = value<KStream<string, Buffer | null>>();

// Bytes need no serde: the key and value go out as they are.
raw.pipe(to('raw-copy'));
raw.to('raw-copy');
raw.to('raw-copy', { name: 'copy' });
raw.pipe(
  filter((_key, payload) => payload !== null),
  to('raw-copy'),
);
value<KStream<Buffer, null>>().to('buffers'); // each member of Buffer | null is bytes
value<KStream<Buffer | null, Buffer | null>>().to((key) => (key === null ? 'a' : 'b'));

// @ts-expect-error a string key and an Order value need serdes
orders.pipe(to('out'));
// @ts-expect-error the same through the shorthand
orders.to('out');
// @ts-expect-error the value is still an Order: its serde is missing
orders.to('out', { key: Serdes.string() });
// @ts-expect-error the key is still a string: its serde is missing
orders.pipe(to('out', { value: Serdes.json<Order>() }));
// @ts-expect-error a name is not a serde
orders.to('out', { name: 'sink' });
// @ts-expect-error a string serde cannot write an Order
orders.to('out', { key: Serdes.string(), value: Serdes.string() });
orders.to('out', { key: Serdes.string(), value: Serdes.json<Order>() });
orders.pipe(
  filter((_id, order) => order.region !== ''),
  to((_id, order) => `orders-${order?.region ?? 'none'}`, {
    key: Serdes.string(),
    value: Serdes.json<Order>(),
  }),
);

// Only what is not bytes needs a serde.
rawKeyed.to('out', { value: Serdes.json<Order>() });
// @ts-expect-error the Order value needs its serde
rawKeyed.to('out');
rawValued.pipe(to('out', { key: Serdes.string() }));
// @ts-expect-error the string key needs its serde
rawValued.pipe(to('out'));
orders.pipe(
  mapValues((order) => Buffer.from(order.id)),
  to('ids', { key: Serdes.string() }),
);

// A union with one member that is not bytes is not bytes; neither is `unknown`, nor a
// Uint8Array (the bytes serde writes Buffers only).
// @ts-expect-error string | null keys need a serde
value<KStream<string | null, Buffer | null>>().to('out');
// @ts-expect-error unknown keys and values need serdes
value<KStream<unknown, unknown>>().to('out');
// @ts-expect-error a Uint8Array is not a Buffer
value<KStream<Uint8Array, Buffer>>().to('out');

// Explicit type arguments are held to the same.
// @ts-expect-error a string key needs a serde
to<string, number>('out', { value: Serdes.json<number>() });
export const numbers: TerminalOperator<string, number> = to<string, number>('out', {
  key: Serdes.string(),
  value: Serdes.json<number>(),
});
export const bytesOut: TerminalOperator<Bytes, Bytes> = to<Bytes, Bytes>('out');

// As a plain RxJS operator, the records' types decide too.
const record = value<StreamRecord<string, string>>();
of(record).pipe(to('out', { key: Serdes.string(), value: Serdes.string() }));
// @ts-expect-error string keys and values need serdes
of(record).pipe(to('out'));

// The arguments after the topic, as the types pick them.
assertType<Equal<ToArguments<Bytes, Bytes>, [options?: ToOptions<Bytes, Bytes>]>>();
assertType<Equal<ToArguments<Bytes, Order>, [serdes: ValueSerdeRequired<Bytes, Order>]>>();
assertType<Equal<ToArguments<string, Bytes>, [serdes: KeySerdeRequired<string, Bytes>]>>();
assertType<Equal<ToArguments<string, Order>, [serdes: SerdesRequired<string, Order>]>>();
assertType<Equal<ReturnType<typeof orders.to>, TerminalStream>>();

// Sources: without serdes a source reads bytes, so only a type bytes fit may be asked for.
const builder = new StreamsBuilder();
export const plain = builder.stream('raw');
assertType<Equal<typeof plain, KStream<Buffer | null, Buffer | null>>>();
export const typed = builder.stream('orders', {
  key: Serdes.string(),
  value: Serdes.json<Order>(),
});
assertType<Equal<typeof typed, KStream<string | null, Order | null>>>();
export const keyOnly = builder.stream('keyed', { key: Serdes.string() });
assertType<Equal<typeof keyOnly, KStream<string | null, Buffer | null>>>();
export const unknowns: KStream<unknown, unknown> = builder.stream('anything');
// @ts-expect-error the source would read Buffers, not strings and Orders
export const lied: KStream<string, Order> = builder.stream('orders');
// @ts-expect-error the same with type arguments
builder.stream<string, Order>('orders');
// @ts-expect-error the value serde is missing
builder.stream<string | null, Order | null>('orders', { key: Serdes.string() });
builder.stream<string | null, Order | null>('orders', {
  key: Serdes.string(),
  value: Serdes.json<Order>(),
});
