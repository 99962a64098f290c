import type { Serde } from './serde';
import { kindOf } from '../errors/kind-of';
import { serdeFailure } from './serde-failure';

/**
 * What Kafka carries: a Buffer, or null (a tombstone). A source without a serde reads keys
 * and values as `Bytes`, and a sink without a serde writes them only if they are `Bytes`.
 *
 * @example
 * const raw: KStream<Bytes, Bytes> = builder.stream('raw-events');
 * raw.to('raw-copy'); // no serdes needed: the key and the value are bytes already
 */
export type Bytes = Buffer | null;

/**
 * Whether `T` is bytes (a type `Serdes.bytes()` writes): `true` for `Buffer`, `null` and
 * `Buffer | null` (and `never`), `false` for anything else, unions with a non-bytes member
 * included. Internal: what `to(topic)` and `KStream.to(topic)` decide serdes are optional by.
 *
 * @example
 * type Yes = IsBytes<Buffer | null>; // true
 * type No = IsBytes<string | null>; // false
 */
export type IsBytes<T> = [T] extends [Bytes] ? true : false;

/**
 * Passes bytes through unchanged; null stays null (a tombstone). The default when a
 * stream or sink names no serde. Serializing anything but a Buffer or null is a SerdeError.
 *
 * @example
 * builder.stream('raw-events', { value: Serdes.bytes() }); // KStream<..., Buffer | null>
 */
export const bytes = (): Serde<Bytes> => ({
  serialize: (topic, value) => {
    if (value === null || Buffer.isBuffer(value)) return value;
    throw serdeFailure(
      'bytes',
      'serialize',
      topic,
      `expected a Buffer or null, got ${kindOf(value)}`,
    );
  },
  deserialize: (_topic, data) => data,
});
