import mongoose from 'mongoose';
import { parseApiKey } from '../../../src/keys/api-key-format';
import { verifySecret } from '../../../src/keys/hash-secret';
import { DEFAULT_API_KEY_COLLECTION } from '../../../src/store/mongoose/create-scoped-models';
import { ScopedApiKey } from '../../../src/store/mongoose/default-models';
import { toStoreError } from '../../../src/store/mongoose/store-error';
import { describeWithMongo, testMongoUri, uniqueDbName } from '../../support/mongo';
import { TEST_HASH_OPTIONS } from '../store-contract';

describeWithMongo('ScopedApiKey (default connection)', () => {
  beforeAll(async () => {
    await mongoose.connect(testMongoUri() ?? '', { dbName: uniqueDbName(), serverSelectionTimeoutMS: 5_000 });
    await ScopedApiKey.init();
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  });

  it('is bound to mongoose’s default connection and the scoped_api_keys collection', () => {
    expect(ScopedApiKey.db).toBe(mongoose.connection);
    expect(ScopedApiKey.collection.collectionName).toBe(DEFAULT_API_KEY_COLLECTION);
    expect(mongoose.models.ScopedApiKey).toBe(ScopedApiKey);
  });

  describe('createKey', () => {
    it('stores a key and returns the full key once, like drf-scoped-permissions’ create_key', async () => {
      const expiresAt = new Date('2031-01-01T00:00:00.000Z');
      const { apiKey, key } = await ScopedApiKey.createKey({ name: 'ci', scopes: ['posts.read'], expiresAt, hashOptions: TEST_HASH_OPTIONS });
      const parsed = parseApiKey(key, 'gsp');
      expect(apiKey).toMatchObject({ id: parsed?.id, name: 'ci', prefix: 'gsp', scopes: ['posts.read'], expiresAt, revokedAt: null });
      const stored = await mongoose.connection.collection(DEFAULT_API_KEY_COLLECTION).findOne({ keyId: apiKey.id });
      expect(typeof stored?.hash).toBe('string');
      expect(JSON.stringify(stored)).not.toContain(parsed?.secret);
      await expect(verifySecret(String(stored?.hash), parsed?.secret ?? '')).resolves.toBe(true);
    });

    it('takes a brand prefix', async () => {
      const { apiKey, key } = await ScopedApiKey.createKey({ name: 'ci', prefix: 'acme', hashOptions: TEST_HASH_OPTIONS });
      expect(parseApiKey(key, 'acme')).toMatchObject({ id: apiKey.id });
    });

    it.each([
      ['an invalid scope', { name: 'ci', scopes: ['posts'] }, 'ERR_INVALID_SCOPE'],
      ['an empty name', { name: '' }, 'ERR_INVALID_INPUT'],
      ['an invalid prefix', { name: 'ci', prefix: 'A' }, 'ERR_INVALID_OPTIONS'],
    ])('rejects %s, storing nothing', async (_label, input, code) => {
      const before = await ScopedApiKey.countDocuments();
      await expect(ScopedApiKey.createKey({ ...input, hashOptions: TEST_HASH_OPTIONS })).rejects.toMatchObject({ code });
      await expect(ScopedApiKey.countDocuments()).resolves.toBe(before);
    });
  });

  describe('the hash', () => {
    let keyId: string;
    beforeAll(async () => {
      keyId = (await ScopedApiKey.createKey({ name: 'hidden', hashOptions: TEST_HASH_OPTIONS })).apiKey.id;
    });

    it('is not selected by default, hydrated or lean', async () => {
      const doc = await ScopedApiKey.findOne({ keyId });
      expect(doc?.hash).toBeUndefined();
      const lean = await ScopedApiKey.find({ keyId }).lean();
      expect(lean).toHaveLength(1);
      expect(lean[0]).not.toHaveProperty('hash');
    });

    it('never appears in toJSON(), toObject() or JSON.stringify, even when selected', async () => {
      const doc = await ScopedApiKey.findOne({ keyId }).select('+hash');
      expect(doc?.hash).toMatch(/^\$argon2id\$/);
      expect(doc?.toJSON()).not.toHaveProperty('hash');
      expect(doc?.toObject()).not.toHaveProperty('hash');
      expect(JSON.stringify(doc)).not.toContain('argon2');
      expect(doc?.toJSON()).toMatchObject({ keyId, name: 'hidden' });
    });
  });

  it('enforces the unique key id: a second document with the same keyId is a duplicate (11000 → ERR_DUPLICATE)', async () => {
    const fields = { keyId: 'DuplicateId1', name: 'a', prefix: 'gsp', scopes: [], hash: '$argon2id$x' };
    await ScopedApiKey.create(fields);
    const error = await ScopedApiKey.create({ ...fields, name: 'b' }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({ code: 11000 });
    expect(toStoreError(error, 'createApiKey')).toMatchObject({ code: 'ERR_DUPLICATE' });
    await expect(ScopedApiKey.countDocuments({ keyId: 'DuplicateId1' })).resolves.toBe(1);
  });
});
