import { makeExecutableSchema } from '@graphql-tools/schema';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useScopedPermissions, type UseScopedPermissionsOptions } from '../../src/envelop';
import { FIRST_POST, type MatrixApp, createMatrixApp } from '../servers/matrix-app';
import { type MatrixKeys, createMatrixKeys } from '../servers/matrix-cases';
import { postGraphQL, subscribeSse } from '../servers/matrix-client';
import { listen } from '../servers/listen';
import { observedBody } from '../servers/observed-answer';
import { until } from '../support/until';

// useScopedPermissions through a real GraphQL Yoga on Node's HTTP server:
// what the behaviour matrix (test/servers) does not cover, and attacks.

type Yoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

interface Served {
  readonly app: MatrixApp;
  readonly keys: MatrixKeys;
  readonly url: string;
  close(): Promise<void>;
}

const opened: Served[] = [];
afterAll(() => Promise.all(opened.map((served) => served.close())));

async function serve(
  mode: 'field' | 'operation',
  options: (app: MatrixApp) => UseScopedPermissionsOptions,
  yogaOptions: { batching?: boolean } = {},
): Promise<Served> {
  const app = createMatrixApp(mode, 'none');
  const keys = await createMatrixKeys(app);
  const yoga: Yoga = createYoga({ schema: app.schema, logging: false, plugins: [useScopedPermissions(options(app))], ...yogaOptions });
  const http = await listen(yoga);
  const served = {
    app,
    keys,
    url: http.url,
    async close() {
      await http.close();
      await app.context.dispose();
    },
  };
  opened.push(served);
  return served;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('options', () => {
  const context = () => ({ principal: { kind: 'anonymous' } as const });
  it.each<[string, unknown]>([
    ['no context', {}],
    ['a context that is not a function', { context: 'scopedContext' }],
    ['an unknown mode', { context, mode: 'block' }],
    ['report without onDenied', { context, mode: 'report' }],
    ['an onDenied that is not a function', { context, mode: 'reject', onDenied: 'log' }],
    ['onDenied without a mode', { context, onDenied: () => undefined }],
    ['denialStatus 403', { context, denialStatus: 403 }],
    ['denialStatus "200"', { context, denialStatus: '200' }],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_label, options) => {
    expect(() => useScopedPermissions(options as UseScopedPermissionsOptions)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('the start-up check (onSchemaChange)', () => {
  const app = createMatrixApp('field', 'none');
  afterAll(() => app.context.dispose());
  const untransformed = makeExecutableSchema({ typeDefs: app.typeDefs, resolvers: app.resolvers });

  it('refuses a schema whose @scope fields are not guarded, with ERR_UNGUARDED_FIELDS', () => {
    expect(() => createYoga({ schema: untransformed, plugins: [useScopedPermissions({ context: app.context })] })).toThrow(
      expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS' }),
    );
  });

  it('accepts the transformed schema; refuses one carrying @scope untransformed even with assertEnforced: false (loud misuse)', () => {
    expect(() => createYoga({ schema: app.schema, plugins: [useScopedPermissions({ context: app.context })] })).not.toThrow();
    expect(() => createYoga({ schema: untransformed, plugins: [useScopedPermissions({ context: app.context, assertEnforced: false })] })).toThrow(
      expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS' }),
    );
  });
});

describe('attacks', () => {
  it.each<[string, 'field' | 'operation', 'reject' | undefined]>([
    ["'field' mode, edge reject", 'field', 'reject'],
    ["'operation' mode, no edge check", 'operation', undefined],
    ["'operation' mode, edge reject", 'operation', 'reject'],
  ])('%s: a mutation whose scopes are missing is refused before any resolver runs', async (_label, mode, edge) => {
    const { app, keys, url } = await serve(mode, (served) => (edge === undefined ? { context: served.context } : { context: served.context, mode: edge }));
    const answer = await postGraphQL(url, { query: 'mutation { first: createPost(title: "a") { id } second: createPost(title: "b") { id } }' }, bearer(keys.reader));
    expect(answer.body.errors?.map((error) => [error.extensions?.['code'], error.extensions?.['missingScopes']])).toEqual(
      // One error either way: operation mode reports a refused operation once (the second root field is never run).
      [['FORBIDDEN', ['posts.write']]],
    );
    expect(app.calls.createPost).toBe(0);
  });

  it.each<[string, 'field' | 'operation', 'reject' | undefined]>([
    ["'field' mode, edge reject", 'field', 'reject'],
    ["'field' mode, no edge check", 'field', undefined],
    ["'operation' mode, no edge check", 'operation', undefined],
  ])('%s: a batch mixing allowed and denied operations answers each on its own, and runs no denied resolver', async (_label, mode, edge) => {
    const { app, keys, url } = await serve(mode, (served) => (edge === undefined ? { context: served.context } : { context: served.context, mode: edge }), { batching: true });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(keys.reader) },
      body: JSON.stringify([
        { query: '{ posts { id } }' },
        { query: 'mutation Steal { createPost(title: "x") { id } }' },
        { query: 'query Sneak { hello stats }' },
        { query: '{ hello }' },
      ]),
    });
    const results = (await response.json()) as Array<{ data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }>;
    // Yoga answers a batch 200 whatever its parts; each part carries its own errors.
    expect(response.status).toBe(200);
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual({ data: { posts: [{ id: 'p1' }] } });
    expect(results[3]).toEqual({ data: { hello: 'world' } });
    expect(results[1]?.errors?.map((error) => [error.extensions?.['code'], error.extensions?.['requiredScope']])).toEqual([['FORBIDDEN', 'posts.write']]);
    expect(results[2]?.errors?.map((error) => error.extensions?.['requiredScope'])).toContain('stats.read');
    expect(JSON.stringify(results[2])).not.toContain('42 posts');
    expect(app.calls.createPost).toBe(0);
    expect(app.calls.stats).toBe(0);
  });

  it('a batch cannot borrow another caller: every operation runs as the request that carries it', async () => {
    const { app, keys, url } = await serve('field', (served) => ({ context: served.context, mode: 'reject' }), { batching: true });
    const batch = [{ query: 'mutation { createPost(title: "x") { id } }' }, { query: '{ posts { id } }' }];
    const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    const results = (await anonymous.json()) as Array<{ errors?: Array<{ extensions?: Record<string, unknown> }> }>;
    expect(results.map((result) => result.errors?.map((error) => error.extensions?.['code']))).toEqual([['UNAUTHENTICATED'], ['UNAUTHENTICATED']]);
    const writer = await postGraphQL(url, batch[0], bearer(keys.writer));
    expect(writer.body.errors).toBeUndefined();
    expect(app.calls.createPost).toBe(1);
  });

  it('a subscription after revocation is refused at subscribe time, over SSE', async () => {
    const { app, keys, url } = await serve('field', (served) => ({ context: served.context, mode: 'reject' }));
    const { apiKey, key } = await app.store.createApiKey({ name: 'gone', scopes: ['posts.read'] });
    await app.store.revokeApiKey(apiKey.id);
    const revoked = subscribeSse(url, 'subscription { postAdded { id } }', bearer(key));
    await expect(revoked.response).resolves.toMatchObject({ status: 401 });
    await revoked.done;
    expect(revoked.payloads.map(observedBody)).toEqual([{ data: '(absent)', errors: [{ code: 'UNAUTHENTICATED' }] }]);
    const stranger = subscribeSse(url, 'subscription { postAdded { id } }', bearer(keys.stranger));
    await expect(stranger.response).resolves.toMatchObject({ status: 403 });
    await stranger.done;
    expect(stranger.payloads.map(observedBody)).toEqual([{ data: '(absent)', errors: [{ code: 'FORBIDDEN', requiredScope: 'posts.read', missingScopes: ['posts.read'] }] }]);
    expect(app.calls.postAdded).toBe(0);
  });

  it.each<['field' | 'operation']>([['field'], ['operation']])(
    "'%s' mode: an SSE subscription whose key is revoked mid-stream gets one last payload with the refusal, then ends and frees its source",
    async (mode) => {
      const { app, url } = await serve(mode, (served) => ({ context: served.context, mode: 'reject' }));
      const { apiKey, key } = await app.store.createApiKey({ name: 'subscriber', scopes: ['posts.read'] });
      const subscription = subscribeSse(url, 'subscription { postAdded { id } }', bearer(key));
      try {
        await expect(subscription.response).resolves.toMatchObject({ status: 200 });
        await until(() => app.events.open === 1);
        app.events.publish(FIRST_POST);
        await until(() => subscription.payloads.length === 1);
        await app.store.revokeApiKey(apiKey.id);
        app.events.publish({ ...FIRST_POST, id: 'p3' });
        await subscription.done;
        expect(subscription.payloads.map(observedBody)).toEqual([
          { data: { postAdded: { id: 'p1' } }, errors: [] },
          {
            data: { postAdded: null },
            errors: [{ code: 'UNAUTHENTICATED', requiredScope: 'posts.read', path: ['postAdded'], ...(mode === 'operation' ? { missingScopes: ['posts.read'] } : {}) }],
          },
        ]);
        expect(app.events.open).toBe(0);
      } finally {
        subscription.close();
      }
    },
  );
});

describe('report mode, status policy and context', () => {
  it('report: tells onDenied what reject would refuse, and answers as without the check', async () => {
    const events: Array<{ operationName: string | null; missing: string[]; principal: string | undefined }> = [];
    const { keys, url } = await serve('field', (served) => ({
      context: served.context,
      mode: 'report',
      onDenied: ({ operationName, check, principal }) => events.push({ operationName, missing: check.denied.map((denied) => denied.requiredScope ?? ""), principal: principal?.kind }),
    }));
    const answer = await postGraphQL(url, { query: 'query Stats { hello stats }' }, bearer(keys.reader));
    expect([answer.status, observedBody(answer.body)]).toEqual([200, { data: { hello: 'world', stats: null }, errors: [{ code: 'FORBIDDEN', requiredScope: 'stats.read', path: ['stats'] }] }]);
    expect(events).toEqual([{ operationName: 'Stats', missing: ['stats.read'], principal: 'apiKey' }]);
  });

  it('an onDenied that throws goes to process warnings; the refusal stands and the client sees nothing of it', async () => {
    const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { keys, url } = await serve('field', (served) => ({
        context: served.context,
        mode: 'reject',
        onDenied: () => {
          throw new Error('logger down');
        },
      }));
      const answer = await postGraphQL(url, { query: '{ stats }' }, bearer(keys.reader));
      expect([answer.status, observedBody(answer.body)]).toEqual([403, { data: '(absent)', errors: [{ code: 'FORBIDDEN', requiredScope: 'stats.read', missingScopes: ['stats.read'] }] }]);
      expect(JSON.stringify(answer.body)).not.toContain('logger down');
      expect(warnings).toHaveBeenCalledWith(expect.objectContaining({ message: 'logger down' }));
    } finally {
      warnings.mockRestore();
    }
  });

  it('denialStatus 200 answers field denials 200, while bad credentials keep their 401', async () => {
    const { keys, url } = await serve('field', (served) => ({ context: served.context, denialStatus: 200 }));
    const denied = await postGraphQL(url, { query: '{ posts { id } }' }, bearer(keys.stranger));
    expect([denied.status, observedBody(denied.body)]).toEqual([200, { data: null, errors: [{ code: 'FORBIDDEN', requiredScope: 'posts.read', path: ['posts'] }] }]);
    const anonymous = await postGraphQL(url, { query: '{ posts { id } }' });
    expect(anonymous.status).toBe(200);
    const badKey = await postGraphQL(url, { query: '{ hello }' }, { authorization: 'Bearer nope' });
    expect([badKey.status, badKey.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
  });

  it('gives any context function the initial context and the request, and spreads what it returns into the context', async () => {
    const seen: Array<{ hasHeadersGet: boolean; hasParams: boolean }> = [];
    const app = createMatrixApp('field', 'none');
    const keys = await createMatrixKeys(app);
    const yoga: Yoga = createYoga({
      schema: app.schema,
      logging: false,
      plugins: [
        useScopedPermissions({
          context: async (initial) => {
            seen.push({ hasHeadersGet: typeof (initial.req.headers as { get?: unknown }).get === 'function', hasParams: 'params' in initial });
            return app.context(initial);
          },
        }),
      ],
    });
    const http = await listen(yoga);
    opened.push({ app, keys, url: http.url, close: async () => (await http.close(), await app.context.dispose()) });
    const answer = await postGraphQL(http.url, { query: '{ posts { id } }' }, { 'x-api-key': keys.reader });
    expect(answer.body).toEqual({ data: { posts: [{ id: 'p1' }] } });
    expect(seen).toEqual([{ hasHeadersGet: true, hasParams: true }]);
  });
});
