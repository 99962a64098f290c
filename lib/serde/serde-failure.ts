import { SerdeError } from '../errors/serde-error';
import { messageOf } from '../errors/message-of';

/** Which way a serde was going when it failed. */
export type SerdeDirection = 'serialize' | 'deserialize';

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
    `${serde} serde cannot ${direction} ${what} topic ${topic}: ${messageOf(cause)}`,
    {
      topic,
      cause,
    },
  );
};
