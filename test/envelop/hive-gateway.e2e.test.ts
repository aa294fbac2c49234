import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { GraphQLSchema } from 'graphql';
import { createScopedContext, type ScopedContext } from '../../src/auth/create-scoped-context';
import { useGatewayScopedPermissions } from '../../src/envelop/use-gateway-scoped-permissions';
import { printSubgraphSchemaWithScopes } from '../../src/federation/print-subgraph-schema-with-scopes';
import { FORWARDED_PRINCIPAL_HEADER } from '../../src/federation/forwarded-principal';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { compose } from '../federation/compose';
import { buildPostsSubgraph, buildUsersSubgraph } from '../federation/subgraphs';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const quiet = { onWarning: () => undefined };
const gatewayKeys = generateKeyPairSync('ed25519');
const FORWARD = { privateKey: gatewayKeys.privateKey, issuer: 'gateway', audience: 'subgraphs', ttlMs: 60_000 };

interface Subgraph {
  readonly url: string;
  readonly requests: { count: number; principals: string[] };
  stop(): Promise<void>;
}

async function startSubgraph(schema: GraphQLSchema): Promise<Subgraph> {
  const requests = { count: 0, principals: [] as string[] };
  const scopedContext = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience: 'subgraphs' } });
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }): Promise<ScopedContext> => {
      requests.count += 1;
      const context = await scopedContext({ req });
      requests.principals.push(`${context.principal.kind}:${context.principal.id ?? ''}`);
      return context;
    },
  });
  return { url, requests, stop: async () => { await server.stop(); await scopedContext.dispose(); } };
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

interface Reply {
  status: number;
  body: { data?: unknown; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
}

async function ask(url: string, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

describe('Hive Gateway with useGatewayScopedPermissions, two Apollo subgraphs', () => {
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  let posts: Subgraph;
  let users: Subgraph;
  let gateway: { url: string; server: Server; dispose(): Promise<void> };
  const gatewayContext = createScopedContext({ store });
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    posts = await startSubgraph(buildPostsSubgraph(quiet));
    users = await startSubgraph(buildUsersSubgraph(quiet));
    const supergraph = compose('apollo', [
      { name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)), url: posts.url },
      { name: 'users', sdl: printSubgraphSchemaWithScopes(buildUsersSubgraph(quiet)), url: users.url },
    ]);
    const runtime = createGatewayRuntime({ supergraph, logging: false, plugins: () => [useGatewayScopedPermissions({ context: gatewayContext, forward: FORWARD })] });
    const started = await listen(runtime);
    gateway = { ...started, dispose: async () => { await runtime.dispose(); } };
    for (const [name, scopes] of Object.entries({ both: ['posts.read', 'users.read'], postsOnly: ['posts.read'], wildcard: ['posts.*', 'users.*'] })) {
      keys[name] = (await store.createApiKey({ name, scopes })).key;
    }
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => gateway.server.close(() => resolve()));
    await gateway.dispose();
    await posts.stop();
    await users.stop();
    await gatewayContext.dispose();
  });

  const CROSS = '{ posts { title author { id name } } }';

  it('a key with posts.read and users.read gets data across both subgraphs, forwarded as itself', async () => {
    const reply = await ask(gateway.url, CROSS, { authorization: `Bearer ${keys.both}` });
    expect(reply.body).toEqual({ data: { posts: [{ title: 'Hello', author: { id: 'u1', name: 'Ada' } }, { title: 'World', author: { id: 'u2', name: 'Grace' } }] } });
    expect(posts.requests.principals.at(-1)).toMatch(/^apiKey:/);
    expect(users.requests.principals.at(-1)).toBe(posts.requests.principals.at(-1));
  });

  it('a key missing users.read is refused at the gateway with missingScopes, and no subgraph is asked', async () => {
    const before = posts.requests.count + users.requests.count;
    const reply = await ask(gateway.url, CROSS, { authorization: `Bearer ${keys.postsOnly}` });
    expect(reply.status).toBe(403);
    expect(reply.body.data ?? null).toBeNull();
    expect(reply.body.errors?.map((error) => [error.extensions?.code, error.extensions?.missingScopes])).toEqual([['FORBIDDEN', ['users.read']]]);
    expect(posts.requests.count + users.requests.count).toBe(before);
  });

  it('an anonymous caller is refused with 401 at the gateway', async () => {
    const reply = await ask(gateway.url, CROSS);
    expect([reply.status, reply.body.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('a wildcard grant satisfies the gateway, and reaches the subgraphs expanded', async () => {
    const reply = await ask(gateway.url, '{ users { email } }', { authorization: `Bearer ${keys.wildcard}` });
    expect(reply.body.errors).toBeUndefined();
  });

  it('a direct request to a subgraph without the forwarded token is anonymous', async () => {
    const reply = await ask(users.url, '{ users { name } }', { authorization: `Bearer ${keys.both}` });
    expect(reply.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(users.requests.principals.at(-1)).toBe('anonymous:');
  });

  it.each([
    ['forged', () => 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhcGlLZXk6eCIsInNjb3BlIjoidXNlcnMucmVhZCJ9.AAAA'],
  ])('a %s forwarded token sent straight to a subgraph is 401', async (_case, token) => {
    const reply = await ask(users.url, '{ users { name } }', { [FORWARDED_PRINCIPAL_HEADER]: token() });
    expect([reply.status, reply.body.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('a revoked key is refused at the gateway at once (same store; another process: within the watcher interval)', async () => {
    const { key, apiKey } = await store.createApiKey({ name: 'soon-revoked', scopes: ['posts.read'] });
    expect((await ask(gateway.url, '{ posts { title } }', { authorization: `Bearer ${key}` })).status).toBe(200);
    await store.revokeApiKey(apiKey.id);
    const reply = await ask(gateway.url, '{ posts { title } }', { authorization: `Bearer ${key}` });
    expect([reply.status, reply.body.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
