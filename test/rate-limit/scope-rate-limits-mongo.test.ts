import { GraphQLError } from 'graphql';
import { type ScopedContextFunction, createScopedContext } from '../../src/auth/create-scoped-context';
import { MongooseScopeStore } from '../../src/store/mongoose/mongoose-scope-store';
import { describeWithMongo, testMongoUri } from '../support/mongo';
import { type StoreWriter, startStoreWriter } from '../support/store-writer';

const RATES = { 'analytics.export': '4/hour' };

describeWithMongo('per-scope rate limits on a MongooseScopeStore', (database) => {
  let other: StoreWriter;
  let context: ScopedContextFunction;
  const keys = new Map<string, string>();

  beforeAll(async () => {
    other = await startStoreWriter(testMongoUri() as string, database().dbName);
    const store = new MongooseScopeStore(database().connection, { hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
    for (const name of ['first', 'second']) {
      const created = await store.createApiKey({ name, scopes: ['analytics.export'] });
      keys.set(created.apiKey.id, created.key);
    }
    // No backend named: the store's own database.
    context = createScopedContext({ store, rateLimits: RATES });
  });
  afterAll(async () => {
    await other.stop();
    await context.dispose();
  });

  async function here(keyId: string): Promise<string> {
    const { rateLimit } = await context({ req: { headers: { authorization: `Bearer ${keys.get(keyId) ?? ''}` } } });
    return (rateLimit?.consume(['analytics.export'], { variableValues: {}, operation: { operation: 'query' } }) ?? Promise.reject(new Error('no limits'))).then(
      () => 'ok',
      (error: unknown) => (error instanceof GraphQLError ? String(error.extensions.code) : 'ERROR'),
    );
  }

  async function there(keyId: string): Promise<string> {
    const reply = await other.call('consumeScopeRateLimits', RATES, keyId, ['analytics.export']);
    return reply.ok ? 'ok' : (reply.code ?? 'ERROR');
  }

  it('counts by default in the store database, so two processes share one bucket per key and scope', async () => {
    const outcomes: string[] = [];
    // Alternating, one at a time: FerretDB 1.x does not isolate concurrent increments of one document.
    const [first, second] = [...keys.keys()] as [string, string];
    for (let n = 0; n < 3; n += 1) {
      outcomes.push(await here(first));
      outcomes.push(await there(first));
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    // Another key has a bucket of its own, in both processes.
    expect([await there(second), await here(second)]).toEqual(['ok', 'ok']);
  });
});
