/** Real-broker suite: needs a Kafka broker (npm run kafka:start, or KAFKA_BROKERS). */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/spec/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  collectCoverageFrom: ['lib/**/*.ts'],
};
