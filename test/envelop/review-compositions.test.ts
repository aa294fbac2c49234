import { ApolloServer, type BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Plugin } from '@envelop/core';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { operationScopePlugin, partialResultStatusPlugin } from '../../src/apollo';
import { FIRST_POST, type MatrixApp } from '../servers/matrix-app';
import { postGraphQL, subscribeSse } from '../servers/matrix-client';
import { observedAnswer } from '../servers/observed-answer';
import { bearer, closeAll, onClose, serve } from './serve-yoga';

// Adversarial review (review-3) of useScopedPermissions composed with other
// servers and plugins: parity with Apollo Server under denialStatus 200,
// Yoga's response cache and persisted operations, SSE, store outages.

afterAll(closeAll);

describe('denialStatus 200 with reject: the same answer as Apollo Server', () => {
  async function apolloUrl(app: MatrixApp): Promise<string> {
    const apollo = new ApolloServer<BaseContext>({ schema: app.schema, plugins: [partialResultStatusPlugin({ denialStatus: 200 }), operationScopePlugin({ mode: 'reject' })] });
    const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' }, context: ({ req }) => app.context({ req }) });
    onClose(() => apollo.stop());
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
