import { createScopedModels } from '../../../src/store/mongoose/create-scoped-models';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import { toStoreError } from '../../../src/store/mongoose/store-error';
import { connectTestDatabase, describeWithMongo } from '../../support/mongo';
import type { TestDatabase } from '../../support/mongo';
import { TEST_HASH_OPTIONS } from '../store-contract';

describeWithMongo('createScopedModels', (database) => {
  let second: TestDatabase;
  beforeAll(async () => {
    second = await connectTestDatabase();
  });
  afterAll(async () => {
    await second.dispose();
  });

  it('binds the models to the given connection with the default collections', () => {
    const { ScopedApiKey, ScopedGroup } = createScopedModels(database().connection);
    expect(ScopedApiKey.db).toBe(database().connection);
    expect(ScopedGroup.db).toBe(database().connection);
    expect(ScopedApiKey.collection.collectionName).toBe('scoped_api_keys');
    expect(ScopedGroup.collection.collectionName).toBe('scoped_groups');
  });

  it('is idempotent per connection', () => {
    const first = createScopedModels(database().connection);
    const again = createScopedModels(database().connection);
    expect(again.ScopedApiKey).toBe(first.ScopedApiKey);
    expect(again.ScopedGroup).toBe(first.ScopedGroup);
  });

  it('keeps a second connection’s models and data apart', async () => {
    const one = new MongooseScopeStore(createScopedModels(database().connection), { hashOptions: TEST_HASH_OPTIONS });
    const two = new MongooseScopeStore(createScopedModels(second.connection), { hashOptions: TEST_HASH_OPTIONS });
    expect(two.models.ScopedApiKey).not.toBe(one.models.ScopedApiKey);
    expect(two.models.ScopedApiKey.db).toBe(second.connection);
    const { apiKey } = await two.createApiKey({ name: 'second-only', scopes: ['posts.read'] });
    await expect(two.getApiKey(apiKey.id)).resolves.toEqual(apiKey);
    await expect(one.getApiKey(apiKey.id)).resolves.toBeNull();
    await expect(two.models.ScopedApiKey.createKey({ name: 'static', hashOptions: TEST_HASH_OPTIONS })).resolves.toMatchObject({ apiKey: { name: 'static' } });
    await expect(second.connection.collection('scoped_api_keys').countDocuments()).resolves.toBe(2);
  });

  it('takes custom collection names', async () => {
    const connection = second.connection.useDb(`${second.dbName}_custom`, { useCache: false });
    const { ScopedApiKey, ScopedGroup, ScopedChange, ScopedAudit } = createScopedModels(connection, {
      apiKeyCollection: 'acme_keys',
      groupCollection: 'acme_groups',
      changeCollection: 'acme_changes',
      auditCollection: 'acme_audit',
    });
    expect(ScopedApiKey.collection.collectionName).toBe('acme_keys');
    expect(ScopedGroup.collection.collectionName).toBe('acme_groups');
    expect(ScopedChange.collection.collectionName).toBe('acme_changes');
    expect(ScopedAudit.collection.collectionName).toBe('acme_audit');
    const store = new MongooseScopeStore({ ScopedApiKey, ScopedGroup, ScopedChange, ScopedAudit }, { hashOptions: TEST_HASH_OPTIONS });
    await store.saveGroup({ name: 'editors', scopes: ['posts.read'] });
    await expect(connection.collection('acme_groups').countDocuments({ name: 'editors' })).resolves.toBe(1);
    await expect(connection.collection('acme_changes').countDocuments({ type: 'group', group: 'editors', action: 'saved' })).resolves.toBe(1);
    await expect(connection.collection('acme_audit').countDocuments({ target: 'editors', action: 'group-saved' })).resolves.toBe(1);
    expect(() => createScopedModels(connection, { apiKeyCollection: 'other_keys' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    await connection.dropDatabase();
  });

  it.each([['empty', ''], ['system.', 'system.keys'], ['a $', 'keys$'], ['a NUL', 'ke\u0000ys'], ['too long', 'k'.repeat(121)]])(
    'rejects a collection name that is %s with ERR_INVALID_OPTIONS',
    (_label, name) => {
      const connection = second.connection.useDb(`${second.dbName}_bad`, { useCache: false });
      expect(() => createScopedModels(connection, { groupCollection: name })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    },
  );

  it('builds the unique key id, unique group name and members indexes', async () => {
    const { ScopedApiKey, ScopedGroup } = createScopedModels(second.connection);
    await Promise.all([ScopedApiKey.init(), ScopedGroup.init()]);
    const keyIndexes = await ScopedApiKey.collection.indexes();
    const groupIndexes = await ScopedGroup.collection.indexes();
    expect(keyIndexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { keyId: 1 }, unique: true })]));
    expect(groupIndexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: { name: 1 }, unique: true }), expect.objectContaining({ key: { members: 1 } })]),
    );
  });

  it('enforces unique group names: a second document with the same name is a duplicate (11000 → ERR_DUPLICATE)', async () => {
    const { ScopedGroup } = createScopedModels(second.connection);
    await ScopedGroup.init();
    await ScopedGroup.create({ name: 'twins', scopes: [] });
    const error = await ScopedGroup.create({ name: 'twins', scopes: ['posts.read'] }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({ code: 11000 });
    expect(toStoreError(error, 'saveGroup')).toMatchObject({ code: 'ERR_DUPLICATE' });
    await expect(ScopedGroup.countDocuments({ name: 'twins' })).resolves.toBe(1);
  });
});
