/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The package suite packs and installs the package into fresh apps: `npm run test:package` (CI runs it).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/package/'],
  transform: {
    // Type checking is done once by `npm run typecheck`; Jest only transpiles.
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  // jose ships ESM only, and so does the content-disposition that Mercurius' @fastify/static nests:
  // let ts-jest turn them into CommonJS for the test run.
  transformIgnorePatterns: ['/node_modules/(?!(jose|content-disposition)/)(?!@fastify/static/node_modules/content-disposition/)'],
  testTimeout: 30000,
  // A real MongoDB-protocol server for the Mongoose suites: MONGODB_URI, or a
  // mongod / FerretDB started (and, for FerretDB, built) by the setup.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
