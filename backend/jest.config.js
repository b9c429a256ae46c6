// Unit tests sit next to the code (src/**/*.spec.ts); integration tests that
// start real api/worker processes live in test/. All run against the real
// Postgres and Redis: globalSetup creates a fresh database for the run.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
