import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Connection, ConnectOptions } from 'mongoose';
import { MONGO_ENV, isCi, loudNotice } from './mongo-env';

/** A connection to a database of its own on the test server. */
export interface TestDatabase {
  readonly connection: Connection;
  /** The database name, unique to this connection (`gsp_<worker>_<random>`). */
  readonly dbName: string;
  /** Drops the database and closes the connection. */
  dispose(): Promise<void>;
}

/** The test server's URI, or `null` when there is none (see the global setup). */
export function testMongoUri(): string | null {
  return process.env[MONGO_ENV.uri] || null;
}

/** A fresh database name, so parallel workers and files never collide. */
export function uniqueDbName(): string {
  return `gsp_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(6).toString('hex')}`;
}

/**
 * Connects to the test server with a database of its own.
 *
 * @param options - Mongoose connection options; `dbName` defaults to {@link uniqueDbName}.
 */
export async function connectTestDatabase(options: ConnectOptions = {}): Promise<TestDatabase> {
  const uri = testMongoUri();
  if (uri === null) throw new Error('No test database: run the tests through Jest so that its global setup provides one.');
  const dbName = options.dbName ?? uniqueDbName();
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000, ...options, dbName });
  await connection.asPromise();
  return {
    connection,
    dbName,
    async dispose() {
      if (connection.readyState === mongoose.ConnectionStates.connected) await connection.dropDatabase();
      await connection.close();
    },
  };
}

/**
 * A connection to `dbName` on the server at `uri` (another server, or the
 * test server through a proxy), with a short server selection timeout and
 * connection errors left to the operations that meet them.
 */
export async function connectTo(uri: string, dbName: string, options: ConnectOptions = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 2_000, ...options });
  connection.on('error', () => undefined);
  await connection.asPromise();
  return connection;
}

/**
 * `describe` for suites that need the test database: connects before the
 * suite (a database per suite) and drops it afterwards. Without a server it
 * skips the suite with a loud notice, or fails under CI.
 *
 * @param options - Connection options, for example `{ monitorCommands: true }`.
 * @example
 * ```ts
 * describeWithMongo('MongooseScopeStore', (database) => {
 *   it('pings', async () => { await database().connection.db?.admin().ping(); });
 * });
 * ```
 */
export function describeWithMongo(name: string, body: (database: () => TestDatabase) => void, options: ConnectOptions = {}): void {
  if (testMongoUri() === null) {
    const reason = process.env[MONGO_ENV.unavailable] ?? 'MONGODB_URI is not set and the global setup did not run';
    if (isCi()) throw new Error(`No test database for "${name}" under CI: ${reason}`);
    process.stderr.write(loudNotice(`SKIPPED (no test database): ${name}`, [reason]));
    describe.skip(name, () => body(() => {
      throw new Error('unreachable: the suite is skipped');
    }));
    return;
  }
  describe(name, () => {
    let current: TestDatabase | null = null;
    beforeAll(async () => {
      current = await connectTestDatabase(options);
    });
    afterAll(async () => {
      await current?.dispose();
      current = null;
    });
    body(() => {
      if (current === null) throw new Error('The test database is only available inside tests and hooks.');
      return current;
    });
  });
}
