import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { partialResultStatusPlugin } from '../../src/apollo';
import { type ScopedContext, createScopedContext } from '../../src/auth/create-scoped-context';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

const typeDefs = /* GraphQL */ `
  type Report {
    id: ID!
    rows: Int
  }
  type Query {
    reports: [Report!]! @scope(resource: "reports")
    analyticsExport: String @scope(resource: "analytics", action: "export")
    hello: String
  }
  type Mutation {
    createReport: Report @scope(resource: "reports")
  }
`;

interface Counts {
  resolved: number;
}

function buildSchema(mode: EnforcementMode, counts: Counts): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: mode });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, typeDefs],
      resolvers: {
        Query: {
          reports: () => {
            counts.resolved += 1;
            return Array.from({ length: 20 }, (_, n) => ({ id: String(n), rows: n }));
          },
          analyticsExport: () => {
            counts.resolved += 1;
            return 'csv';
          },
          hello: () => {
            counts.resolved += 1;
            return 'world';
          },
        },
        Mutation: {
          createReport: () => {
            counts.resolved += 1;
            return { id: 'new', rows: 0 };
          },
        },
      },
    }),
  );
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: Record<string, unknown> }> };
}

describe.each<EnforcementMode>(['field', 'operation'])('per-scope rate limits through Apollo Server 5, %s mode', (mode) => {
  const counts: Counts = { resolved: 0 };
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  let server: ApolloServer<ScopedContext>;
  let url: string;
  let context: ReturnType<typeof createScopedContext>;
  const keys: Record<'exporter' | 'other' | 'reader', string> = { exporter: '', other: '', reader: '' };

  beforeAll(async () => {
    keys.exporter = (await store.createApiKey({ name: 'exporter', scopes: ['analytics.export', 'reports.*'] })).key;
    keys.other = (await store.createApiKey({ name: 'other', scopes: ['analytics.export'] })).key;
    keys.reader = (await store.createApiKey({ name: 'reader', scopes: ['reports.read'] })).key;
    context = createScopedContext({ store, rateLimits: { 'analytics.export': '2/hour', 'reports.write': '1/hour' } });
    server = new ApolloServer<ScopedContext>({ schema: buildSchema(mode, counts), plugins: [partialResultStatusPlugin()] });
    ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context }));
  });
  afterAll(async () => {
    await server.stop();
    await context.dispose();
  });

  async function newKey(scopes: string[]): Promise<string> {
    return (await store.createApiKey({ name: 'fresh', scopes })).key;
  }

  async function post(key: string, query: string): Promise<Answer> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
  }

  it('serves exactly the rate, then answers 429 with Retry-After and RATE_LIMITED before the resolver runs; another key keeps its own budget', async () => {
    for (let n = 0; n < 2; n += 1) {
      const allowed = await post(keys.exporter, '{ analyticsExport }');
      expect(allowed).toMatchObject({ status: 200, body: { data: { analyticsExport: 'csv' } } });
    }
    const before = counts.resolved;
    const refused = await post(keys.exporter, '{ analyticsExport }');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(3500);
    expect(refused.body.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ limitedScope: 'analytics.export', retryAfterSeconds: Number(refused.retryAfter) });
    expect(counts.resolved).toBe(before);

    // A flood from one key does not touch another key's budget.
    expect(await post(keys.other, '{ analyticsExport }')).toMatchObject({ status: 200, body: { data: { analyticsExport: 'csv' } } });
  });

  it(
    mode === 'field'
      ? 'refuses only the limited field (as a missing scope is refused) and answers the rest with 200'
      : 'refuses the whole operation before any resolver runs, including its unlimited fields',
    async () => {
      const key = await newKey(['analytics.export']);
      for (let n = 0; n < 2; n += 1) expect((await post(key, '{ analyticsExport }')).status).toBe(200);
      const before = counts.resolved;
      const answer = await post(key, '{ hello analyticsExport }');
      // Operation mode reports a refused operation once, as it reports a denial.
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
      if (mode === 'field') {
        expect(answer).toMatchObject({ status: 200, body: { data: { hello: 'world', analyticsExport: null } } });
        expect(counts.resolved).toBe(before + 1);
      } else {
        expect(answer.status).toBe(429);
        expect(answer.body.data).toEqual({ hello: null, analyticsExport: null });
        expect(counts.resolved).toBe(before);
      }
    },
  );

  it('uses one unit per operation, not per field or list item, and a refused mutation uses none', async () => {
    keys.exporter = await newKey(['analytics.export', 'reports.*']);
    // reports.read is not limited; 20 list items and two selections of the limited mutation scope use one unit.
    expect((await post(keys.exporter, '{ a: reports { id } b: reports { rows } }')).status).toBe(200);
    const denied = await post(keys.reader, 'mutation { createReport { id } }');
    expect(denied.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    // The reader's refusals used no unit of its own bucket, and never another key's.
    const first = await post(keys.exporter, 'mutation { a: createReport { id } b: createReport { id } }');
    expect(first).toMatchObject({ status: 200, body: { data: { a: { id: 'new' }, b: { id: 'new' } } } });
    const second = await post(keys.exporter, 'mutation { createReport { id } }');
    expect(second.status).toBe(429);
    expect(second.body.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
  });

  it('leaves operations that touch no limited scope alone', async () => {
    for (let n = 0; n < 5; n += 1) expect((await post(keys.reader, '{ reports { id } hello }')).status).toBe(200);
  });
});

describe('a key’s own rate limit through Apollo Server 5', () => {
  const counts: Counts = { resolved: 0 };
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  let server: ApolloServer<ScopedContext>;
  let url: string;
  let context: ReturnType<typeof createScopedContext>;

  beforeAll(async () => {
    context = createScopedContext({ store });
    server = new ApolloServer<ScopedContext>({ schema: buildSchema('field', counts), plugins: [partialResultStatusPlugin()] });
    ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context }));
  });
  afterAll(async () => {
    await server.stop();
    await context.dispose();
  });

  async function post(key: string, query: string): Promise<Answer> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
  }

  it('counts every request of the key, public fields included, and answers 429 with Retry-After before any resolver; other keys are untouched', async () => {
    const metered = await store.createApiKey({ name: 'metered', scopes: ['reports.read'], rateLimit: '2/hour' });
    const plain = await store.createApiKey({ name: 'plain', scopes: ['reports.read'] });
    expect((await post(metered.key, '{ hello }')).status).toBe(200);
    expect((await post(metered.key, '{ reports { id } }')).status).toBe(200);
    const before = counts.resolved;
    const refused = await post(metered.key, '{ hello }');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(3500);
    expect(refused.body.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(refused.body.errors?.[0]?.extensions).not.toHaveProperty('limitedScope');
    expect(counts.resolved).toBe(before);
    for (let n = 0; n < 5; n += 1) expect((await post(plain.key, '{ hello }')).status).toBe(200);
  });

  it('follows a change of the key’s limit', async () => {
    const { apiKey, key } = await store.createApiKey({ name: 'metered', scopes: ['reports.read'], rateLimit: '1/hour' });
    expect((await post(key, '{ hello }')).status).toBe(200);
    expect((await post(key, '{ hello }')).status).toBe(429);
    await store.updateApiKey(apiKey.id, { rateLimit: '5/hour' });
    expect((await post(key, '{ hello }')).status).toBe(200);
    await store.updateApiKey(apiKey.id, { rateLimit: null });
    for (let n = 0; n < 6; n += 1) expect((await post(key, '{ hello }')).status).toBe(200);
  });
});

describe.each<EnforcementMode>(['field', 'operation'])('per-scope rate limits and batched requests (one context, several operations), %s mode', (mode) => {
  const counts: Counts = { resolved: 0 };
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  let server: ApolloServer<ScopedContext>;
  let url: string;
  let context: ReturnType<typeof createScopedContext>;

  beforeAll(async () => {
    context = createScopedContext({ store, rateLimits: { 'analytics.export': '2/hour' } });
    server = new ApolloServer<ScopedContext>({ schema: buildSchema(mode, counts), allowBatchedHttpRequests: true, plugins: [partialResultStatusPlugin()] });
    ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context }));
  });
  afterAll(async () => {
    await server.stop();
    await context.dispose();
  });

  it('charges every operation of a batch: a batch cannot pass many operations for one unit', async () => {
    const { key } = await store.createApiKey({ name: 'batcher', scopes: ['analytics.export'] });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(Array.from({ length: 4 }, () => ({ query: '{ analyticsExport }' }))),
    });
    const answers = (await response.json()) as Array<Answer['body']>;
    expect(answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'ok')).toEqual(['ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});
