import { BrokerAuthenticationError } from '../../lib/errors/broker-authentication-error';
import { authenticationFailure } from '../../lib/errors/authentication-failure';

const withCode = (message: string, code: string): Error =>
  Object.assign(new Error(message), { code });

describe('authenticationFailure', () => {
  it.each([
    [
      'a kafkajs SASL error',
      Object.assign(new Error('x'), { name: 'KafkaJSSASLAuthenticationError' }),
      'sasl',
    ],
    [
      'a @kafkats/client SASL error',
      Object.assign(new Error('x'), { name: 'SaslAuthenticationError' }),
      'sasl',
    ],
    ['Kafka error code 58', Object.assign(new Error('x'), { errorCode: 58 }), 'sasl'],
    [
      'an untrusted chain, as a cause',
      new Error('outer', { cause: withCode('self-signed', 'SELF_SIGNED_CERT_IN_CHAIN') }),
      'tls',
    ],
    ['a name mismatch', withCode('altname', 'ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    ['a refused connection', withCode('refused', 'ECONNREFUSED'), undefined],
    ['a string', 'SASL', undefined],
  ])('should tell %s', (_what, error, method) => {
    expect(authenticationFailure(error)).toBe(method);
  });
});

describe('BrokerAuthenticationError', () => {
  it('should say the credentials were refused, naming the user and not the password', () => {
    const error = new BrokerAuthenticationError({
      brokers: ['b:9096'],
      method: 'sasl',
      credentials: 'SASL SCRAM-SHA-512 as "app"',
      cause: new Error('authentication failed: password=hunter2 invalid'),
    });
    expect(error.message).toBe(
      'Kafka at b:9096 refused SASL SCRAM-SHA-512 as "app" (authentication failed: password=<redacted> invalid): check the sasl username, password and mechanism, and that the user exists on the cluster',
    );
    expect(error.name).toBe('BrokerAuthenticationError');
  });

  it('should say the certificate is not trusted and what to give', () => {
    const error = new BrokerAuthenticationError({
      brokers: [],
      method: 'tls',
      cause: new Error('self-signed certificate in certificate chain'),
    });
    expect(error.message).toMatch(
      /^the TLS certificate of Kafka at the brokers of the given Kafka instance is not trusted \(self-signed certificate in certificate chain\): give the CA/,
    );
    expect(error.method).toBe('tls');
  });
});
