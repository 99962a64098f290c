import { messageOf } from './message-of';

/** How a client proved itself to the broker, and failed: SASL credentials or TLS trust. */
export type AuthenticationMethod = 'sasl' | 'tls';

/** What a {@link BrokerAuthenticationError} knows. */
export interface BrokerAuthenticationErrorDetails {
  /** The bootstrap brokers tried, `host:port`; empty when the client was handed a ready instance. */
  readonly brokers: readonly string[];
  readonly method: AuthenticationMethod;
  /** For SASL: the mechanism and user (`SASL SCRAM-SHA-512 as "app"`), never the password. */
  readonly credentials?: string | undefined;
  /** The client's own error. */
  readonly cause: unknown;
}

/**
 * What an error may say about SASL credentials: the mechanism and the user, never the secret.
 *
 * @example
 * describeSaslLogin({ mechanism: 'scram-sha-512', username: 'app', password: 'x' }); // 'SASL SCRAM-SHA-512 as "app"'
 */
export const describeSaslLogin = (sasl: {
  readonly mechanism: string;
  readonly username?: unknown;
}): string =>
  `SASL ${sasl.mechanism.toUpperCase()}${typeof sasl.username === 'string' ? ` as "${sasl.username}"` : ''}`;

/** Secrets a client's message might carry: `password=...`-like pairs are cut out. */
const withoutSecrets = (text: string): string =>
  text.replace(/(password|secret|token)(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1$2<redacted>');

/**
 * The broker answered but the client could not prove itself: the SASL credentials were refused
 * (`method: 'sasl'`) or the broker's TLS certificate is not trusted by the CAs given
 * (`method: 'tls'`). Not retried: the same credentials fail the same way. The message says
 * which, names the brokers and what to check, and never holds a password.
 *
 * @example
 * app.runWith(signal, runner).catch((e) => {
 *   if (e instanceof BrokerAuthenticationError && e.method === 'sasl') rotateCredentials();
 * });
 */
export class BrokerAuthenticationError extends Error {
  override readonly name = 'BrokerAuthenticationError';
  readonly brokers: readonly string[];
  readonly method: AuthenticationMethod;

  constructor(details: BrokerAuthenticationErrorDetails) {
    const where =
      details.brokers.length === 0
        ? 'the brokers of the given Kafka instance'
        : details.brokers.join(', ');
    const reason = withoutSecrets(messageOf(details.cause));
    super(
      details.method === 'sasl'
        ? `Kafka at ${where} refused ${details.credentials ?? 'the SASL credentials'} (${reason}): check the sasl username, password and mechanism, and that the user exists on the cluster`
        : `the TLS certificate of Kafka at ${where} is not trusted (${reason}): give the CA that signed the broker's certificate (tls.ca), and check that the address matches the certificate`,
      { cause: details.cause },
    );
    this.brokers = details.brokers;
    this.method = details.method;
  }
}
