import { ApolloServer, type BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Principal } from '../../src/principal/principal';
import { type DenialStatusPolicy, type PartialResultStatusPluginOptions, partialResultStatusPlugin } from '../../src/apollo';
import { type ScopedContextStore, createScopedContext } from '../../src/auth/create-scoped-context';
import { generateApiKey } from '../../src/keys/api-key-format';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { buildBlogSchema } from '../directive/blog-schema';

interface Context extends BaseContext {
  principal?: Principal;
}

const principals: Record<string, Principal | undefined> = {
  none: undefined,
  reader: { kind: 'apiKey', id: 'k1', scopes: new Set(['posts.read']) },
  editor: { kind: 'apiKey', id: 'k2', scopes: new Set(['posts.read', 'posts.write']) },
  stranger: { kind: 'apiKey', id: 'k3', scopes: new Set(['comments.read']) },
};

// [principal, query, expected HTTP status (Apollo defaults / denialStatus 'auto' / denialStatus 200), expected codes, data is null]
const cases: Array<[string, string, number, number, number, Array<string>, boolean]> = [
  ['none', '{ posts { id } }', 401, 401, 200, ['UNAUTHENTICATED'], true],
  ['reader', '{ posts { id } }', 200, 200, 200, [], false],
  ['reader', 'mutation { createPost(title: "x") { id } }', 403, 200, 200, ['FORBIDDEN'], false],
  ['stranger', '{ hello requiredPost { id } }', 403, 403, 200, ['FORBIDDEN'], true],
  ['reader', '{ hello analyticsExport }', 403, 200, 200, ['FORBIDDEN'], false],
  ['editor', 'mutation { createPost(title: "x") { id } }', 200, 200, 200, [], false],
];

describe.each([
  ['Apollo defaults', [] as ReturnType<typeof partialResultStatusPlugin>[], 0],
  ['partialResultStatusPlugin()', [partialResultStatusPlugin<Context>()], 1],
  ["partialResultStatusPlugin({ denialStatus: 'auto' })", [partialResultStatusPlugin<Context>({ denialStatus: 'auto' })], 1],
  ['partialResultStatusPlugin({ denialStatus: 200 })', [partialResultStatusPlugin<Context>({ denialStatus: 200 })], 2],
])('through Apollo Server 5 (%s)', (_label, plugins, statusColumn) => {
  let server: ApolloServer<Context>;
  let url: string;
  let principalName = 'none';

  beforeAll(async () => {
    server = new ApolloServer<Context>({ schema: buildBlogSchema(), plugins });
    ({ url } = await startStandaloneServer(server, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async () => ({ principal: principals[principalName] }),
    }));
  });
  afterAll(() => server.stop());

  it.each(cases)('%s: %s', async (principal, query, ...rest) => {
    const [, , , codes, dataIsNull] = rest;
    const status = rest[statusColumn];

    const viaExecute = await server.executeOperation({ query }, { contextValue: { principal: principals[principal] } });
    if (viaExecute.body.kind !== 'single') throw new Error('expected a single result');
    expect(viaExecute.body.singleResult.errors?.map((e) => e.extensions?.code) ?? []).toEqual(codes);
    expect(viaExecute.http.status ?? 200).toBe(status);

    principalName = principal;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions: Record<string, unknown> }> };
    expect(response.status).toBe(status);
    expect(body.errors?.map((e) => e.extensions.code) ?? []).toEqual(codes);
    expect(body.data === null).toBe(dataIsNull);
    for (const error of body.errors ?? []) {
      expect(error.extensions.requiredScope).toEqual(expect.stringMatching(/^posts\.|^analytics\./));
      expect(error.extensions).not.toHaveProperty('http'); // Apollo consumes it
    }
  });
});

describe('context failures keep their status under every denialStatus', () => {
  const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
  let broken = false;
  const flakyStore: ScopedContextStore = {
    findApiKeyCredential: (id) => (broken ? Promise.reject(new Error('connection lost')) : store.findApiKeyCredential(id)),
    updateApiKeyHash: (id, hash) => store.updateApiKeyHash(id, hash),
    touchApiKey: (id, at, minIntervalMs) => store.touchApiKey(id, at, minIntervalMs),
    onApiKeyChange: (listener) => store.onApiKeyChange(listener),
    getUserScopes: (userId) => store.getUserScopes(userId),
  };
  const servers: ApolloServer<Context>[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.stop())));

  it.each<[string, PartialResultStatusPluginOptions]>([
    ['auto', { denialStatus: 'auto' }],
    ['200', { denialStatus: 200 }],
  ])('denialStatus %s: bad credentials 401, store outage 503', async (_label, options) => {
    const server = new ApolloServer<Context>({ schema: buildBlogSchema(), plugins: [partialResultStatusPlugin<Context>(options)] });
    servers.push(server);
    const scopedContext = createScopedContext({ store: flakyStore });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: scopedContext });
    const ask = async (headers: Record<string, string>) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ hello }' }) });
      const body = (await response.json()) as { errors?: Array<{ extensions: Record<string, unknown> }> };
      return [response.status, body.errors?.map((error) => error.extensions.code)];
    };
    broken = false;
    await expect(ask({ authorization: `Bearer ${generateApiKey().key}` })).resolves.toEqual([401, ['UNAUTHENTICATED']]);
    await expect(ask({ authorization: 'Basic dXNlcjpwYXNz' })).resolves.toEqual([401, ['UNAUTHENTICATED']]);
    broken = true;
    await expect(ask({ authorization: `Bearer ${generateApiKey().key}` })).resolves.toEqual([503, ['ERR_STORE_UNAVAILABLE']]);
    await expect(ask({})).resolves.toEqual([200, undefined]);
  });
});

describe('partialResultStatusPlugin options', () => {
  it.each<[string, unknown]>([
    ['403', 403],
    ['"200" as a string', '200'],
    ['null', null],
    ['"always"', 'always'],
  ])('refuses denialStatus %s with ERR_INVALID_OPTIONS', (_label, denialStatus) => {
    expect(() => partialResultStatusPlugin({ denialStatus: denialStatus as DenialStatusPolicy })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});
