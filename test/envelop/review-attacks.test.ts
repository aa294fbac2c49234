import type { Plugin } from '@envelop/core';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { useScopedPermissions, type UseScopedPermissionsOptions } from '../../src/envelop';
import { scopeDirective } from '../../src/directive/scope-directive';
import { ANONYMOUS_PRINCIPAL } from '../../src/principal/principal';
import { type MatrixApp, createMatrixApp } from '../servers/matrix-app';
import { postGraphQL } from '../servers/matrix-client';
import { listen } from '../servers/listen';
import { observedAnswer } from '../servers/observed-answer';
import { type Yoga, bearer, closeAll, onClose, serve } from './serve-yoga';

// Adversarial review (review-3) of useScopedPermissions against a real Yoga:
// schemas set at runtime, operation selection, document tricks, context
// functions that misbehave, abstract types, variable defaults.

afterAll(closeAll);

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
    onClose(async () => (await bare.close(), await plain.context.dispose()));
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
    type Vault implements Node @scope(resource: "vault") { id: ID! code: String }
    union Thing = Secret | Plain | Vault
    type Query { node: Node things: [Thing!]! box: Node }
  `;
  const secret = { __typename: 'Secret', id: 's1', value: 'hidden-value' };
  const vault = { __typename: 'Vault', id: 'v1', code: 'hidden-value' };
  it.each<['field' | 'operation', 'reject' | undefined, string]>([
    ['operation', undefined, '{ node { id ... on Secret { value } } }'],
    ['operation', undefined, '{ things { ... on Secret { value } } }'],
    ['operation', undefined, 'fragment S on Secret { value } { node { ...S } }'],
    ['field', 'reject', '{ node { id ... on Secret { value } } }'],
    ['field', 'reject', '{ things { ... on Node { ... on Secret { value } } } }'],
    ['field', undefined, '{ things { ... on Secret { value } } }'],
    ['operation', undefined, '{ box { ... on Vault { code } } }'],
    ['field', 'reject', '{ box { ... on Vault { code } } }'],
    ['field', undefined, '{ box { ... on Vault { code } } }'],
    ['field', 'reject', 'fragment V on Vault { code } { things { ...V } }'],
    ['field', undefined, '{ box { id } }'],
    ['field', 'reject', '{ box { id } }'],
    ['operation', undefined, '{ box { id } }'],
  ])("'%s' mode, edge %s: %s never shows a guarded field of an implementation", async (mode, edge, query) => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: mode });
    const schema = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: `${scopeDirectiveTypeDefs}\n${sdl}`,
        resolvers: { Query: { node: () => secret, things: () => [secret, vault], box: () => vault }, Node: { __resolveType: (value: { __typename: string }) => value.__typename }, Thing: { __resolveType: (value: { __typename: string }) => value.__typename } },
      }),
    );
    const context = () => ({ principal: ANONYMOUS_PRINCIPAL });
    const yoga: Yoga = createYoga({ schema, logging: false, plugins: [useScopedPermissions(edge === undefined ? { context } : { context, mode: edge })] });
    const http = await listen(yoga);
    onClose(() => http.close());
    const answer = await postGraphQL(http.url, { query });
    expect(JSON.stringify(answer.body)).not.toMatch(/hidden-value|"v1"/);
    expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toContain('UNAUTHENTICATED');
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
    // The edge refuses the operation; the schema's 'operation' mode refuses it too.
    if (edge === 'reject') expect(observedAnswer(answer)).toMatchObject({ status: 403, data: '(absent)', errors: [{ code: 'FORBIDDEN', missingScopes: ['stats.read'] }] });
    // Operation mode reports the refused operation once, at the first root field resolved.
    else expect(observedAnswer(answer).errors).toEqual([{ code: 'FORBIDDEN', requiredScope: 'stats.read', missingScopes: ['stats.read'], path: ['hello'] }]);
    expect(app.calls.stats + app.calls.hello).toBe(0);
  });
});
