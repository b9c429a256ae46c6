// Unit tests of the console's plain TypeScript (parsers, helpers); the pages are covered by the browser test in backend/test/e2e.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
};
