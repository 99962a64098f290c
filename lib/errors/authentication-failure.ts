import type { AuthenticationMethod } from './broker-authentication-error';
import { causeChain } from './cause-chain';

/** Node's codes for a peer certificate that TLS cannot verify (not a network fault). */
const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The errors of the two clients that say the broker refused the SASL credentials. */
const SASL_ERROR_NAMES = new Set(['SaslAuthenticationError', 'KafkaJSSASLAuthenticationError']);
/** Kafka's SASL_AUTHENTICATION_FAILED. */
const SASL_AUTHENTICATION_FAILED = 58;

/**
 * Why a connection failed when the broker answered but the client could not prove itself:
 * `sasl` (credentials refused) or `tls` (the broker's certificate not trusted); undefined for
 * anything else. Looks through the error's causes, for kafkajs's and @kafkats/client's errors.
 *
 * @example
 * authenticationFailure(kafkajsError); // 'sasl' for a KafkaJSSASLAuthenticationError
 */
export const authenticationFailure = (error: unknown): AuthenticationMethod | undefined => {
  for (const { name, code, errorCode } of causeChain(error)) {
    if (typeof name === 'string' && SASL_ERROR_NAMES.has(name)) return 'sasl';
    if (errorCode === SASL_AUTHENTICATION_FAILED) return 'sasl';
    if (typeof code === 'string' && TLS_TRUST_CODES.has(code)) return 'tls';
  }
  return undefined;
};
