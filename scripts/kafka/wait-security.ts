// Waits until a broker started with KAFKA_SECURITY=1 is ready, or fails after a timeout: it
// answers on PLAINTEXT as wait-ready.ts checks it (when KAFKA_BROKERS is set), accepts a TLS
// login (verified against the throwaway CA) and a SASL SCRAM-SHA-512 login. Used by
// scripts/kafka.sh instead of wait-ready.ts, so one Node process does all three.
// env: KAFKA_SECURITY_ENV (the security.env the script wrote), KAFKA_BROKERS, KAFKA_READY_TIMEOUT_S.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type Admin, type KafkaConfig } from 'kafkajs';

const envFile = process.env['KAFKA_SECURITY_ENV'] ?? '';
const plaintext = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter((b) => b !== '');
const timeoutMs = Number(process.env['KAFKA_READY_TIMEOUT_S'] ?? '90') * 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// KEY=value lines; a value may be single-quoted (with '\'' for a quote), as kafka.sh writes them.
const readEnv = (file: string): Map<string, string> => {
  const env = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const raw = line.slice(eq + 1);
    const value =
      raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1).replaceAll("'\\''", "'") : raw;
    env.set(line.slice(0, eq), value);
  }
  return env;
};

const required = (env: Map<string, string>, key: string): string => {
  const value = env.get(key);
  if (value === undefined || value === '') throw new Error(`${key} missing in ${envFile}`);
  return value;
};

interface Check {
  name: string;
  config: KafkaConfig;
  // Resolves when the broker answers as wanted, throws (a reason) when not yet.
  probe: (admin: Admin) => Promise<void>;
}

const answers = async (admin: Admin): Promise<void> => {
  await admin.describeCluster();
};

// As wait-ready.ts: a controller, and __consumer_offsets made (the first coordinator lookup
// creates it) so the first test's group join does not wait for it.
const ready = async (admin: Admin): Promise<void> => {
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length === 0 || cluster.controller === null) {
    throw new Error('no controller yet');
  }
  await admin.describeGroups(['rx-kstreams-warm-up']);
};

const attempt = async ({ config, probe }: Check): Promise<void> => {
  const admin = new Kafka({
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    authenticationTimeout: 5000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    ...config,
  }).admin();
  try {
    await admin.connect();
    await probe(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

const main = async (): Promise<void> => {
  const env = readEnv(envFile);
  const tls = required(env, 'KAFKA_TLS_BROKERS');
  const sasl = required(env, 'KAFKA_SASL_BROKERS');
  const checks: Check[] = [
    {
      name: `TLS login on ${tls}`,
      config: {
        clientId: 'rx-kstreams-wait-tls',
        brokers: [tls],
        ssl: { ca: [readFileSync(required(env, 'KAFKA_TLS_CA'))] },
      },
      probe: answers,
    },
    {
      name: `SASL login on ${sasl}`,
      config: {
        clientId: 'rx-kstreams-wait-sasl',
        brokers: [sasl],
        sasl: {
          mechanism: 'scram-sha-512',
          username: required(env, 'KAFKA_SASL_USERNAME'),
          password: required(env, 'KAFKA_SASL_PASSWORD'),
        },
      },
      probe: answers,
    },
  ];
  if (plaintext.length > 0) {
    checks.push({
      name: `answer from ${plaintext.join(',')}`,
      config: { clientId: 'rx-kstreams-wait-ready', brokers: plaintext },
      probe: ready,
    });
  }
  const deadline = Date.now() + timeoutMs;
  const waitFor = async (check: Check): Promise<void> => {
    for (;;) {
      let problem: string;
      try {
        await attempt(check);
        return;
      } catch (e) {
        problem = describe(e);
      }
      if (Date.now() >= deadline) {
        throw new Error(`no ${check.name} within ${timeoutMs / 1000}s: ${problem}`);
      }
      await sleep(250);
    }
  };
  await Promise.all(checks.map(waitFor));
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`[kafka] ${describe(e)}\n`);
    process.exit(1);
  },
);
