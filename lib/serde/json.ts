import type { Serde } from './serde';
import { serdeFailure } from './serde-failure';

/** Hooks handed to `JSON.stringify` and `JSON.parse`, e.g. to carry Dates or BigInts. */
export interface JsonSerdeOptions {
  readonly replacer?: (this: unknown, key: string, value: unknown) => unknown;
  readonly reviver?: (this: unknown, key: string, value: unknown) => unknown;
}

const stringify = (value: unknown, options: JsonSerdeOptions): string => {
  const text: string | undefined = JSON.stringify(value, options.replacer);
  // JSON.stringify returns undefined (not a string) for undefined, functions and symbols.
  if (text === undefined) throw new TypeError(`${typeof value} is not representable in JSON`);
  return text;
};

/**
 * JSON in UTF-8; null stays null (a tombstone). `T` is what you promise the payloads
 * hold: the serde parses, it does not validate (wrap it in a custom serde to check the shape).
 * Malformed JSON, and values JSON cannot hold (BigInt, circular objects, undefined),
 * are SerdeErrors naming the topic and the cause.
 *
 * @example
 * interface Order { id: number; total: number }
 * const orders = Serdes.json<Order>(); // Serde<Order | null>
 * orders.serialize('orders', { id: 1, total: 9.5 }); // Buffer of '{"id":1,"total":9.5}'
 * orders.deserialize('orders', Buffer.from('{"id":1,"total":9.5}')); // { id: 1, total: 9.5 }
 */
export const json = <T = unknown>(options: JsonSerdeOptions = {}): Serde<T | null> => ({
  serialize: (topic, value) => {
    if (value === null) return null;
    try {
      return Buffer.from(stringify(value, options), 'utf8');
    } catch (cause) {
      throw serdeFailure('json', 'serialize', topic, cause);
    }
  },
  deserialize: (topic, data) => {
    if (data === null) return null;
    try {
      return JSON.parse(data.toString('utf8'), options.reviver) as T;
    } catch (cause) {
      throw serdeFailure('json', 'deserialize', topic, cause);
    }
  },
});
