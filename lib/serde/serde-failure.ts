// fp-ts 2 has no exports map: Node's ESM loader reaches its CommonJS modules by full path only.
import { type Either, isLeft } from 'fp-ts/lib/Either.js';
import { SerdeError } from '../errors/serde-error';
import { messageOf } from '../errors/message-of';

/** Which way a serde was going when it failed. */
export type SerdeDirection = 'serialize' | 'deserialize';

/**
 * Builds the SerdeError every built-in serde throws: the message names the serde,
 * the direction, the topic and the reason (by default the cause's message), e.g.
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
  reason: string = messageOf(cause),
): SerdeError => {
  const what = direction === 'serialize' ? 'a value for' : 'a payload of';
  return new SerdeError(`${serde} serde cannot ${direction} ${what} topic ${topic}: ${reason}`, {
    topic,
    cause,
  });
};

/**
 * A decoding result the way `deserialize` hands it over: the value, or its SerdeError
 * thrown (the Serde interface throws; the decoding inside a serde returns an Either). Internal.
 *
 * @example
 * deserialize: (topic, data) => rightOrThrow(decodePayload(topic, data)),
 */
export const rightOrThrow = <T>(result: Either<SerdeError, T>): T => {
  if (isLeft(result)) throw result.left;
  return result.right;
};
