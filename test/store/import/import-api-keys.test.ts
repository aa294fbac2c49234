import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import { importedKeyId } from '../../../src/keys/imported-key-format';
import { exportedKeyLine } from '../../../src/store/import/exported-key-line';
import { importApiKeys } from '../../../src/store/import/import-api-keys';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import type { ScopeChange } from '../../../src/store/scope-store';
import { djangoHash, drfKey, drfRow } from '../../support/drf-keys';
import { describeWithMongo } from '../../support/mongo';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

function newStore(): MemoryScopeStore {
  return new MemoryScopeStore({ hashOptions: CHEAP_HASH });
}

// drf-scoped-permissions' three migrate_api_keys tests, translated: dry run, actually migrates, skips duplicates.
describe('importApiKeys --format drf-api-key (drf-scoped-permissions migrate_api_keys, translated)', () => {
  it('dry run: reports what would be imported, writes nothing', async () => {
    const store = newStore();
    const { prefix, key } = drfKey();
    const changes: ScopeChange[] = [];
    store.onChange((change) => changes.push(change));
    const report = await importApiKeys(store, [drfRow({ prefix, hashed_key: await djangoHash('sha512', key), name: 'legacy client' })], { format: 'drf-api-key', dryRun: true });
    expect(report).toEqual({ format: 'drf-api-key', dryRun: true, imported: [{ line: 1, id: importedKeyId(prefix), name: 'legacy client' }], duplicates: [], refused: [] });
    expect(await store.listApiKeys()).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('actually migrates: the client keeps its key, as an unrestricted legacy key when the row has no scopes, and scoped otherwise', async () => {
    const store = newStore();
    const legacy = drfKey();
    const scoped = drfKey();
    const lines = [
      drfRow({ prefix: legacy.prefix, hashed_key: await djangoHash('pbkdf2_sha256', legacy.key), name: 'plain APIKey' }),
      drfRow({ prefix: scoped.prefix, hashed_key: await djangoHash('sha512', scoped.key), name: 'ScopedAPIKey', scopes: ['posts.read'] }),
    ];
    const changes: ScopeChange[] = [];
    store.onChange((change) => changes.push(change));
    const report = await importApiKeys(store, lines, { format: 'drf-api-key', actor: 'cli:alice' });
    expect(report.imported.map((entry) => entry.name)).toEqual(['plain APIKey', 'ScopedAPIKey']);
    expect(changes).toEqual([
      { type: 'apiKey', id: importedKeyId(legacy.prefix), action: 'imported', actor: 'cli:alice' },
      { type: 'apiKey', id: importedKeyId(scoped.prefix), action: 'imported', actor: 'cli:alice' },
    ]);
    await expect(store.getApiKey(importedKeyId(legacy.prefix))).resolves.toMatchObject({ prefix: 'drf', scopes: [], createdAt: new Date('2024-05-01T10:20:30.123Z'), revokedAt: null });

    const verifier = createApiKeyVerifier(store, { hashOptions: CHEAP_HASH, onWarning: () => undefined });
    try {
      const first = await verifier.verify(legacy.key);
      expect(first).toMatchObject({ ok: true, principal: { id: importedKeyId(legacy.prefix), unrestricted: true } });
      const scopedResult = await verifier.verify(scoped.key);
      expect(scopedResult.ok && scopedResult.principal.unrestricted).toBeFalsy();
      expect(scopedResult.ok ? [...scopedResult.principal.scopes] : []).toEqual(['posts.read']);
      expect(await verifier.verify(`${scoped.prefix}.${'x'.repeat(32)}`)).toEqual({ ok: false, reason: 'invalid' });
      // Rehashed to our argon2id at the first successful verification, and still the same key.
      await verifier.settled();
      const credential = await store.findApiKeyCredential(importedKeyId(legacy.prefix));
      expect(credential?.hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
      verifier.clear();
      expect(await verifier.verify(legacy.key)).toMatchObject({ ok: true });
    } finally {
      await verifier.dispose();
    }
  });

  it('skips duplicates: a key already in the store, or twice in the file, is reported and left alone', async () => {
    const store = newStore();
    const { prefix, key } = drfKey();
    const row = drfRow({ prefix, hashed_key: await djangoHash('sha512', key), name: 'first' });
    await importApiKeys(store, [row], { format: 'drf-api-key' });
    const again = await importApiKeys(store, [drfRow({ prefix, hashed_key: await djangoHash('sha512', key), name: 'second' }), row], { format: 'drf-api-key' });
    expect(again.imported).toEqual([]);
    expect(again.duplicates.map((entry) => entry.line)).toEqual([1, 2]);
    await expect(store.getApiKey(importedKeyId(prefix))).resolves.toMatchObject({ name: 'first' });
    const inFile = await importApiKeys(newStore(), [row, row], { format: 'drf-api-key', dryRun: true });
    expect([inFile.imported.length, inFile.duplicates.map((entry) => entry.line)]).toEqual([1, [2]]);
  });
});

describe('importApiKeys: bad lines are reported with their number and skipped, never half-written', () => {
  it('refuses each bad line for its own reason, imports the good ones, and prints nothing of a hash', async () => {
    const store = newStore();
    const good = drfKey();
    const goodHash = await djangoHash('sha512', good.key);
    const pbkdf2 = await djangoHash('pbkdf2_sha256', drfKey().key);
    const lines = [
      '{not json',
      drfRow({ prefix: 'short', hashed_key: goodHash }),
      drfRow({ prefix: drfKey().prefix, hashed_key: pbkdf2.replace('$1000$', '$1000000000$') }),
      drfRow({ prefix: drfKey().prefix, hashed_key: 'bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuvwxyz012345678901234567890123' }),
      drfRow({ prefix: drfKey().prefix, hashed_key: goodHash, scopes: ['Posts.READ'] }),
      drfRow({ prefix: drfKey().prefix, hashed_key: goodHash, created: '2024-05-01 10:20:30' }),
      JSON.stringify({ prefix: drfKey().prefix, hashed_key: goodHash, created: '2024-05-01T10:20:30Z' }),
      '',
      drfRow({ prefix: good.prefix, hashed_key: goodHash, name: '', revoked: true, expiry_date: '2030-01-01T00:00:00+02:00' }),
      '[1,2]',
    ];
    const report = await importApiKeys(store, lines, { format: 'drf-api-key', now: new Date('2026-01-01T00:00:00Z') });
    expect(report.refused.map((entry) => entry.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 10]);
    expect(report.refused.map((entry) => entry.reason)).toEqual([
      'not valid JSON',
      'prefix must be 8 letters and digits',
      expect.stringContaining('PBKDF2 iterations out of bounds'),
      expect.stringContaining('unknown hash format "bcrypt_sha256"'),
      expect.stringContaining('Posts.READ'),
      'created must be an ISO 8601 date with a time zone',
      'revoked must be true or false',
      'not a JSON object',
    ]);
    expect(report.imported).toEqual([{ line: 9, id: importedKeyId(good.prefix), name: `imported drf key ${good.prefix}` }]);
    await expect(store.getApiKey(importedKeyId(good.prefix))).resolves.toMatchObject({ revokedAt: new Date('2026-01-01T00:00:00Z'), expiresAt: new Date('2029-12-31T22:00:00Z') });
    expect((await store.listApiKeys()).length).toBe(1);
    const printed = JSON.stringify(report);
    for (const secret of [goodHash, goodHash.slice(8, 40), pbkdf2.split('$')[3] ?? '', good.key]) expect(printed).not.toContain(secret);
  });

  it.each([
    ['expiry_date', '2021-02-31T00:00:00+00:00'],
    ['expiry_date', '2021-04-31T12:00:00Z'],
    ['created', '2023-02-29T00:00:00Z'],
    ['expiry_date', '2021-01-01T24:00:00Z'],
    ['expiry_date', '2021-01-01T00:00:00+24:00'],
  ])('refuses a %s that is no calendar date (%s) instead of rolling it over to the next month', async (field, value) => {
    const store = newStore();
    const { prefix, key } = drfKey();
    const report = await importApiKeys(store, [drfRow({ prefix, hashed_key: await djangoHash('sha512', key), [field]: value })], { format: 'drf-api-key' });
    expect(report.imported).toEqual([]);
    expect(report.refused).toEqual([{ line: 1, reason: `${field} is not a valid date` }]);
    expect(await store.listApiKeys()).toEqual([]);
  });

  it('refuses an unknown format with ERR_INVALID_OPTIONS', async () => {
    await expect(importApiKeys(newStore(), [], { format: 'csv' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });
});

describe('importApiKeys --format json (keys export between stores)', () => {
  it('moves keys with their hashes: a key made in one store works in the other, with its scopes, owner and dates', async () => {
    const source = newStore();
    const { apiKey, key } = await source.createApiKey({ name: 'moved', scopes: ['posts.read'], ownerId: 'alice', expiresAt: new Date('2030-01-01T00:00:00Z') });
    const line = exportedKeyLine((await source.findApiKeyCredential(apiKey.id)) ?? { apiKey, hash: '' });
    const target = newStore();
    expect((await importApiKeys(target, [line], { format: 'json' })).imported).toEqual([{ line: 1, id: apiKey.id, name: 'moved' }]);
    await expect(target.getApiKey(apiKey.id)).resolves.toEqual(apiKey);
    const verifier = createApiKeyVerifier(target, { hashOptions: CHEAP_HASH });
    await expect(verifier.verify(key)).resolves.toMatchObject({ ok: true });
    await verifier.dispose();
  });
});

describeWithMongo('MongooseScopeStore.importApiKey', (database) => {
  it('imports, refuses the same id again with ERR_DUPLICATE, and verifies the imported key', async () => {
    const store = new MongooseScopeStore(database().connection, { hashOptions: CHEAP_HASH });
    const { prefix, key } = drfKey();
    const report = await importApiKeys(store, [drfRow({ prefix, hashed_key: await djangoHash('argon2', key), scopes: ['posts.read'] })], { format: 'drf-api-key', actor: 'cli:alice' });
    expect(report.imported).toHaveLength(1);
    await expect(store.importApiKey({ id: importedKeyId(prefix), prefix: 'drf', name: 'x', hash: await djangoHash('sha512', key), scopes: [], createdAt: new Date(), expiresAt: null, revokedAt: null })).rejects.toMatchObject({
      code: 'ERR_DUPLICATE',
    });
    const verifier = createApiKeyVerifier(store, { hashOptions: CHEAP_HASH });
    try {
      await expect(verifier.verify(key)).resolves.toMatchObject({ ok: true, principal: { id: importedKeyId(prefix) } });
      await verifier.settled();
      expect((await store.findApiKeyCredential(importedKeyId(prefix)))?.hash).toMatch(/^\$argon2id\$/);
    } finally {
      await verifier.dispose();
    }
  });
});
