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
});
