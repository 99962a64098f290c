import { type Either, isRight, left, right } from 'fp-ts/lib/Either.js';
import { kindOf } from '../errors/kind-of';
import { messageOf } from '../errors/message-of';
import type { SerdeError } from '../errors/serde-error';
import { serdeFailure } from './serde-failure';
import type { StandardSchemaIssue, StandardSchemaV1 } from './standard-schema';

/**
 * A decoder in the fp-ts style: the payload as a `T`, or why it is not one.
 *
 * @example
 * const decodeAmount: Decoder<number> = (u) =>
 *   typeof u === 'number' ? E.right(u) : E.left(`expected a number, got ${typeof u}`);
 */
export type Decoder<T> = (value: unknown) => Either<string | Error, T>;

/**
 * What checks a parsed payload before a serde hands it on: a Standard Schema (a zod, valibot
 * or arktype schema, as they are) or a {@link Decoder}. It must answer synchronously.
 *
 * @example
 * const orders = Serdes.json({ validate: OrderSchema }); // Serde<z.infer<typeof OrderSchema> | null>
 */
export type Validator<T> = StandardSchemaV1<T> | Decoder<T>;

/** Checks one parsed payload of `topic`; a rejected payload is a Left SerdeError. Internal. */
export type PayloadCheck<T> = (topic: string, value: unknown) => Either<SerdeError, T>;

const isStandardSchema = <T>(validator: Validator<T>): validator is StandardSchemaV1<T> =>
  // `in`, not typeof: arktype's schemas are functions that also carry `~standard`.
  (typeof validator === 'object' || typeof validator === 'function') &&
  validator !== null &&
  '~standard' in validator;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown }).then === 'function';

const pathOf = (path: StandardSchemaIssue['path']): string =>
  (path ?? [])
    .map((segment) => (typeof segment === 'object' ? segment.key : segment))
    .map((key, i) =>
      typeof key === 'number' || typeof key === 'symbol'
        ? `[${String(key)}]`
        : `${i === 0 ? '' : '.'}${key}`,
    )
    .join('');

const issueText = (issue: StandardSchemaIssue): string => {
  const path = pathOf(issue.path);
  return path === '' ? issue.message : `${path}: ${issue.message}`;
};

const standardCheck =
  <T>(serde: string, schema: StandardSchemaV1<T>['~standard']): PayloadCheck<T> =>
  (topic, value) => {
    const rejected = (cause: unknown, reason: string): Either<SerdeError, T> =>
      left(serdeFailure(serde, 'deserialize', topic, cause, reason));
    let result;
    try {
      result = schema.validate(value);
    } catch (cause) {
      return rejected(cause, `the ${schema.vendor} schema threw: ${messageOf(cause)}`);
    }
    if (isThenable(result)) {
      // Nobody awaits it: a rejection must not surface as an unhandled one.
      result.then(undefined, () => undefined);
      return rejected(
        undefined,
        `the ${schema.vendor} schema validates asynchronously, and async validators are not ` +
          'supported in a serde (serialization is synchronous); validate in an async mapValues instead',
      );
    }
    if (result.issues === undefined) return right(result.value);
    // The cause is what the schema returned, so a handler can read the issues themselves.
    return rejected(
      result,
      `the payload does not match the ${schema.vendor} schema: ${result.issues.map(issueText).join('; ')}`,
    );
  };

const decoderCheck =
  <T>(serde: string, decoder: Decoder<T>): PayloadCheck<T> =>
  (topic, value) => {
    const rejected = (cause: unknown, reason: string): Either<SerdeError, T> =>
      left(serdeFailure(serde, 'deserialize', topic, cause, reason));
    let result;
    try {
      result = decoder(value);
    } catch (cause) {
      return rejected(cause, `the decoder threw: ${messageOf(cause)}`);
    }
    if (isRight(result)) return result;
    return rejected(result.left, `the payload does not decode: ${messageOf(result.left)}`);
  };

/**
 * The check a serde runs with `validator` on every payload it parses; a validator of
 * neither kind is a TypeError at once. Internal.
 *
 * @example
 * const check = payloadCheck('json', OrderSchema); check('orders', JSON.parse(text)); // Either
 */
export const payloadCheck = <T>(serde: string, validator: Validator<T>): PayloadCheck<T> => {
  if (isStandardSchema(validator)) return standardCheck(serde, validator['~standard']);
  if (typeof validator === 'function') return decoderCheck(serde, validator);
  throw new TypeError(
    `${serde} serde: validate expects a Standard Schema (with ~standard) or a decoder function, got ${kindOf(validator)}`,
  );
};
