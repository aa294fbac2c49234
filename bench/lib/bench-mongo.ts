import { startMongoServer } from '../../test/support/mongo-server';

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
