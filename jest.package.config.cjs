// The package suite: `npm pack`, then fresh applications that install the
// tarball with and without the optional peers, one per peer major (attw, a
// types matrix, runtime smoke tests). Slow (npm installs), so not part of
// `npm test`; CI runs it after `npm test` (see .ci/run).
const base = require('./jest.config.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/package/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
};
