// A second process for the cross-process tests and the revocation benchmark:
// it opens a MongooseScopeStore on the database named by its arguments and
// runs the store calls it reads on stdin, one JSON line each, answering one
// JSON line each on stdout:
//   in:  {"id":1,"method":"revokeApiKey","args":["a1B2c3D4e5F6"]}
//   out: {"id":1,"ok":true,"result":…,"doneAtMs":1767000000000}
// Usage: node --import tsx test/support/store-writer-process.ts <mongo-uri> <db-name>
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { MongooseScopeStore } from '../../src/store/mongoose/mongoose-scope-store';
import type { CreateApiKeyInput, RotateApiKeyInput, SaveGroupInput } from '../../src/store/scope-store';
import { type ScopeRateLimits, createScopeRateLimits } from '../../src/rate-limit/scope-rate-limits';

type Args = readonly unknown[];

/** The store writes this process runs. Arguments come from JSON: the store checks them, as it checks any caller's. */
const WRITES: Readonly<Record<string, (store: MongooseScopeStore, args: Args) => Promise<unknown>>> = {
  createApiKey: (store, [input]) => store.createApiKey(input as CreateApiKeyInput),
  revokeApiKey: (store, [id]) => store.revokeApiKey(id as string),
  setApiKeyScopes: (store, [id, scopes]) => store.setApiKeyScopes(id as string, scopes as string[]),
  rotateApiKey: (store, [id, input]) => store.rotateApiKey(id as string, input as RotateApiKeyInput),
  saveGroup: (store, [input]) => store.saveGroup(input as SaveGroupInput),
  deleteGroup: (store, [name]) => store.deleteGroup(name as string),
  addGroupMember: (store, [name, userId]) => store.addGroupMember(name as string, userId as string),
  removeGroupMember: (store, [name, userId]) => store.removeGroupMember(name as string, userId as string),
  // Not a store write: one request's rate-limit units, counted in this store's database (the rate-limits suite).
  consumeScopeRateLimits: (store, [rateLimits, keyId, scopes]) =>
    createScopeRateLimits(rateLimits as ScopeRateLimits, { backend: store.rateLimitBackend() })
      ?.forRequest({ kind: 'apiKey', id: keyId as string, scopes: new Set() })
      ?.consume(scopes as string[], { variableValues: {}, operation: { operation: 'query' } }) ?? Promise.reject(new Error('no rate limits')),
};

async function main(): Promise<void> {
  const [uri, dbName] = process.argv.slice(2);
  if (uri === undefined || dbName === undefined) throw new Error('usage: store-writer-process <mongo-uri> <db-name>');
  const connection = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5_000 }).asPromise();
  const store = new MongooseScopeStore(connection, { hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const { id, method, args } = JSON.parse(line) as { id: number; method: string; args: Args };
    try {
      const write = Object.hasOwn(WRITES, method) ? WRITES[method] : undefined;
      if (write === undefined) throw new Error(`not a store write: ${method}`);
      const result = await write(store, args);
      process.stdout.write(`${JSON.stringify({ id, ok: true, result, doneAtMs: Date.now() })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ id, ok: false, code: (error as { code?: string }).code ?? (error as { extensions?: { code?: string } }).extensions?.code ?? 'ERROR', doneAtMs: Date.now() })}\n`);
    }
  }
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
