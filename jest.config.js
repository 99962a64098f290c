/** Unit, marble and in-memory integration suites. The real-broker suite has its own config. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec', '<rootDir>/marbles'],
  testMatch: ['**/*-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/e2e/', '<rootDir>/spec/chaos/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: {
    '^rx-kstreams$': '<rootDir>/lib/index.ts',
    '^rx-kstreams/kafkajs$': '<rootDir>/lib/kafkajs.ts',
    '^rx-kstreams/kafkats$': '<rootDir>/lib/kafkats.ts',
    '^rx-kstreams/marbles$': '<rootDir>/marbles/index.ts',
  },
  collectCoverageFrom: [
    'lib/**/*.ts',
    '!lib/kafka/kafkajs/**',
    '!lib/kafkajs.ts',
    '!lib/kafka/kafkats/**',
    '!lib/kafkats.ts',
  ],
  coverageReporters: ['text-summary', 'json-summary'],
};
