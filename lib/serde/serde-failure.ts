import { SerdeError } from '../errors/serde-error';

/** Which way a serde was going when it failed. */
export type SerdeDirection = 'serialize' | 'deserialize';

const reasonOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

/**
 * Builds the SerdeError every built-in serde throws: the message names the serde,
 * the direction, the topic and the cause, e.g.
 * `json serde cannot deserialize a payload of topic orders: Unexpected end of JSON input`.
 * Internal: not re-exported from the package.
 *
 * @example
 * throw serdeFailure('json', 'deserialize', 'orders', new SyntaxError('Unexpected end of JSON input'));
 */
export const serdeFailure = (
  serde: string,
  direction: SerdeDirection,
  topic: string,
  cause: unknown,
): SerdeError => {
  const what = direction === 'serialize' ? 'a value for' : 'a payload of';
  return new SerdeError(
    `${serde} serde cannot ${direction} ${what} topic ${topic}: ${reasonOf(cause)}`,
    {
      topic,
      cause,
    },
  );
};

/**
 * Names what a value is, for messages about input of the wrong type:
 * `null`, `an array`, `a Uint8Array`, `a number`...
 *
 * @example
 * kindOf(42); // 'a number'
 */
export const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
};
