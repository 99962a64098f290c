import { BrokerAuthenticationError } from '../../errors/broker-authentication-error';
import { BrokerConnectionError } from '../../errors/broker-connection-error';
import { authenticationFailure } from '../../errors/authentication-failure';

/** The kafkajs errors of a connection that could not be made (or kept while connecting). */
const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

interface KafkajsErrorShape {
  readonly name?: unknown;
  readonly cause?: unknown;
  readonly retryCount?: unknown;
  readonly type?: unknown;
}

const shape = (error: unknown): KafkajsErrorShape =>
  typeof error === 'object' && error !== null ? (error as KafkajsErrorShape) : {};

/**
 * The error a failed `connect()` rejects with: refused SASL credentials or an untrusted TLS
 * certificate become a {@link BrokerAuthenticationError} saying which; kafkajs's "could not
 * connect" errors (also when they come wrapped in `KafkaJSNumberOfRetriesExceeded`) a
 * {@link BrokerConnectionError} naming the brokers, how long and how often; others stay.
 *
 * @example
 * await kafkajsConsumer.connect().catch((e) => { throw connectError(e, brokers, startedAt); });
 */
export const connectError = (
  error: unknown,
  brokers: readonly string[],
  startedAt: number,
  now: number = Date.now(),
  credentials?: string,
): unknown => {
  const method = authenticationFailure(error);
  if (method !== undefined) {
    return new BrokerAuthenticationError({ brokers, method, credentials, cause: error });
  }
  const outer = shape(error);
  const inner = outer.name === 'KafkaJSNumberOfRetriesExceeded' ? shape(outer.cause) : outer;
  if (!CONNECTION_ERRORS.has(inner.name as string)) return error;
  const retries = outer.retryCount;
  return new BrokerConnectionError({
    brokers,
    attempts: typeof retries === 'number' ? retries + 1 : undefined,
    elapsedMs: now - startedAt,
    cause: error,
  });
};

/** True for kafkajs's "this server does not host this topic-partition". */
export const isUnknownTopic = (error: unknown): boolean => {
  const outer = shape(error);
  const inner = outer.name === 'KafkaJSNonRetriableError' ? shape(outer.cause) : outer;
  return inner.type === 'UNKNOWN_TOPIC_OR_PARTITION' || outer.type === 'UNKNOWN_TOPIC_OR_PARTITION';
};
