import type { Connection } from 'mongoose';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import type { CreatedApiKey } from '../../../src/store/scope-store';
import { connectTo, describeWithMongo, testMongoUri, uniqueDbName } from '../../support/mongo';
import { startStoreWriter } from '../../support/store-writer';
import type { StoreWriter } from '../../support/store-writer';
import { holdNextHash } from '../contract/rotation-race-contract';
import { TEST_HASH_OPTIONS } from '../store-contract';

const HOUR_MS = 3_600_000;

// rotateApiKey in this process, with its hash held open, while another
// process (its own MongooseScopeStore on the same database) revokes, narrows
// or rotates the same key: the store contract's race, across processes.
describeWithMongo('rotateApiKey against another process', () => {
  const uri = testMongoUri() ?? '';
  let dbName: string;
  let writer: StoreWriter;
  let connection: Connection;
  let store: MongooseScopeStore;

  beforeAll(async () => {
    dbName = uniqueDbName();
    writer = await startStoreWriter(uri, dbName);
    connection = await connectTo(uri, dbName);
    store = new MongooseScopeStore(connection, { hashOptions: TEST_HASH_OPTIONS });
  }, 40_000);

  afterAll(async () => {
    await writer.stop();
    await connection.dropDatabase();
    await connection.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  async function createKey(scopes: string[]): Promise<CreatedApiKey> {
    const reply = await writer.call('createApiKey', { name: 'ci', scopes });
    if (!reply.ok) throw new Error(`createApiKey failed in the other process: ${reply.code}`);
    return reply.result as CreatedApiKey;
  }

  /** Rotates `id` here, running `method(...args)` in the other process while the new secret is being hashed. */
  async function rotateAround(id: string, gracePeriodMs: number, method: string, ...args: unknown[]): Promise<PromiseSettledResult<CreatedApiKey>> {
    const held = holdNextHash();
    const rotation = store.rotateApiKey(id, { gracePeriodMs });
    await held.entered;
    const reply = await writer.call(method, ...args);
    expect(reply).toMatchObject({ ok: true });
    held.release();
    const [settled] = await Promise.allSettled([rotation]);
    return settled as PromiseSettledResult<CreatedApiKey>;
  }

  it('refuses with ERR_KEY_INACTIVE when the other process revokes the key mid-rotation, and leaves no active successor', async () => {
    const { apiKey } = await createKey(['*']);
    const settled = await rotateAround(apiKey.id, HOUR_MS, 'revokeApiKey', apiKey.id);
    expect(settled).toMatchObject({ status: 'rejected', reason: { code: 'ERR_KEY_INACTIVE', details: { state: 'revoked' } } });
    await expect(store.models.ScopedApiKey.countDocuments({ rotatedFrom: apiKey.id })).resolves.toBe(0);
    await expect(store.models.ScopedApiKey.countDocuments({ revokedAt: null })).resolves.toBe(0);
  });

  it('gives the successor the scopes the other process narrowed the key to mid-rotation', async () => {
    const { apiKey } = await createKey(['*']);
    const settled = await rotateAround(apiKey.id, HOUR_MS, 'setApiKeyScopes', apiKey.id, ['posts.read']);
    if (settled.status !== 'fulfilled') throw settled.reason;
    expect(settled.value.apiKey.scopes).toEqual(['posts.read']);
    await expect(store.getApiKey(settled.value.apiKey.id)).resolves.toMatchObject({ scopes: ['posts.read'], revokedAt: null });
  });

  it('refuses with ERR_KEY_INACTIVE when the other process rotates the key with no grace period first: one successor only', async () => {
    const { apiKey } = await createKey(['posts.read']);
    const settled = await rotateAround(apiKey.id, HOUR_MS, 'rotateApiKey', apiKey.id, { gracePeriodMs: 0 });
    expect(settled).toMatchObject({ status: 'rejected', reason: { code: 'ERR_KEY_INACTIVE', details: { state: 'expired' } } });
    await expect(store.models.ScopedApiKey.countDocuments({ rotatedFrom: apiKey.id })).resolves.toBe(1);
  });
});

describeWithMongo('rotateApiKey when the new key cannot be inserted', (database) => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('puts the old key’s expiry back and leaves no new key', async () => {
    const store = new MongooseScopeStore(database().connection.useDb(uniqueDbName(), { useCache: false }), { hashOptions: TEST_HASH_OPTIONS });
    const { apiKey } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    jest.spyOn(store.models.ScopedApiKey, 'create').mockRejectedValueOnce(new Error('connection reset'));
    await expect(store.rotateApiKey(apiKey.id, { gracePeriodMs: 0 })).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(store.getApiKey(apiKey.id)).resolves.toMatchObject({ expiresAt: null, revokedAt: null });
    await expect(store.models.ScopedApiKey.countDocuments({ rotatedFrom: apiKey.id })).resolves.toBe(0);
  });
});
