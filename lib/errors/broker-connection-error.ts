import { messageOf } from './message-of';

/** What a {@link BrokerConnectionError} knows. */
export interface BrokerConnectionErrorDetails {
  /** The bootstrap brokers tried, `host:port`; empty when the client was handed a ready instance. */
  readonly brokers: readonly string[];
  /** Connection attempts made, when the client says. */
  readonly attempts?: number | undefined;
  /** How long the client tried, in ms. */
  readonly elapsedMs: number;
  /** The client's own error. */
  readonly cause: unknown;
}

/**
 * The client could not connect to any bootstrap broker: nothing listens there, the address
 * is black-holed, or the broker refused the client. The message names the brokers, how long
 * and how often the client tried, and what to check; the client's error is the `cause`.
 *
 * @example
 * app.runWith(signal, runner).catch((e) => {
 *   if (e instanceof BrokerConnectionError) console.error(e.brokers, e.message);
 * });
 */
export class BrokerConnectionError extends Error {
  override readonly name = 'BrokerConnectionError';
  readonly brokers: readonly string[];
  readonly attempts: number | undefined;
  readonly elapsedMs: number;

  constructor(details: BrokerConnectionErrorDetails) {
    const where =
      details.brokers.length === 0
        ? 'the brokers of the given Kafka instance'
        : details.brokers.join(', ');
    const tries =
      details.attempts === undefined
        ? `for ${(details.elapsedMs / 1000).toFixed(1)} s`
        : `${details.attempts} ${details.attempts === 1 ? 'attempt' : 'attempts'} in ${(details.elapsedMs / 1000).toFixed(1)} s`;
    super(
      `cannot connect to Kafka at ${where} (${messageOf(details.cause)}; ${tries}): check the brokers option, and that a broker is running there and reachable from this host`,
      { cause: details.cause },
    );
    this.brokers = details.brokers;
    this.attempts = details.attempts;
    this.elapsedMs = details.elapsedMs;
  }
}
