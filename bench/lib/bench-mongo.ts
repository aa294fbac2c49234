import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { startMongoServer } from '../../test/support/mongo-server';
import { startStoreWriter } from '../../test/support/store-writer';
import type { StoreWriter } from '../../test/support/store-writer';

/** A MongoDB-protocol server for a benchmark: `MONGODB_URI`, or a FerretDB (or mongod) started for the run. */
export interface BenchMongo {
  readonly uri: string;
  /** `ferretdb`, `mongod`, or `external` for `MONGODB_URI`. */
  readonly kind: string;
  stop(): Promise<void>;
}

/** Starts the same server the test suite uses (test/support/mongo-server), unless `MONGODB_URI` names one. */
export async function startBenchMongo(): Promise<BenchMongo> {
  const external = process.env.MONGODB_URI;
  if (external !== undefined && external !== '') return { uri: external, kind: 'external', stop: async () => undefined };
  const started = await startMongoServer((message) => process.stderr.write(`[bench database] ${message}\n`));
  if (started.server === null) throw new Error(`No database for the benchmark: ${started.reasons.join('; ')}`);
  return { uri: started.server.uri, kind: started.server.kind, stop: () => started.server.stop() };
}

/** What {@link withWriterProcess} hands its body: this process's connection, and process A. */
export interface TwoProcesses {
  readonly mongo: BenchMongo;
  /** This process's connection to a fresh database. */
  readonly connection: Connection;
  /** Another process with its own `MongooseScopeStore` on the same database (test/support/store-writer-process.ts). */
  readonly writer: StoreWriter;
}

/**
 * Runs `body` with a fresh database named `<prefix>_<time>`, a connection to
 * it, and a writer process on it; then stops the writer, drops the database
 * and stops the server.
 */
export async function withWriterProcess<T>(prefix: string, body: (setup: TwoProcesses) => Promise<T>): Promise<T> {
  const mongo = await startBenchMongo();
  const dbName = `${prefix}_${Date.now()}`;
  const connection = await mongoose.createConnection(mongo.uri, { dbName, monitorCommands: true }).asPromise();
  const writer = await startStoreWriter(mongo.uri, dbName);
  try {
    return await body({ mongo, connection, writer });
  } finally {
    await writer.stop();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await mongo.stop();
  }
}
