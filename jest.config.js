/** Four suites: unit (stubs allowed), e2e and resilience (real redis-server), cluster (real Redis Cluster). */
const project = (name, match, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: [`<rootDir>/test/${name}/**/*.${match}.ts`],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  ...extra,
});

module.exports = {
  projects: [
    project('unit', 'spec'),
    project('e2e', 'e2e-spec'),
    project('cluster', 'e2e-spec'),
    project('resilience', 'e2e-spec'),
  ],
  testTimeout: 30_000,
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts'],
};
