import { type Either, left, right } from 'fp-ts/lib/Either.js';
import { messageOf } from '../errors/message-of';
import { SerdeError } from '../errors/serde-error';
import type { Serde } from './serde';

/**
 * Deserializes with any serde and returns the outcome instead of throwing it: a payload
 * that does not decode is a `Left` SerdeError (a custom serde's other errors become its
 * `cause`), for code that reads payloads itself, e.g. a header or an embedded message.
 *
 * @example
 * const order = decode(Serdes.json<Order>(), 'orders', record.value);
 * if (E.isLeft(order)) log.warn(order.left.message); else ship(order.right);
 */
export const decode = <T>(
  serde: Serde<T>,
  topic: string,
  data: Buffer | null,
): Either<SerdeError, T> => {
  try {
    return right(serde.deserialize(topic, data));
  } catch (cause) {
    if (cause instanceof SerdeError) return left(cause);
    return left(
      new SerdeError(`cannot deserialize a payload of topic ${topic}: ${messageOf(cause)}`, {
        topic,
        cause,
      }),
    );
  }
};
