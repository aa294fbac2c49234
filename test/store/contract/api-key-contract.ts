import { parseApiKey } from '../../../src/keys/api-key-format';
import { hashSecret, verifySecret } from '../../../src/keys/hash-secret';
import { CONTRACT_CATALOG, CONTRACT_NOW, TEST_HASH_OPTIONS, advanceDate, untyped } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

/** The API key half of the store contract: create, read, revoke, scopes, touch, credentials, events. */
export function describeApiKeyContract(subject: SubjectAccessor): void {
  const store = () => subject().store;

  describe('createApiKey', () => {
    it('returns the full key once and a record without secret or hash', async () => {
      const expiresAt = new Date('2031-01-01T00:00:00.000Z');
      const { apiKey, key } = await store().createApiKey({ name: 'ci', scopes: ['posts.write', 'posts.read', 'posts.read'], expiresAt });
      const parsed = parseApiKey(key, 'gsp');
      expect(parsed).not.toBeNull();
      expect(apiKey).toEqual({
        id: parsed?.id,
        name: 'ci',
        prefix: 'gsp',
        scopes: ['posts.read', 'posts.write'],
        createdAt: CONTRACT_NOW,
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
        ownerId: null,
        rotatedFrom: null,
        rateLimit: null,
      });
      expect(Object.keys(apiKey)).not.toContain('hash');
      expect(JSON.stringify(apiKey)).not.toContain(parsed?.secret);
      await expect(store().getApiKey(apiKey.id)).resolves.toEqual(apiKey);
    });

    it('stores an argon2id hash that verifies the key, and nothing else', async () => {
      const { apiKey, key } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const parsed = parseApiKey(key, 'gsp');
      const credential = await store().findApiKeyCredential(apiKey.id);
      expect(credential?.apiKey).toEqual(apiKey);
      expect(credential?.hash).toMatch(/^\$argon2id\$/);
      expect(credential?.hash).not.toContain(parsed?.secret);
      await expect(verifySecret(credential?.hash ?? '', parsed?.secret ?? '')).resolves.toBe(true);
      await expect(verifySecret(credential?.hash ?? '', 'x'.repeat(30))).resolves.toBe(false);
    });

    it('defaults to no scopes and no expiry', async () => {
      const { apiKey } = await store().createApiKey({ name: 'legacy' });
      expect(apiKey).toMatchObject({ scopes: [], expiresAt: null });
    });

    it('accepts scopes known to a catalogue', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.*', 'users.read', '*.read'], catalog: CONTRACT_CATALOG });
      expect(apiKey.scopes).toEqual(['*.read', 'posts.*', 'users.read']);
    });

    it('rejects a scope missing from the catalogue, suggesting the closest', async () => {
      await expect(store().createApiKey({ name: 'ci', scopes: ['posts.raed'], catalog: CONTRACT_CATALOG })).rejects.toMatchObject({
        code: 'ERR_UNKNOWN_SCOPE',
        details: { scope: 'posts.raed', suggestion: 'posts.read' },
      });
      await expect(store().listApiKeys()).resolves.toEqual([]);
    });
  });

  describe('getApiKey and listApiKeys', () => {
    it('returns null for an unknown id', async () => {
      await expect(store().getApiKey('AAAAAAAAAAAA')).resolves.toBeNull();
      await expect(store().findApiKeyCredential('AAAAAAAAAAAA')).resolves.toBeNull();
    });

    it('lists every key, newest first (creation order within the same millisecond)', async () => {
      const first = await store().createApiKey({ name: 'first' });
      advanceDate(1_000);
      const second = await store().createApiKey({ name: 'second' });
      const third = await store().createApiKey({ name: 'third' });
      const listed = await store().listApiKeys();
      expect(listed.map((record) => record.name)).toEqual(['third', 'second', 'first']);
      expect(listed[2]).toEqual(first.apiKey);
      expect(listed[0]).toEqual(third.apiKey);
      expect(second.apiKey.createdAt).toEqual(new Date(CONTRACT_NOW.getTime() + 1_000));
    });
  });

  describe('revokeApiKey', () => {
    it('revokes once and is idempotent, keeping the first revocation time', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci' });
      const revokedAt = advanceDate(5_000);
      await expect(store().revokeApiKey(apiKey.id)).resolves.toEqual({ ...apiKey, revokedAt });
      advanceDate(5_000);
      await expect(store().revokeApiKey(apiKey.id)).resolves.toMatchObject({ revokedAt });
      await expect(store().getApiKey(apiKey.id)).resolves.toMatchObject({ revokedAt });
    });

    it('raises ERR_NOT_FOUND for an unknown id, without an event', async () => {
      const listener = jest.fn();
      store().onApiKeyChange(listener);
      await expect(store().revokeApiKey('AAAAAAAAAAAA')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
      expect(listener).not.toHaveBeenCalled();
    });
  });

  describe('setApiKeyScopes', () => {
    it('replaces the scopes, normalised, and emits a change event', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const listener = jest.fn();
      store().onApiKeyChange(listener);
      await expect(store().setApiKeyScopes(apiKey.id, ['users.read', 'posts.*', 'users.read'])).resolves.toEqual({
        ...apiKey,
        scopes: ['posts.*', 'users.read'],
      });
      await expect(store().getApiKey(apiKey.id)).resolves.toMatchObject({ scopes: ['posts.*', 'users.read'] });
      expect(listener.mock.calls).toEqual([[apiKey.id]]);
    });

    it.each([
      ['a grant that breaks the grammar', ['posts'], 'ERR_INVALID_SCOPE'],
      ['an upper-case grant', ['Posts.read'], 'ERR_INVALID_SCOPE'],
      ['an operator object', [{ $ne: null }], 'ERR_INVALID_SCOPE'],
      ['a non-array', 'posts.read', 'ERR_INVALID_INPUT'],
      // A key without scopes is a legacy unrestricted key: clearing them must not grant everything.
      ['an empty list', [], 'ERR_INVALID_INPUT'],
    ])('rejects %s, changing nothing and emitting nothing', async (_label, scopes, code) => {
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const listener = jest.fn();
      store().onApiKeyChange(listener);
      await expect(store().setApiKeyScopes(apiKey.id, untyped<string[]>(scopes))).rejects.toMatchObject({ code });
      await expect(store().getApiKey(apiKey.id)).resolves.toEqual(apiKey);
      expect(listener).not.toHaveBeenCalled();
    });

    it('raises ERR_NOT_FOUND for an unknown id', async () => {
      await expect(store().setApiKeyScopes('AAAAAAAAAAAA', ['posts.read'])).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    });
  });

  describe('touchApiKey', () => {
    const t0 = new Date('2030-01-02T03:00:00.000Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);

    it.each([
      ['the first use', [], 0, 0, true, 0],
      ['the same instant again', [0], 0, 0, false, 0],
      ['one millisecond later without an interval', [0], 1, 0, true, 1],
      ['an earlier instant (never moves backwards)', [10_000], 5_000, 0, false, 10_000],
      ['a use within the interval', [0], 30_000, 60_000, false, 0],
      ['a use exactly one interval later', [0], 60_000, 60_000, false, 0],
      ['a use just over one interval later', [0], 60_001, 60_000, true, 60_001],
    ])('%s', async (_label, earlier, useMs, minIntervalMs, wrote, lastUsedMs) => {
      const { apiKey } = await store().createApiKey({ name: 'ci' });
      for (const ms of earlier) await expect(store().touchApiKey(apiKey.id, at(ms))).resolves.toBe(true);
      await expect(store().touchApiKey(apiKey.id, at(useMs), minIntervalMs)).resolves.toBe(wrote);
      await expect(store().getApiKey(apiKey.id)).resolves.toMatchObject({ lastUsedAt: at(lastUsedMs) });
    });

    it('returns false for an unknown key', async () => {
      await expect(store().touchApiKey('AAAAAAAAAAAA', t0)).resolves.toBe(false);
    });

    it.each([
      ['an invalid date', new Date(Number.NaN), 0],
      ['a date string', '2030-01-01', 0],
      ['a negative interval', t0, -1],
      ['an infinite interval', t0, Number.POSITIVE_INFINITY],
      ['a NaN interval', t0, Number.NaN],
    ])('rejects %s with ERR_INVALID_INPUT', async (_label, date, minIntervalMs) => {
      const { apiKey } = await store().createApiKey({ name: 'ci' });
      await expect(store().touchApiKey(apiKey.id, untyped<Date>(date), minIntervalMs)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    });
  });

  describe('updateApiKeyHash', () => {
    it('replaces the stored hash', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci' });
      const hash = await hashSecret('another-secret', TEST_HASH_OPTIONS);
      await store().updateApiKeyHash(apiKey.id, hash);
      await expect(store().findApiKeyCredential(apiKey.id)).resolves.toEqual({ apiKey, hash });
    });

    it.each([['a plain string', 'secret'], ['a non-string', { $set: 'x' }], ['an oversized hash', `$argon2id$${'a'.repeat(600)}`]])(
      'rejects %s with ERR_INVALID_INPUT and keeps the old hash',
      async (_label, hash) => {
        const { apiKey } = await store().createApiKey({ name: 'ci' });
        const before = await store().findApiKeyCredential(apiKey.id);
        await expect(store().updateApiKeyHash(apiKey.id, untyped<string>(hash))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
        await expect(store().findApiKeyCredential(apiKey.id)).resolves.toEqual(before);
      },
    );

    it('raises ERR_NOT_FOUND for an unknown id', async () => {
      const hash = await hashSecret('another-secret', TEST_HASH_OPTIONS);
      await expect(store().updateApiKeyHash('AAAAAAAAAAAA', hash)).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    });
  });

  describe('onApiKeyChange', () => {
    it('calls every listener on revocation and scope changes until it unsubscribes', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci' });
      const first = jest.fn();
      const second = jest.fn();
      const unsubscribe = store().onApiKeyChange(first);
      store().onApiKeyChange(second);
      await store().setApiKeyScopes(apiKey.id, ['posts.read']);
      unsubscribe();
      unsubscribe();
      await store().revokeApiKey(apiKey.id);
      expect(first.mock.calls).toEqual([[apiKey.id]]);
      expect(second.mock.calls).toEqual([[apiKey.id], [apiKey.id]]);
    });

    it('is not called for creation, touches or rehashes', async () => {
      const listener = jest.fn();
      store().onApiKeyChange(listener);
      const { apiKey } = await store().createApiKey({ name: 'ci' });
      await store().touchApiKey(apiKey.id, CONTRACT_NOW);
      await store().updateApiKeyHash(apiKey.id, await hashSecret('x', TEST_HASH_OPTIONS));
      expect(listener).not.toHaveBeenCalled();
    });
  });
}
