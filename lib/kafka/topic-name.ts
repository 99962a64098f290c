import * as O from 'fp-ts/lib/Option.js';
import { ConfigError } from '../errors/config-error';
import { describeValue } from '../errors/kind-of';

/** The longest topic name Kafka accepts. */
export const MAX_TOPIC_NAME_LENGTH = 249;

/**
 * What Kafka would refuse in a topic name, as a phrase that completes "topic "x" ..."; none
 * for a legal name. Kafka takes 1 to 249 of the characters `a-z A-Z 0-9 . _ -`, and not `.`
 * or `..` alone.
 *
 * @example
 * topicNameProblem('orders.v1'); // none
 * topicNameProblem('my orders'); // some('has characters Kafka does not allow (" "); ...')
 */
export const topicNameProblem = (name: string): O.Option<string> => {
  if (name.length === 0) return O.some('is empty');
  if (name === '.' || name === '..') return O.some('is "." or "..", which Kafka does not allow');
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return O.some(`is ${name.length} characters long; Kafka allows ${MAX_TOPIC_NAME_LENGTH}`);
  }
  const illegal = [...new Set(name.replace(/[a-zA-Z0-9._-]/g, ''))];
  if (illegal.length === 0) return O.none;
  return O.some(
    `has characters Kafka does not allow (${illegal.map((c) => JSON.stringify(c)).join(', ')}); use only letters, digits, ".", "_" and "-"`,
  );
};

/**
 * `topic` if Kafka would take it as a topic name; else a ConfigError naming `option` and
 * what is wrong with the name.
 *
 * @example
 * requireTopicName('withDLQ topic', 'orders dlq');
 * // ConfigError: invalid option withDLQ topic: "orders dlq" has characters Kafka does not allow (" "); ...
 */
export const requireTopicName = (option: string, topic: unknown): string => {
  if (typeof topic !== 'string') {
    throw new ConfigError(option, `must be a topic name, got ${describeValue(topic)}`);
  }
  const illegal = topicNameProblem(topic);
  if (O.isSome(illegal)) throw new ConfigError(option, `"${topic}" ${illegal.value}`);
  return topic;
};
