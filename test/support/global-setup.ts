import { startMongoServer } from './mongo-server';
import type { MongoServer } from './mongo-server';
import { MONGO_ENV, isCi, loudNotice } from './mongo-env';

/** Where the setup leaves the server for {@link globalTeardown} (same process, same `globalThis`). */
export const SERVER_HANDLE: unique symbol = Symbol.for('graphql-scoped-permissions.test-mongo-server');

/** `globalThis` with the server handle. */
export type HandleHolder = typeof globalThis & { [SERVER_HANDLE]?: MongoServer };

function notify(message: string): void {
  process.stderr.write(`\n[test database] ${message}\n`);
}

/**
 * Jest global setup: provides a MongoDB-protocol server for the Mongoose
 * suites. Uses `MONGODB_URI` when set; otherwise starts `mongod` or FerretDB
 * (see `startMongoServer`). Without any, the Mongo suites are skipped with a
 * loud notice, and under CI the run fails.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env[MONGO_ENV.uri]) {
    process.env[MONGO_ENV.kind] = 'external';
    return;
  }
  const result = await startMongoServer(notify);
  if (result.server !== null) {
    (globalThis as HandleHolder)[SERVER_HANDLE] = result.server;
    process.env[MONGO_ENV.uri] = result.server.uri;
    process.env[MONGO_ENV.kind] = result.server.kind;
    return;
  }
  const lines = [
    ...result.reasons,
    'Install mongod or Go (FerretDB is then built automatically), or set MONGODB_URI.',
  ];
  if (isCi()) {
    throw new Error(loudNotice('NO TEST DATABASE: the Mongoose suites cannot run, and CI requires them.', lines));
  }
  process.env[MONGO_ENV.unavailable] = result.reasons.join('; ');
  process.stderr.write(loudNotice('NO TEST DATABASE: THE MONGOOSE SUITES ARE SKIPPED (they are NOT passing).', lines));
}
