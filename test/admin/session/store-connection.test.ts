import { resolveAdminConfig } from '../../../src/admin/admin-config';
import { blogSchema } from '../support/admin-test-server';
import { storeConnection } from '../../../src/admin/session/store-connection';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import type { ScopeStore } from '../../../src/store/scope-store';
import { describeWithMongo } from '../../support/mongo';

describe('storeConnection', () => {
  it.each([
    ['a MemoryScopeStore', new MemoryScopeStore()],
    ['a store whose models are not Mongoose models', { ...new MemoryScopeStore(), models: { ScopedApiKey: { db: {} } } } as unknown as ScopeStore],
  ])('finds no connection in %s', (_, store) => {
    expect(storeConnection(store)).toBeUndefined();
  });
});

describeWithMongo('storeConnection on a MongooseScopeStore', (database) => {
  it("finds the store's own connection", () => {
    expect(storeConnection(new MongooseScopeStore(database().connection))).toBe(database().connection);
  });

  it.each([
    [undefined, 'store'],
    ['store' as const, 'store'],
    ['memory' as const, 'memory'],
  ])('createScopeAdmin({ sessions: %p }) on a MongooseScopeStore keeps sessions in %s', async (sessions, kind) => {
    const config = resolveAdminConfig({ store: new MongooseScopeStore(database().connection), schema: blogSchema(), ...(sessions === undefined ? {} : { sessions }) });
    expect(config.sessions.kind).toBe(kind);
    await config.close();
  });
});
