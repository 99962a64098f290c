/**
 * Real-broker suite: needs a Kafka broker (npm run kafka:start, or KAFKA_BROKERS).
 * KAFKA_CLIENT (kafkajs, the default, or kafkats) picks the client adapter the shared specs
 * run on; the specs of one adapter's own behaviour run with that adapter only. The TLS and
 * SASL specs need a broker started with KAFKA_SECURITY=1 (npm run kafka:start does);
 * KAFKA_SECURITY=0 leaves them out (a cluster without those listeners).
 */
const base = require('./jest.config.js');

const client = process.env.KAFKA_CLIENT ?? 'kafkajs';
if (client !== 'kafkajs' && client !== 'kafkats') {
  throw new Error(`KAFKA_CLIENT must be kafkajs or kafkats, got ${JSON.stringify(client)}`);
}
const otherClient = client === 'kafkajs' ? 'kafkats' : 'kafkajs';

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/spec/e2e'],
  testPathIgnorePatterns: [
    '/node_modules/',
    `/spec/e2e/${otherClient}/`,
    ...(process.env.KAFKA_SECURITY === '0' ? ['/spec/e2e/security/'] : []),
  ],
  testTimeout: 120000,
  collectCoverageFrom: ['lib/**/*.ts'],
};
