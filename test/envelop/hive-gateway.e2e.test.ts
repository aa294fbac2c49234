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
import { makeExecutableSchema } from '@graphql-tools/schema';
import { jwtVerify } from 'jose';
import { scopeDirective } from '../../src/directive/scope-directive';
import { createTokenExchange } from '../../src/federation/token-exchange';
import { supergraphCatalog } from '../../src/federation/supergraph-enforcement';
import { buildASTSchema, parse } from 'graphql';
import { POSTS, USERS, postsTypeDefs } from '../federation/subgraphs';
import { compose } from '../federation/compose';
import { buildPostsSubgraph, buildUsersSubgraph } from '../federation/subgraphs';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const quiet = { onWarning: () => undefined };
const gatewayKeys = generateKeyPairSync('ed25519');
const FORWARD = { privateKey: gatewayKeys.privateKey, issuer: 'gateway', audience: 'subgraphs', ttlMs: 60_000 };

interface Subgraph {
  readonly url: string;
  readonly requests: { count: number; principals: string[]; tokens: string[] };
  stop(): Promise<void>;
}

async function startSubgraph(schema: GraphQLSchema, audience = 'subgraphs'): Promise<Subgraph> {
  const requests = { count: 0, principals: [] as string[], tokens: [] as string[] };
  const scopedContext = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience } });
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }): Promise<ScopedContext> => {
      requests.count += 1;
      const token = req.headers[FORWARDED_PRINCIPAL_HEADER];
      if (typeof token === 'string') requests.tokens.push(token);
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

/** The two subgraphs as one schema, served by one Apollo Server: what the gateway must answer like in field mode. */
function buildMonolith(): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', quiet);
  const strip = (sdl: string) => sdl.replace(/@key\(fields: "id"\)/g, '');
  const typeDefs = `${scopeDirectiveTypeDefs}
    ${strip(postsTypeDefs).replace(/type User \{[^}]*\}/, '')}
    extend type Query { users: [User!]! @scope(resource: "users") }
    type User { id: ID! name: String! @scope(resource: "users") email: String @scope(resource: "users", action: "email") posts: [Post!]! @scope(resource: "posts") }`;
  const resolvers = {
    Query: { posts: () => POSTS, hello: () => 'hi', users: () => USERS },
    Mutation: { postDelete: () => true },
    Post: { author: (post: { authorId: string }) => USERS.find((user) => user.id === post.authorId) },
    User: { posts: (user: { id: string }) => POSTS.filter((post) => post.authorId === user.id) },
  };
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs, resolvers }));
}

describe('Hive Gateway in report mode over field-mode subgraphs, and the token exchange under Hive\'s own @requiresScopes', () => {
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  const routerKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let posts: Subgraph;
  let users: Subgraph;
  let supergraph = '';
  const started: { server: Server; dispose(): Promise<void> }[] = [];
  const gatewayContext = createScopedContext({ store, jwt: { publicKey: routerKeys.publicKey, algorithms: ['ES256'], issuer: 'token-exchange', audience: 'router', includeGroupScopes: false } });

  beforeAll(async () => {
    posts = await startSubgraph(buildPostsSubgraph(quiet));
    users = await startSubgraph(buildUsersSubgraph(quiet));
    supergraph = compose('guild', [
      { name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)), url: posts.url },
      { name: 'users', sdl: printSubgraphSchemaWithScopes(buildUsersSubgraph(quiet)), url: users.url },
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const each of started) {
      await new Promise<void>((resolve) => each.server.close(() => resolve()));
      await each.dispose();
    }
    await posts.stop();
    await users.stop();
    await gatewayContext.dispose();
  });

  async function startGateway(options: Parameters<typeof createGatewayRuntime>[0]): Promise<string> {
    const runtime = createGatewayRuntime(options);
    const { url, server } = await listen(runtime);
    started.push({ server, dispose: async () => { await runtime.dispose(); } });
    return url;
  }

  it('a partial denial in field mode matches what one Apollo Server returns for the merged schema', async () => {
    const gatewayUrl = await startGateway({ supergraph, logging: false, plugins: () => [useGatewayScopedPermissions({ context: gatewayContext, mode: 'report', forward: FORWARD })] });
    const monolith = new ApolloServer({ schema: buildMonolith() });
    const { url: monolithUrl } = await startStandaloneServer(monolith, { listen: { port: 0, host: '127.0.0.1' }, context: gatewayContext });
    try {
      const { key } = await store.createApiKey({ name: 'no-email', scopes: ['posts.read', 'users.read'] });
      const query = '{ posts { title author { name email } } }';
      // List indexes are left out of the paths: Hive Gateway gives both errors of one batched `_entities` fetch
      // the first entity's index (`posts.0.author.email` twice), where one server says `posts.0` and `posts.1`.
      const shape = (reply: Reply) => ({
        data: reply.body.data,
        errors: (reply.body.errors ?? [])
          .map((error) => [error.path?.filter((key) => typeof key === 'string').join('.'), error.extensions?.code, error.extensions?.requiredScope])
          .sort(),
      });
      const fromGateway = shape(await ask(gatewayUrl, query, { authorization: `Bearer ${key}` }));
      const fromMonolith = shape(await ask(monolithUrl, query, { authorization: `Bearer ${key}` }));
      expect(fromMonolith.data).toEqual({ posts: [{ title: 'Hello', author: { name: 'Ada', email: null } }, { title: 'World', author: { name: 'Grace', email: null } }] });
      expect(fromGateway).toEqual(fromMonolith);
    } finally {
      await monolith.stop();
    }
  });

  it('issues JWTs that Hive Gateway\'s genericAuth @requiresScopes accepts for exactly the key\'s scopes, a wildcard expanded', async () => {
    const catalog = supergraphCatalog(buildASTSchema(parse(supergraph), { assumeValidSDL: true }));
    const exchange = createTokenExchange({ store, privateKey: routerKeys.privateKey, issuer: 'token-exchange', audience: 'router', ttlMs: 300_000, catalog });
    const exchangeServer = await listen((req, res) => void exchange(req, res));
    started.push({ server: exchangeServer.server, dispose: () => exchange.dispose() });
    const gatewayUrl = await startGateway({
      supergraph,
      logging: false,
      genericAuth: {
        mode: 'protect-granular',
        rejectUnauthenticated: false,
        // Hive verifies the exchange's JWT with the public key, and matches @requiresScopes against its space-separated `scope`.
        resolveUserFn: async (context: { request: Request }) => {
          const token = context.request.headers.get('authorization')?.replace(/^Bearer /, '');
          if (token === undefined) return null;
          return (await jwtVerify(token, routerKeys.publicKey, { issuer: 'token-exchange', audience: 'router' })).payload;
        },
      },
      // Our plugin only forwards the caller (report mode): the refusals below are Hive's own.
      plugins: () => [useGatewayScopedPermissions({ context: gatewayContext, mode: 'report', forward: FORWARD })],
    });
    const { key } = await store.createApiKey({ name: 'router-client', scopes: ['posts.*', 'users.email'] });
    const tokenReply = await fetch(exchangeServer.url, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    const token = (await tokenReply.json()) as { access_token: string; scope: string };
    expect(token.scope).toBe('posts.delete posts.read users.email');
    const withToken = { authorization: `Bearer ${token.access_token}` };
    // [query, refused by Hive]
    const cases: [string, boolean][] = [
      ['{ posts { title } }', false],
      ['mutation { postDelete(id: "p1") }', false],
      ['{ users { email } }', true],
      ['{ posts { author { name } } }', true],
    ];
    for (const [query, refused] of cases) {
      const reply = await ask(gatewayUrl, query, withToken);
      const codes = (reply.body.errors ?? []).map((error) => error.extensions?.code);
      expect({ query, refused: codes.length > 0, codes }).toEqual({ query, refused, codes: refused ? expect.arrayContaining([expect.any(String)]) : [] });
    }
  });
});

describe('Hive Gateway forwarding with one audience per subgraph', () => {
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  const gatewayContext = createScopedContext({ store });
  let posts: Subgraph;
  let users: Subgraph;
  let gateway: { url: string; server: Server; dispose(): Promise<void> };

  beforeAll(async () => {
    posts = await startSubgraph(buildPostsSubgraph(quiet), 'posts');
    users = await startSubgraph(buildUsersSubgraph(quiet), 'users');
    const supergraph = compose('apollo', [
      { name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)), url: posts.url },
      { name: 'users', sdl: printSubgraphSchemaWithScopes(buildUsersSubgraph(quiet)), url: users.url },
    ]);
    const forward = { ...FORWARD, audience: (subgraphName: string) => subgraphName };
    const runtime = createGatewayRuntime({ supergraph, logging: false, plugins: () => [useGatewayScopedPermissions({ context: gatewayContext, forward })] });
    gateway = { ...(await listen(runtime)), dispose: async () => { await runtime.dispose(); } };
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => gateway.server.close(() => resolve()));
    await gateway.dispose();
    await posts.stop();
    await users.stop();
    await gatewayContext.dispose();
  });

  it('each subgraph gets a token for its own audience, and refuses one replayed from the other', async () => {
    const { key } = await store.createApiKey({ name: 'both', scopes: ['posts.read', 'users.read'] });
    const reply = await ask(gateway.url, '{ posts { title author { name } } }', { authorization: `Bearer ${key}` });
    expect(reply.body.errors).toBeUndefined();
    const postsToken = posts.requests.tokens.at(-1) ?? '';
    expect(postsToken).not.toBe(users.requests.tokens.at(-1));
    const replayed = await ask(users.url, '{ users { name } }', { [FORWARDED_PRINCIPAL_HEADER]: postsToken });
    expect([replayed.status, replayed.body.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
