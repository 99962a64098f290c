import { BrokerAuthenticationError } from '../../errors/broker-authentication-error';
import { BrokerConnectionError } from '../../errors/broker-connection-error';
import { authenticationFailure } from '../../errors/authentication-failure';
import { causeChain } from '../../errors/cause-chain';

/** Kafka's error codes that mean "the group is rebalancing: commit again after the rejoin". */
const REBALANCE_CODES = new Set([
  22, // ILLEGAL_GENERATION
  25, // UNKNOWN_MEMBER_ID
  27, // REBALANCE_IN_PROGRESS
]);

/** True for a @kafkats/client error whose Kafka error code means the group is rebalancing. */
export const isRebalanceCode = (error: unknown): boolean =>
  causeChain(error).some(
    (e) => typeof e.errorCode === 'number' && REBALANCE_CODES.has(e.errorCode),
  );

/** What {@link kafkatsConnectError} says about where it tried. */
export interface ConnectContext {
  readonly brokers: readonly string[];
  /** Says who tried to log in (SASL mechanism and user; never the password). */
  readonly credentials?: string | undefined;
}

/**
 * The error a failed `connect()` rejects with: refused SASL credentials or an untrusted TLS
 * certificate become a {@link BrokerAuthenticationError} saying which; @kafkats/client's "could
 * not reach a bootstrap broker" a {@link BrokerConnectionError} naming the brokers and how long;
 * others stay.
 *
 * @example
 * await client.connect().catch((e) => { throw kafkatsConnectError(e, { brokers }, startedAt); });
 */
export const kafkatsConnectError = (
  error: unknown,
  context: ConnectContext,
  startedAt: number,
  now: number = Date.now(),
): unknown => {
  const method = authenticationFailure(error);
  if (method !== undefined) {
    return new BrokerAuthenticationError({
      brokers: context.brokers,
      method,
      credentials: context.credentials,
      cause: error,
    });
  }
  const unreachable = causeChain(error).some(
    (e) =>
      e.name === 'ConnectionError' ||
      e.name === 'TimeoutError' ||
      (typeof e.message === 'string' &&
        e.message.startsWith('Failed to connect to any bootstrap broker')),
  );
  if (!unreachable) return error;
  return new BrokerConnectionError({
    brokers: context.brokers,
    elapsedMs: now - startedAt,
    cause: error,
  });
};
