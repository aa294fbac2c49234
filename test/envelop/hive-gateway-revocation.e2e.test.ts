import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { Connection } from 'mongoose';
import { createScopedContext, type ScopedContextErrorEvent, type ScopedContextFunction } from '../../src/auth/create-scoped-context';
import { useGatewayScopedPermissions } from '../../src/envelop/use-gateway-scoped-permissions';
import { printSubgraphSchemaWithScopes } from '../../src/federation/print-subgraph-schema-with-scopes';
import { MongooseScopeStore } from '../../src/store/mongoose/mongoose-scope-store';
import type { CreatedApiKey } from '../../src/store/scope-store';
import { compose } from '../federation/compose';
import { buildPostsSubgraph } from '../federation/subgraphs';
import { TEST_HASH_OPTIONS } from '../store/store-contract';
import { connectTo, describeWithMongo, testMongoUri, uniqueDbName } from '../support/mongo';
import { startStoreWriter, type StoreWriter } from '../support/store-writer';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { until } from '../support/until';

// Hive Gateway's edge on a MongooseScopeStore, while another process (test/support/store-writer-process.ts)
// writes the same database: a key revoked there is refused at the gateway within the watcher's
// interval, and a store outage is a 503 at the gateway, never anonymous, never a subgraph request.

const POLL_MS = 250;
/** The documented bound is pollIntervalMs plus one request; the slack covers a loaded 2-core machine (as test/store/mongoose/cross-process.test.ts). */
const SLACK_MS = 1_500;
const quiet = { onWarning: () => undefined };
const QUERY = '{ posts { title } }';
const gatewayKeys = generateKeyPairSync('ed25519');
const FORWARD = { privateKey: gatewayKeys.privateKey, issuer: 'gateway', audience: 'posts', ttlMs: 60_000 };

async function ask(url: string, headers: Record<string, string>): Promise<{ status: number; code: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify({ query: QUERY }) });
  const body = (await response.json()) as { errors?: { extensions?: { code?: unknown } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code };
}

describeWithMongo('Hive Gateway on a MongooseScopeStore, another process writing', () => {
  const uri = testMongoUri() ?? '';
  const dbName = uniqueDbName();
  let writer: StoreWriter;
  let proxy: TcpProxy;
  let connection: Connection;
  let context: ScopedContextFunction;
  let subgraph: { url: string; server: ApolloServer; requests: number; context: ScopedContextFunction };
  let gateway: { url: string; server: Server; dispose(): void | Promise<void> };
  const events: ScopedContextErrorEvent['kind'][] = [];

  beforeAll(async () => {
    writer = await startStoreWriter(uri, dbName);
    const target = new URL(uri);
    proxy = await startTcpProxy(target.hostname, Number(target.port));
    connection = await connectTo(`mongodb://127.0.0.1:${proxy.port}/`, dbName, { serverSelectionTimeoutMS: 500, heartbeatFrequencyMS: 500, bufferCommands: false });
    const store = new MongooseScopeStore(connection, { hashOptions: TEST_HASH_OPTIONS, pollIntervalMs: POLL_MS });
    context = createScopedContext({ store, verifier: { hashOptions: TEST_HASH_OPTIONS }, storeTimeoutMs: 1_000, onError: (_error, event) => events.push(event.kind) });
    const probe = store.watchChanges(() => undefined);
    await probe.ready;
    await probe.dispose();

    const server = new ApolloServer({ schema: buildPostsSubgraph(quiet) });
    const subgraphContext = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience: 'posts' } });
    subgraph = { url: '', server, requests: 0, context: subgraphContext };
    const counted = async ({ req }: { req: Parameters<typeof subgraphContext>[0]['req'] }) => {
      subgraph.requests += 1;
      return subgraphContext({ req });
    };
    subgraph.url = (await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: counted })).url;
    const supergraph = compose('apollo', [{ name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)), url: subgraph.url }]);
    const runtime = createGatewayRuntime({ supergraph, logging: false, plugins: () => [useGatewayScopedPermissions({ context, forward: FORWARD })] });
    const http = createServer(runtime);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    gateway = { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`, server: http, dispose: () => runtime.dispose() };
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => gateway.server.close(() => resolve()));
    await gateway.dispose();
    await subgraph.server.stop();
    await subgraph.context.dispose();
    await context.dispose();
    await connection.close();
    await proxy.close();
    await writer.stop();
    const dropper = await connectTo(uri, dbName);
    await dropper.dropDatabase();
    await dropper.close();
  });

  async function createKey(scopes: string[]): Promise<CreatedApiKey> {
    const reply = await writer.call('createApiKey', { name: 'gateway-client', scopes });
    if (!reply.ok) throw new Error(`createApiKey failed in the other process: ${reply.code}`);
    return reply.result as CreatedApiKey;
  }

  it('a key revoked in another process is refused at the gateway within pollIntervalMs plus one request, and reaches no subgraph', async () => {
    const { apiKey, key } = await createKey(['posts.read']);
    expect(await ask(gateway.url, { 'x-api-key': key })).toEqual({ status: 200, code: undefined }); // cached at the gateway
    const { doneAtMs } = await writer.call('revokeApiKey', apiKey.id);
    await until(async () => (await ask(gateway.url, { 'x-api-key': key })).status === 401, 20_000);
    expect(Date.now() - doneAtMs).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
    const before = subgraph.requests;
    expect(await ask(gateway.url, { 'x-api-key': key })).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(subgraph.requests).toBe(before);
  }, 30_000);

  it('a key rescoped in another process loses its access at the gateway within the same bound', async () => {
    const { apiKey, key } = await createKey(['posts.read']);
    expect((await ask(gateway.url, { 'x-api-key': key })).status).toBe(200);
    const { doneAtMs } = await writer.call('setApiKeyScopes', apiKey.id, ['comments.read']);
    await until(async () => (await ask(gateway.url, { 'x-api-key': key })).status === 403, 20_000);
    expect(Date.now() - doneAtMs).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
  }, 30_000);

  it('a store outage is a 503 at the gateway for a key it has not cached, never anonymous, and no subgraph is asked', async () => {
    const { key } = await createKey(['posts.read']);
    const before = subgraph.requests;
    proxy.cut();
    try {
      const reply = await ask(gateway.url, { 'x-api-key': key });
      expect(reply).toEqual({ status: 503, code: 'ERR_STORE_UNAVAILABLE' });
      expect(subgraph.requests).toBe(before);
      expect(events).toContain('store-unavailable');
    } finally {
      proxy.restore();
    }
    await until(async () => (await ask(gateway.url, { 'x-api-key': key })).status === 200, 20_000);
  }, 40_000);
});
