import { ApolloServer, type BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Plugin } from '@envelop/core';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { useScopedPermissions, type UseScopedPermissionsOptions } from '../../src/envelop';
import { operationScopePlugin, partialResultStatusPlugin } from '../../src/apollo';
import { scopeDirective } from '../../src/directive/scope-directive';
import { ANONYMOUS_PRINCIPAL } from '../../src/principal/principal';
import { FIRST_POST, type MatrixApp, createMatrixApp } from '../servers/matrix-app';
import { type MatrixKeys, createMatrixKeys } from '../servers/matrix-cases';
import { postGraphQL, subscribeSse } from '../servers/matrix-client';
import { listen } from '../servers/listen';
import { observedAnswer } from '../servers/observed-answer';

// Adversarial review of useScopedPermissions against a real Yoga.

type Yoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

interface Served {
  readonly app: MatrixApp;
  readonly keys: MatrixKeys;
  readonly url: string;
}

const closers: Array<() => Promise<void>> = [];
afterAll(() => Promise.all(closers.map((close) => close())));

async function serve(
  mode: 'field' | 'operation',
  options: (app: MatrixApp) => UseScopedPermissionsOptions,
  plugins: (app: MatrixApp) => Plugin[] = () => [],
): Promise<Served> {
  const app = createMatrixApp(mode, 'none');
  const keys = await createMatrixKeys(app);
  const yoga: Yoga = createYoga({ schema: app.schema, logging: false, plugins: [useScopedPermissions(options(app)), ...plugins(app)] });
  const http = await listen(yoga);
  closers.push(async () => {
    await http.close();
    await app.context.dispose();
  });
  return { app, keys, url: http.url };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('a schema set at runtime', () => {
  it.each<['reject' | undefined]>([[undefined], ['reject']])(
    'mode %s: a schema swapped for an unguarded one at runtime (a poller) never runs a request unguarded',
    async (edge) => {
      let setSchema: ((schema: GraphQLSchema) => void) | undefined;
      const poller: Plugin = { onPluginInit: (init) => void (setSchema = init.setSchema) };
      const { app, url } = await serve('field', (served) => (edge === undefined ? { context: served.context } : { context: served.context, mode: edge }), () => [poller]);
      const unguarded = makeExecutableSchema({ typeDefs: app.typeDefs, resolvers: app.resolvers });
      expect(() => setSchema?.(unguarded)).toThrow(expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS' }));
      const answer = await postGraphQL(url, { query: '{ stats }' });
      expect(JSON.stringify(answer.body)).not.toContain('42 posts');
      expect(app.calls.stats).toBe(0);
      expect(answer.status).toBe(500);
    },
  );

  it('a per-request schema (onEnveloped setSchema) that is unguarded fails every request, not only the first', async () => {
    let unguarded: GraphQLSchema | undefined;
    const perRequest: Plugin = { onEnveloped: ({ setSchema }) => void (unguarded !== undefined && setSchema(unguarded)) };
    const { app, url } = await serve('field', (served) => ({ context: served.context }), () => [perRequest]);
    unguarded = makeExecutableSchema({ typeDefs: app.typeDefs, resolvers: app.resolvers });
    const first = await postGraphQL(url, { query: '{ stats }' });
    const second = await postGraphQL(url, { query: '{ stats }' });
    expect([first.status, second.status]).toEqual([500, 500]);
    expect(JSON.stringify([first.body, second.body])).not.toContain('42 posts');
    expect(app.calls.stats).toBe(0);
  });
});

describe('operation selection', () => {
  it('a document with two operations runs the named one, and is checked as that one', async () => {
    const { app, keys, url } = await serve('field', (served) => ({ context: served.context, mode: 'reject' }));
    const query = 'query Allowed { hello } query Denied { stats }';
    const allowed = await postGraphQL(url, { query, operationName: 'Allowed' }, bearer(keys.reader));
    expect(allowed.body).toEqual({ data: { hello: 'world' } });
    const denied = await postGraphQL(url, { query, operationName: 'Denied' }, bearer(keys.reader));
    expect(observedAnswer(denied)).toMatchObject({ status: 403, errors: [{ code: 'FORBIDDEN', missingScopes: ['stats.read'] }] });
    expect(app.calls.stats).toBe(0);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no operationName', {}],
    ['an unknown operationName', { operationName: 'Nope' }],
    ['an empty operationName', { operationName: '' }],
  ])('%s with two operations: answered as without the plugin, never a 500, never run', async (_label, extra) => {
    const plain = createMatrixApp('field', 'none');
    const bare = await listen(createYoga({ schema: plain.schema, logging: false }));
    closers.push(async () => (await bare.close(), await plain.context.dispose()));
    const { app, keys, url } = await serve('field', (served) => ({ context: served.context, mode: 'reject' }));
    const request = { query: 'query A { hello } query B { stats }', ...extra };
    const expected = await postGraphQL(bare.url, request);
    const answer = await postGraphQL(url, request, bearer(keys.reader));
    expect([answer.status, answer.body.errors?.length]).toEqual([expected.status, expected.body.errors?.length]);
    expect(answer.status).not.toBe(500);
    expect(app.calls.stats + app.calls.hello).toBe(0);
  });
});

describe('document tricks', () => {
  it.each<[string, Record<string, unknown>]>([
    ['@include turned on by a variable', { query: 'query ($show: Boolean = false) { hello stats @include(if: $show) }', variables: { show: true } }],
    ['@skip turned off by a variable', { query: 'query ($hide: Boolean!) { hello stats @skip(if: $hide) }', variables: { hide: false } }],
    ['a named fragment', { query: 'fragment F on Query { stats } { hello ...F }' }],
    ['an inline fragment without type', { query: '{ hello ... { stats } }' }],
    ['an aliased field', { query: '{ hello s: stats }' }],
    ['a nested fragment in a fragment', { query: 'fragment G on Query { stats } fragment F on Query { ...G } { ...F }' }],
  ])('reject refuses %s', async (_label, request) => {
    const { app, keys, url } = await serve('field', (served) => ({ context: served.context, mode: 'reject' }));
    const answer = await postGraphQL(url, request, bearer(keys.reader));
    expect(observedAnswer(answer)).toMatchObject({ status: 403, errors: [{ code: 'FORBIDDEN', missingScopes: ['stats.read'] }] });
    expect(app.calls.stats).toBe(0);
  });

  it('a GET request is checked like a POST', async () => {
    const { app, url } = await serve('field', (served) => ({ context: served.context, mode: 'reject' }));
    const response = await fetch(`${url}?query=${encodeURIComponent('{ stats }')}`, { headers: { accept: 'application/json' } });
    const body = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
    expect([response.status, body.errors?.map((error) => error.extensions?.['code'])]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(app.calls.stats).toBe(0);
  });
});

describe('context functions that misbehave', () => {
  it.each<[string, (app: MatrixApp) => UseScopedPermissionsOptions['context']]>([
    ['throws a plain Error', () => () => {
      throw new Error('db password in here');
    }],
    ['returns a rejected promise', () => () => Promise.reject(new Error('db password in here'))],
  ])('a context function that %s answers a 500 without internal text, and runs nothing', async (_label, context) => {
    const { app, url } = await serve('field', (served) => ({ context: context(served), mode: 'reject' }));
    const answer = await postGraphQL(url, { query: '{ hello stats }' });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('db password');
    expect(app.calls.stats + app.calls.hello).toBe(0);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['an empty object', {}],
    ['a principal without scopes', { principal: { kind: 'apiKey', id: 'k1' } }],
    ['a principal whose scopes are an array', { principal: { kind: 'apiKey', id: 'k1', scopes: ['stats.read'] } }],
  ])('a context function that returns %s never gets protected data', async (_label, value) => {
    for (const edge of ['reject', undefined] as const) {
      const { app, url } = await serve('field', () => {
        const context = (() => value) as unknown as UseScopedPermissionsOptions['context'];
        return edge === undefined ? { context } : { context, mode: edge };
      });
      const answer = await postGraphQL(url, { query: '{ hello stats }' });
      expect(JSON.stringify(answer.body)).not.toContain('42 posts');
      expect(app.calls.stats).toBe(0);
    }
  });
});

describe('abstract types', () => {
  const sdl = /* GraphQL */ `
    interface Node { id: ID! }
    type Secret implements Node { id: ID! value: String @scope(resource: "secrets") }
    type Plain implements Node { id: ID! }
    union Thing = Secret | Plain
    type Query { node: Node things: [Thing!]! }
  `;
  const secret = { __typename: 'Secret', id: 's1', value: 'hidden-value' };
  it.each<['field' | 'operation', 'reject' | undefined, string]>([
    ['operation', undefined, '{ node { id ... on Secret { value } } }'],
    ['operation', undefined, '{ things { ... on Secret { value } } }'],
    ['operation', undefined, 'fragment S on Secret { value } { node { ...S } }'],
    ['field', 'reject', '{ node { id ... on Secret { value } } }'],
    ['field', 'reject', '{ things { ... on Node { ... on Secret { value } } } }'],
    ['field', undefined, '{ things { ... on Secret { value } } }'],
  ])("'%s' mode, edge %s: %s never shows a guarded field of an implementation", async (mode, edge, query) => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: mode });
    const schema = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: `${scopeDirectiveTypeDefs}\n${sdl}`,
        resolvers: { Query: { node: () => secret, things: () => [secret] }, Node: { __resolveType: (value: { __typename: string }) => value.__typename }, Thing: { __resolveType: (value: { __typename: string }) => value.__typename } },
      }),
    );
    const context = () => ({ principal: ANONYMOUS_PRINCIPAL });
    const yoga: Yoga = createYoga({ schema, logging: false, plugins: [useScopedPermissions(edge === undefined ? { context } : { context, mode: edge })] });
    const http = await listen(yoga);
    closers.push(() => http.close());
    const answer = await postGraphQL(http.url, { query });
    expect(JSON.stringify(answer.body)).not.toContain('hidden-value');
    expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toContain('UNAUTHENTICATED');
  });
});

describe('denialStatus 200 with reject: the same answer as Apollo Server', () => {
  async function apolloUrl(app: MatrixApp): Promise<string> {
    const apollo = new ApolloServer<BaseContext>({ schema: app.schema, plugins: [partialResultStatusPlugin({ denialStatus: 200 }), operationScopePlugin({ mode: 'reject' })] });
    const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' }, context: ({ req }) => app.context({ req }) });
    closers.push(() => apollo.stop());
    return url;
  }

  it.each<[string, 'anonymous' | 'reader', string]>([
    ['anonymous, whole operation', 'anonymous', '{ stats }'],
    ['anonymous, one field of several', 'anonymous', '{ hello stats }'],
    ['forbidden, whole operation', 'reader', '{ stats }'],
    ['forbidden mutation', 'reader', 'mutation { createPost(title: "x") { id } }'],
  ])('%s', async (_label, caller, query) => {
    const { app, keys, url } = await serve('field', (served) => ({ context: served.context, mode: 'reject', denialStatus: 200 }));
    const reference = await apolloUrl(app);
    const headers = caller === 'anonymous' ? {} : bearer(keys.reader);
    const [apollo, yoga] = await Promise.all([postGraphQL(reference, { query }, headers), postGraphQL(url, { query }, headers)]);
    expect(observedAnswer(yoga)).toEqual(observedAnswer(apollo));
    expect(yoga.status).toBe(200);
    expect(app.calls.stats + app.calls.createPost).toBe(0);
  });
});

describe("composition with Yoga's useResponseCache", () => {
  // Yoga's response cache answers from its cache in `onParams`, before any
  // context is built, whatever the plugin order: neither the context function
  // (revocation, 401) nor `mode: 'reject'` runs on a hit. Known hole, not fixed
  // by review-3: it needs a documented recipe (or an `onParams` check) from the lead.
  it.failing('a key revoked after its answer was cached no longer reads it (session keyed by the credential)', async () => {
    const { app, url } = await serve(
      'field',
      (served) => ({ context: served.context, mode: 'reject' }),
      () => [useResponseCache({ session: (request) => request.headers.get('authorization'), ttl: 60_000 }) as Plugin],
    );
    const { apiKey, key } = await app.store.createApiKey({ name: 'cached', scopes: ['stats.read'] });
    const first = await postGraphQL(url, { query: '{ stats }' }, bearer(key));
    expect(first.body).toEqual({ data: { stats: '42 posts' } });
    await app.store.revokeApiKey(apiKey.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await postGraphQL(url, { query: '{ stats }' }, bearer(key));
    expect(after.status).toBe(401);
    expect(JSON.stringify(after.body)).not.toContain('42 posts');
  });
});

describe("a safe composition with Yoga's useResponseCache: a session that authenticates", () => {
  it('a revoked key is refused 401 and never reads the cached answer', async () => {
    const { app, url } = await serve(
      'field',
      (served) => ({ context: served.context, mode: 'reject' }),
      (served) => [
        useResponseCache({
          ttl: 60_000,
          // The session authenticates (a refusal thrown here is the answer) and names the caller with its scopes.
          session: async (request) => {
            const { principal } = await served.context({ req: request });
            return `${principal.kind}:${principal.id ?? ''}:${[...principal.scopes].sort().join(',')}`;
          },
        }) as Plugin,
      ],
    );
    const { apiKey, key } = await app.store.createApiKey({ name: 'cached', scopes: ['stats.read'] });
    const first = await postGraphQL(url, { query: '{ stats }' }, bearer(key));
    expect(first.body).toEqual({ data: { stats: '42 posts' } });
    await app.store.revokeApiKey(apiKey.id);
    const after = await postGraphQL(url, { query: '{ stats }' }, bearer(key));
    expect(after.status).toBe(401);
    expect(JSON.stringify(after.body)).not.toContain('42 posts');
    expect(app.calls.stats).toBe(1);
  });
});

describe('more transports and failures', () => {
  it.each<['field' | 'operation', 'reject' | undefined]>([
    ['field', undefined],
    ['operation', undefined],
    ['field', 'reject'],
  ])("'%s' mode, edge %s: an anonymous SSE subscription gets no event", async (mode, edge) => {
    const { app, url } = await serve(mode, (served) => (edge === undefined ? { context: served.context } : { context: served.context, mode: edge }));
    const subscription = subscribeSse(url, 'subscription { postAdded { id secret } }', {});
    try {
      await subscription.response;
      await new Promise((resolve) => setTimeout(resolve, 200));
      app.events.publish(FIRST_POST);
      await Promise.race([subscription.done, new Promise((resolve) => setTimeout(resolve, 500))]);
      expect(JSON.stringify(subscription.payloads)).not.toContain('s3cret');
      expect(subscription.payloads.flatMap((payload) => payload.errors ?? []).map((error) => error.extensions?.['code'])).toContain('UNAUTHENTICATED');
    } finally {
      subscription.close();
    }
  });

  it.each<['auto' | 200, 'reject' | 'report' | undefined]>([
    ['auto', 'reject'],
    [200, 'reject'],
    [200, undefined],
    [200, 'report'],
  ])('denialStatus %s, mode %s: a store outage answers 503 with Retry-After, never allowed, never internal text', async (denialStatus, edge) => {
    const { app, keys, url } = await serve('field', (served) =>
      edge === undefined
        ? { context: served.context, denialStatus }
        : edge === 'reject'
          ? { context: served.context, mode: edge, denialStatus }
          : { context: served.context, mode: edge, onDenied: () => undefined, denialStatus },
    );
    app.outage.on = true;
    const answer = await postGraphQL(url, { query: '{ hello stats }' }, bearer(keys.reader));
    app.outage.on = false;
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).not.toBeNull();
    expect(JSON.stringify(answer.body)).not.toMatch(/42 posts|connection lost/);
    expect(app.calls.stats + app.calls.hello).toBe(0);
  });

  it('a persisted operation is checked as the document it stands for', async () => {
    const { app, keys, url } = await serve(
      'field',
      (served) => ({ context: served.context, mode: 'reject' }),
      () => [usePersistedOperations({ getPersistedOperation: (key) => (key === 'stats' ? '{ hello stats }' : null) }) as Plugin],
    );
    const answer = await postGraphQL(url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'stats' } } }, bearer(keys.reader));
    expect(observedAnswer(answer)).toMatchObject({ status: 403, errors: [{ code: 'FORBIDDEN', missingScopes: ['stats.read'] }] });
    expect(app.calls.stats).toBe(0);
  });
});

describe('variable defaults', () => {
  it.each<['field' | 'operation', 'reject' | undefined, Record<string, unknown>]>([
    ['field', 'reject', {}],
    ['field', 'reject', { variables: null }],
    ['operation', undefined, {}],
    ['operation', undefined, { variables: {} }],
  ])("'%s' mode, edge %s, %j: a default that turns @include on is honoured by the check", async (mode, edge, extra) => {
    const { app, keys, url } = await serve(mode, (served) => (edge === undefined ? { context: served.context } : { context: served.context, mode: edge }));
    const answer = await postGraphQL(url, { query: 'query ($show: Boolean = true) { hello stats @include(if: $show) }', ...extra }, bearer(keys.reader));
    expect(JSON.stringify(answer.body)).not.toContain('42 posts');
    // The edge refuses the operation; the schema's 'operation' mode denies each of its fields.
    if (edge === 'reject') expect(observedAnswer(answer)).toMatchObject({ status: 403, data: '(absent)', errors: [{ code: 'FORBIDDEN', missingScopes: ['stats.read'] }] });
    else expect(observedAnswer(answer).errors).toContainEqual({ code: 'FORBIDDEN', requiredScope: 'stats.read', missingScopes: ['stats.read'], path: ['stats'] });
    expect(app.calls.stats + app.calls.hello).toBe(0);
  });
});
