import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BrokerAuthenticationError,
  mapValues,
  singleThreadedRunner,
  Serdes,
  StreamsBuilder,
} from 'rx-kstreams';
import type { RunnableTopology } from '../../../lib/topology/topology-task';
import { recordingLogger } from '../../support/recording-logger';
import { startApp } from '../../runner/support/run-app';
import {
  brokers,
  committedOffsets,
  createTopic,
  numbered,
  produce,
  readAll,
  uniqueName,
  valueOf,
} from '../support/broker';
import { clientName, testClient } from '../support/client-under-test';

/** Where the broker's TLS and SASL listeners are: `scripts/kafka.sh` with KAFKA_SECURITY=1. */
interface SecurityEnv {
  readonly tlsBrokers: string[];
  readonly saslBrokers: string[];
  readonly ca: Buffer;
  readonly untrustedCa: Buffer;
  readonly username: string;
  readonly password: string;
}

/**
 * The KAFKA_TLS_* and KAFKA_SASL_* variables, else the `security.env` that
 * `scripts/kafka.sh start` wrote beside the broker KAFKA_BROKERS names.
 */
const securityEnv = (): SecurityEnv => {
  const port = (brokers()[0] ?? '127.0.0.1:9092').split(':')[1];
  const file = join(__dirname, '..', '..', '..', '.cache', 'kafka', `run-${port}`, 'security.env');
  let vars: Record<string, string | undefined> = process.env;
  if (process.env['KAFKA_TLS_BROKERS'] === undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(
        `the security specs need a broker with TLS and SASL listeners: start it with KAFKA_SECURITY=1 npm run kafka:start (it writes ${file}), or set KAFKA_TLS_BROKERS, KAFKA_SASL_BROKERS, KAFKA_TLS_CA, KAFKA_TLS_UNTRUSTED_CA, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD; KAFKA_SECURITY=0 leaves these specs out`,
      );
    }
    vars = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  }
  const need = (name: string): string => {
    const value = vars[name];
    if (value === undefined || value === '') throw new Error(`${name} is not set`);
    return value;
  };
  return {
    tlsBrokers: need('KAFKA_TLS_BROKERS').split(','),
    saslBrokers: need('KAFKA_SASL_BROKERS').split(','),
    ca: readFileSync(need('KAFKA_TLS_CA')),
    untrustedCa: readFileSync(need('KAFKA_TLS_UNTRUSTED_CA')),
    username: need('KAFKA_SASL_USERNAME'),
    password: need('KAFKA_SASL_PASSWORD'),
  };
};

const strings = { key: Serdes.string(), value: Serdes.string() };

const upperCase = (from: string, to: string): RunnableTopology => {
  const builder = new StreamsBuilder();
  builder
    .stream(from, strings)
    .pipe(mapValues((v) => (v ?? '').toUpperCase()))
    .to(to, strings);
  return builder.build();
};

describe(`TLS and SASL on a real broker (${clientName()})`, () => {
  const security = securityEnv();

  /** Runs the topology over the given connection until every input is out and committed. */
  const copiesOver = async (connection: {
    readonly brokers: string[];
    readonly tlsCa?: Buffer;
    readonly scram?: { readonly username: string; readonly password: string };
  }): Promise<void> => {
    const input = await createTopic(2, 'secure-in');
    const output = await createTopic(1, 'secure-out');
    const records = [...numbered(0, 10), ...numbered(1, 10)];
    await produce(input, records);
    const groupId = uniqueName('secure');
    const app = startApp(
      testClient({ groupId, ...connection }),
      upperCase(input, output),
      singleThreadedRunner({ pollTimeoutMs: 100, commitIntervalMs: 200 }),
    );
    try {
      // Done when the group has committed the end of both partitions.
      const deadline = Date.now() + 30_000;
      while (JSON.stringify(await committedOffsets(groupId, input)) !== '{"0":"10","1":"10"}') {
        if (Date.now() > deadline) throw new Error('the inputs were not all committed in 30 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await app.stop();
    }
    expect((await readAll(output)).map(valueOf).sort()).toEqual(
      records.map((r) => r.value!.toUpperCase()).sort(),
    );
    expect(await committedOffsets(groupId, input)).toEqual({ 0: '10', 1: '10' });
  };

  /** What a run over a refused connection rejects with; and that it read and committed nothing. */
  const refused = async (connection: {
    readonly brokers: string[];
    readonly tlsCa?: Buffer;
    readonly scram?: { readonly username: string; readonly password: string };
  }) => {
    const input = await createTopic(1, 'refused-in');
    const output = await createTopic(1, 'refused-out');
    await produce(input, numbered(0, 5));
    const groupId = uniqueName('refused');
    const logger = recordingLogger();
    const app = startApp(
      testClient({ groupId, logger, ...connection }),
      upperCase(input, output),
      singleThreadedRunner({ logger }),
    );
    const error = await app.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(await readAll(output)).toEqual([]);
    expect(await committedOffsets(groupId, input)).toEqual({ 0: '-1' });
    return { error: error as BrokerAuthenticationError, lines: JSON.stringify(logger.entries) };
  };

  it('should run a topology over TLS', async () => {
    await copiesOver({ brokers: security.tlsBrokers, tlsCa: security.ca });
  });

  it('should run a topology with SASL/SCRAM-SHA-512', async () => {
    await copiesOver({
      brokers: security.saslBrokers,
      scram: { username: security.username, password: security.password },
    });
  });

  it('should fail, saying the credentials were refused, without the password anywhere', async () => {
    const password = `wrong-${uniqueName('pw')}`;
    const { error, lines } = await refused({
      brokers: security.saslBrokers,
      scram: { username: security.username, password },
    });
    expect(error).toBeInstanceOf(BrokerAuthenticationError);
    expect(error.method).toBe('sasl');
    expect(error.brokers).toEqual(security.saslBrokers);
    expect(error.message).toMatch(
      new RegExp(
        `^Kafka at ${security.saslBrokers[0]} refused SASL SCRAM-SHA-512 as "${security.username}" \\(.*\\): check the sasl username, password and mechanism`,
      ),
    );
    expect(`${error.message} ${String(error.stack)}`).not.toContain(password);
    expect(lines).not.toContain(password);
  });

  it('should fail, saying the certificate is not trusted, when the CA is not the one', async () => {
    const { error } = await refused({ brokers: security.tlsBrokers, tlsCa: security.untrustedCa });
    expect(error).toBeInstanceOf(BrokerAuthenticationError);
    expect(error.method).toBe('tls');
    expect(error.message).toMatch(
      new RegExp(
        `^the TLS certificate of Kafka at ${security.tlsBrokers[0]} is not trusted \\(.*self-signed certificate in certificate chain.*\\): give the CA`,
      ),
    );
  });
});
