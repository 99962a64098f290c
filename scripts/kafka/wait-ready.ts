// Waits until a Kafka broker answers kafkajs admin describeCluster(), or fails after a timeout.
// Used by scripts/kafka.sh; env: KAFKA_BROKERS (comma-separated), KAFKA_READY_TIMEOUT_S.
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const timeoutMs = Number(process.env['KAFKA_READY_TIMEOUT_S'] ?? '90') * 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const main = async (): Promise<void> => {
  const kafka = new Kafka({
    clientId: 'rx-kstreams-wait-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer';
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) {
        // The first group coordinator lookup creates __consumer_offsets; wait for it here
        // so the first test's group join does not.
        await admin.describeGroups(['rx-kstreams-warm-up']);
        return;
      }
      lastProblem = 'no controller yet';
    } catch (e) {
      lastProblem = describe(e);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  throw new Error(
    `no answer from ${brokers.join(',')} within ${timeoutMs / 1000}s: ${lastProblem}`,
  );
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`[kafka] ${describe(e)}\n`);
    process.exit(1);
  },
);
