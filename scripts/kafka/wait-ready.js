// Waits until a Kafka broker answers kafkajs admin describeCluster(), or fails after a timeout.
// Used by scripts/kafka.sh; env: KAFKA_BROKERS (comma-separated), KAFKA_READY_TIMEOUT_S.
'use strict';
const path = require('path');
const { Kafka, logLevel } = require(
  require.resolve('kafkajs', { paths: [path.resolve(__dirname, '..', '..')] }),
);

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const timeoutMs = Number(process.env.KAFKA_READY_TIMEOUT_S || '90') * 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const kafka = new Kafka({
    clientId: 'rx-kstreams-wait-ready',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch (error) {
      lastError = error;
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  console.error(
    `[kafka] no answer from ${brokers.join(',')} within ${timeoutMs / 1000}s: ${lastError ? lastError.message : 'no controller'}`,
  );
  process.exit(1);
}

main().catch((error) => {
  console.error(`[kafka] ${error && error.message}`);
  process.exit(1);
});
