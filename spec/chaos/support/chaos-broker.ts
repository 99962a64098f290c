import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The chaos suite's own broker: ports of its own, its data in a kept directory so it can be
 * stopped, killed and started again on the same data, and a second listener that advertises
 * the TCP proxy, so apps that bootstrap through the proxy reach the broker only through it.
 * The suite's helpers (producer, readers, admin) use the direct listener and are never cut.
 */
export const CHAOS_BROKER = {
  port: Number(process.env['CHAOS_KAFKA_PORT'] ?? 19092),
  controllerPort: Number(process.env['CHAOS_KAFKA_CONTROLLER_PORT'] ?? 19093),
  proxiedPort: Number(process.env['CHAOS_KAFKA_PROXIED_PORT'] ?? 19094),
  proxyPort: Number(process.env['CHAOS_PROXY_PORT'] ?? 19095),
  dataDir: process.env['CHAOS_KAFKA_DATA_DIR'] ?? '/tmp/rx-kstreams-chaos-kafka',
};

/** Where the suite's helpers connect: the broker itself. */
export const directBrokers = (): string[] => [`127.0.0.1:${CHAOS_BROKER.port}`];

/** Where apps connect when their network is to be cut: the proxy. */
export const proxiedBrokers = (): string[] => [`127.0.0.1:${CHAOS_BROKER.proxyPort}`];

const SCRIPT = resolve(__dirname, '../../../scripts/kafka.sh');

const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  KAFKA_PORT: String(CHAOS_BROKER.port),
  KAFKA_CONTROLLER_PORT: String(CHAOS_BROKER.controllerPort),
  KAFKA_DATA_DIR: CHAOS_BROKER.dataDir,
  KAFKA_PROXIED_PORT: String(CHAOS_BROKER.proxiedPort),
  KAFKA_PROXIED_ADVERTISED: `127.0.0.1:${CHAOS_BROKER.proxyPort}`,
});

/** Runs `scripts/kafka.sh <command>` for the chaos broker; resolves with how long it took. */
export const kafkaScript = (command: 'start' | 'stop' | 'kill' | 'status'): Promise<number> => {
  const started = Date.now();
  return new Promise((done, fail) => {
    execFile('bash', [SCRIPT, command], { env: env() }, (error, stdout, stderr) => {
      if (error !== null) {
        fail(new Error(`kafka.sh ${command} failed: ${error.message}\n${stdout}\n${stderr}`));
      } else {
        done(Date.now() - started);
      }
    });
  });
};
