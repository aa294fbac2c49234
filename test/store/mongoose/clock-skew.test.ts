import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import { sendHello } from '../../../src/store/mongoose/database-clock';
import type { WatchedChange } from '../../../src/store/scope-store';
import { describeWithMongo, uniqueDbName } from '../../support/mongo';
import { until } from '../../support/until';
import { freezeDate } from '../contract/contract-subject';
import { TEST_HASH_OPTIONS } from '../store-contract';

const MINUTE_MS = 60_000;

// Writers whose clocks are wrong, against the real test database: the
// change log, its pruning and rotation's expiry go by the server's clock.
describeWithMongo('MongooseScopeStore with skewed clocks', (database) => {
  function newStore(dbName: string, options: { pollIntervalMs?: number; changeRetentionMs?: number } = {}): MongooseScopeStore {
    return new MongooseScopeStore(database().connection.useDb(dbName, { useCache: false }), { hashOptions: TEST_HASH_OPTIONS, ...options });
  }

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('a polling watcher is not blinded by a change log entry dated an hour ahead: it reports it and still sees the next revoke', async () => {
    const dbName = uniqueDbName();
    const writer = newStore(dbName);
    const reader = newStore(dbName, { pollIntervalMs: 50 });
    const { apiKey } = await writer.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const seen: WatchedChange[] = [];
    const errors: Error[] = [];
    const watch = reader.watchChanges((change) => seen.push(change), { onError: (error) => errors.push(error) });
    try {
      await expect(watch.ready).resolves.toBe('polling');
      const { localTime } = await sendHello(reader.models.ScopedChange);
      // Dated an hour ahead of the server (its clock stepped back, or another tool wrote it).
      await reader.models.ScopedChange.collection.insertOne({ at: new Date(localTime.getTime() + 60 * MINUTE_MS), origin: 'elsewhere', type: 'apiKey', action: 'updated', keyId: 'AAAAAAAAAAAA' });
      await until(() => errors.length > 0);
      expect(errors[0]).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      await writer.revokeApiKey(apiKey.id);
      await until(() => seen.some((change) => change.type === 'apiKey' && change.id === apiKey.id && change.action === 'revoked'), 5_000);
      expect(seen).toEqual(expect.arrayContaining([{ type: 'reset' }]));
    } finally {
      await watch.dispose();
    }
  });

  it('a writer whose clock runs 10 minutes ahead prunes by the server clock, keeping its own fresh entry', async () => {
    const store = newStore(uniqueDbName(), { changeRetentionMs: MINUTE_MS });
    const { apiKey } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const deleteMany = jest.spyOn(store.models.ScopedChange.collection, 'deleteMany');
    freezeDate(new Date(Date.now() + 10 * MINUTE_MS));
    // A fresh store object prunes on its first write.
    const skewed = new MongooseScopeStore(store.models, { hashOptions: TEST_HASH_OPTIONS, changeRetentionMs: MINUTE_MS });
    await skewed.revokeApiKey(apiKey.id);
    await until(() => deleteMany.mock.results.length > 0);
    await deleteMany.mock.results[0]?.value;
    await expect(store.models.ScopedChange.countDocuments({ keyId: apiKey.id, action: 'revoked' })).resolves.toBe(1);
    await expect(store.models.ScopedChange.countDocuments({ keyId: apiKey.id, action: 'created' })).resolves.toBe(1);
  });

  it('`keys rotate --grace 0` from a host 10 minutes ahead ends the old key by the server clock', async () => {
    const store = newStore(uniqueDbName());
    const { apiKey } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    freezeDate(new Date(Date.now() + 10 * MINUTE_MS));
    await store.rotateApiKey(apiKey.id, { gracePeriodMs: 0 });
    jest.useRealTimers();
    const { localTime } = await sendHello(store.models.ScopedChange);
    const old = await store.getApiKey(apiKey.id);
    expect(old?.expiresAt?.getTime()).toBeLessThanOrEqual(localTime.getTime());
  });
});
