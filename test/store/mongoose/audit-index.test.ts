import { AUDIT_ACTOR_INDEX, AUDIT_NEWEST_INDEX, AUDIT_TARGET_INDEX } from '../../../src/store/mongoose/audit-schema';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import { describeWithMongo, uniqueDbName } from '../../support/mongo';
import { MONGO_ENV } from '../../support/mongo-env';
import { TEST_HASH_OPTIONS } from '../store-contract';

describeWithMongo('MongooseScopeStore audit history indexes', (database) => {
  let store: MongooseScopeStore;
  beforeAll(async () => {
    store = new MongooseScopeStore(database().connection.useDb(uniqueDbName(), { useCache: false }), { hashOptions: TEST_HASH_OPTIONS });
    await store.models.ScopedAudit.init();
    for (let i = 0; i < 30; i += 1) await store.saveGroup({ name: `group-${i % 3}`, scopes: ['posts.read'] }, { actor: `cli:user${i % 5}` });
  });

  it('creates the three named indexes', async () => {
    const indexes = await store.models.ScopedAudit.collection.indexes();
    expect(indexes.map((index) => index.name)).toEqual(expect.arrayContaining([AUDIT_NEWEST_INDEX, AUDIT_ACTOR_INDEX, AUDIT_TARGET_INDEX]));
  });

  it('stores nothing but the documented fields', async () => {
    const docs = await store.models.ScopedAudit.collection.find({}).limit(3).toArray();
    for (const doc of docs) expect(Object.keys(doc).sort()).toEqual(['_id', 'action', 'actor', 'at', 'changes', 'subjects', 'target', 'targetType']);
  });

  // FerretDB 1.x on SQLite plans these filters as scans with an in-memory sort, whatever the index:
  // the plans can only be checked on MongoDB (set the test database to a real mongod).
  const itOnMongoDb = process.env[MONGO_ENV.kind] === 'ferretdb' ? it.skip : it;
  itOnMongoDb.each([
    ['the newest page', {}, AUDIT_NEWEST_INDEX],
    ['an actor filter', { actor: 'cli:user1' }, AUDIT_ACTOR_INDEX],
    ['a target filter', { subjects: 'group:group-1' }, AUDIT_TARGET_INDEX],
  ])('serves %s from its index (explain on mongod)', async (_label, filter, index) => {
    const plan = await store.models.ScopedAudit.find({ at: { $gte: new Date(0) }, ...filter }).sort({ at: -1, _id: -1 }).limit(50).explain('queryPlanner');
    const text = JSON.stringify(plan);
    expect(text).toContain(`"indexName":"${index}"`);
    expect(text).not.toContain('"stage":"SORT"');
  });
});
