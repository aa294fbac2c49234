/**
 * How the Jest global setup tells test workers about the test database
 * (workers inherit the setup's `process.env`).
 *
 * - `MONGODB_URI`: the server to use. Set it to test against your own
 *   server; otherwise the setup starts one and sets it.
 * - `GSP_TEST_MONGO_UNAVAILABLE`: set (to the reasons) when no server could
 *   be had; the Mongo suites are then skipped, loudly.
 * - `GSP_TEST_MONGO_KIND`: `mongod`, `ferretdb`, or `external`.
 */
export const MONGO_ENV = {
  uri: 'MONGODB_URI',
  unavailable: 'GSP_TEST_MONGO_UNAVAILABLE',
  kind: 'GSP_TEST_MONGO_KIND',
} as const;

/** Whether this run is CI (`CI=true` or `CI=1`), where a missing database fails the run. */
export function isCi(): boolean {
  const value = (process.env.CI ?? '').toLowerCase();
  return value === 'true' || value === '1';
}

/** A banner nobody scrolls past. */
export function loudNotice(title: string, lines: readonly string[]): string {
  const rule = '!'.repeat(78);
  return ['', rule, `!!! ${title}`, ...lines.map((line) => `!!!   ${line}`), rule, ''].join('\n');
}
