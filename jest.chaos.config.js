/**
 * Chaos suite (npm run test:chaos): real app processes against a broker of its own that the
 * suite stops, kills and restarts, and a TCP proxy that cuts the apps' network.
 * CHAOS_PROFILE=short (what .ci/run uses) runs every scenario with fewer records and cuts.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/spec/chaos'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 30 * 60 * 1000,
  // A failed scenario can leave a kafkajs client retrying: the run must still end (app
  // processes are killed when it does, spec/chaos/support/app-process.ts).
  forceExit: true,
  globalSetup: '<rootDir>/spec/chaos/support/global-setup.ts',
  globalTeardown: '<rootDir>/spec/chaos/support/global-teardown.ts',
  setupFiles: ['<rootDir>/spec/chaos/support/helper-env.ts'],
  collectCoverageFrom: ['lib/**/*.ts'],
};
