import type { Serde } from './serde';
import { rightOrThrow, serdeFailure } from './serde-failure';
import { payloadCheck, type Validator } from './validator';
import { checkKnownKeys } from '../errors/known-keys';

/**
 * Hooks handed to `JSON.stringify` and `JSON.parse`, e.g. to carry Dates or BigInts, and
 * the validator every payload read must pass.
 */
export interface JsonSerdeOptions<T = unknown> {
  readonly replacer?: ((this: unknown, key: string, value: unknown) => unknown) | undefined;
  readonly reviver?: ((this: unknown, key: string, value: unknown) => unknown) | undefined;
  /**
   * Checks every parsed payload (tombstones aside) and gives the `T` it stands for: a
   * Standard Schema (zod, valibot, arktype...) or an fp-ts {@link Decoder}. A payload it
   * rejects is a SerdeError naming the topic and the issues. Values written are not
   * checked: their type is `T` already, and a transforming schema reads a different shape.
   */
  readonly validate?: Validator<T> | undefined;
}

const stringify = (value: unknown, replacer: JsonSerdeOptions['replacer']): string => {
  const text: string | undefined = JSON.stringify(value, replacer);
  // JSON.stringify returns undefined (not a string) for undefined, functions and symbols.
  if (text === undefined) throw new TypeError(`${typeof value} is not representable in JSON`);
  return text;
};

// A plain try/catch rather than fp-ts's tryCatch: this runs for every record, and the
// closures tryCatch and pipe need tripled the cost of parsing a 200-byte order.
const parse = (topic: string, data: Buffer, reviver: JsonSerdeOptions['reviver']): unknown => {
  try {
    return JSON.parse(data.toString('utf8'), reviver);
  } catch (cause) {
    throw serdeFailure('json', 'deserialize', topic, cause);
  }
};

/**
 * JSON in UTF-8; null stays null (a tombstone). Without `validate`, `T` is what you promise
 * the payloads hold: the serde parses, it does not check. With `validate` (a Standard Schema
 * or an fp-ts decoder), every payload read is checked and `T` is what the validator gives.
 * Malformed JSON, a payload the validator rejects, and values JSON cannot hold (BigInt,
 * circular objects, undefined) are SerdeErrors naming the topic and the cause.
 *
 * @example
 * interface Order { id: number; total: number }
 * const orders = Serdes.json<Order>(); // Serde<Order | null>
 * orders.serialize('orders', { id: 1, total: 9.5 }); // Buffer of '{"id":1,"total":9.5}'
 * orders.deserialize('orders', Buffer.from('{"id":1,"total":9.5}')); // { id: 1, total: 9.5 }
 * const checked = Serdes.json({ validate: OrderSchema }); // a zod schema: Serde<z.infer<...> | null>
 */
export const json = <T = unknown>(options: JsonSerdeOptions<T> = {}): Serde<T | null> => {
  checkKnownKeys<JsonSerdeOptions<T>>('Serdes.json', options, {
    replacer: true,
    reviver: true,
    validate: true,
  });
  const check = options.validate === undefined ? undefined : payloadCheck('json', options.validate);
  return {
    serialize: (topic, value) => {
      if (value === null) return null;
      try {
        return Buffer.from(stringify(value, options.replacer), 'utf8');
      } catch (cause) {
        throw serdeFailure('json', 'serialize', topic, cause);
      }
    },
    deserialize: (topic, data) => {
      if (data === null) return null;
      const parsed = parse(topic, data, options.reviver);
      // Unchecked (the hot path) the parse is the result; checked, the validator's Either.
      return check === undefined ? (parsed as T) : rightOrThrow(check(topic, parsed));
    },
  };
};
