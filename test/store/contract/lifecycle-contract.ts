import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import type { ApiKeyVerification, ApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verification';
import type { ApiKeyVerifierOptions } from '../../../src/auth/api-keys/api-key-verifier-options';
import { hasScope } from '../../../src/scopes/match-scope';
import type { ChangeWatch, WatchedChange } from '../../../src/store/scope-store';
import { CONTRACT_NOW, TEST_HASH_OPTIONS, advanceDate, recordChanges, untyped } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

const HOUR_MS = 3_600_000;

function scopesOf(result: ApiKeyVerification): string[] {
  if (!result.ok) throw new Error(`expected success, got ${result.reason}`);
  return [...result.principal.scopes].sort();
}

/**
 * The store contract for the key lifecycle: owners, rotation with a grace
 * period (checked through a verifier on the store, at the instant of
 * expiry), owner-bound keys under `ownerScopes: 'intersect'`, and
 * `watchChanges` for changes made through the store itself.
 */
export function describeLifecycleContract(subject: SubjectAccessor): void {
  const store = () => subject().store;
  const disposables: Array<{ dispose(): Promise<void> }> = [];
  afterEach(async () => {
    for (const item of disposables.splice(0)) await item.dispose();
  });

  function verifier(options: ApiKeyVerifierOptions = {}): ApiKeyVerifier {
    const made = createApiKeyVerifier(store(), { hashOptions: TEST_HASH_OPTIONS, ...options });
    disposables.push(made);
    return made;
  }


  describe('owner ids', () => {
    it('records the owner of a key, and none by default', async () => {
      const { apiKey } = await store().createApiKey({ name: 'alice’s token', scopes: ['posts.read'], ownerId: 'alice' });
      expect(apiKey.ownerId).toBe('alice');
      await expect(store().getApiKey(apiKey.id)).resolves.toMatchObject({ ownerId: 'alice', rotatedFrom: null });
      const { apiKey: plain } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      expect(plain.ownerId).toBeNull();
    });

    it.each([['an operator object', { $ne: null }], ['a number', 42], ['an empty string', ''], ['a line break', 'a\nb'], ['201 characters', 'u'.repeat(201)]])(
      'refuses %s as ownerId with ERR_INVALID_INPUT, writing nothing',
      async (_label, ownerId) => {
        await expect(store().createApiKey({ name: 'ci', scopes: ['posts.read'], ownerId: untyped(ownerId) })).rejects.toMatchObject({
          code: 'ERR_INVALID_INPUT',
          details: { field: 'ownerId' },
        });
        await expect(store().listApiKeys()).resolves.toEqual([]);
      },
    );
  });

  describe('rotateApiKey', () => {
    it('makes a new key with the old one’s name, scopes and owner, marked as rotated from it, and reports both changes', async () => {
      const { apiKey: old } = await store().createApiKey({ name: 'billing', scopes: ['invoices.read', 'posts.*'], ownerId: 'alice' });
      const changes = recordChanges(store());
      const { apiKey, key } = await store().rotateApiKey(old.id, { gracePeriodMs: 24 * HOUR_MS }, { actor: 'admin' });
      expect(apiKey).toMatchObject({ name: 'billing', scopes: ['invoices.read', 'posts.*'], ownerId: 'alice', rotatedFrom: old.id, revokedAt: null, expiresAt: null });
      expect(apiKey.id).not.toBe(old.id);
      expect(key).toContain(apiKey.id);
      await expect(store().getApiKey(old.id)).resolves.toMatchObject({ expiresAt: new Date(CONTRACT_NOW.getTime() + 24 * HOUR_MS), revokedAt: null });
      expect(changes).toEqual([
        { type: 'apiKey', id: apiKey.id, action: 'created', actor: 'admin' },
        { type: 'apiKey', id: old.id, action: 'rotated', rotatedTo: apiKey.id, actor: 'admin' },
      ]);
    });

    it('keeps the old key working until the grace period ends, and refuses it at the instant of expiry', async () => {
      const { apiKey: old, key: oldKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const keys = verifier();
      expect((await keys.verify(oldKey)).ok).toBe(true); // cached before the rotation
      const { key: newKey } = await store().rotateApiKey(old.id, { gracePeriodMs: 60_000 });
      expect((await keys.verify(oldKey)).ok).toBe(true);
      expect((await keys.verify(newKey)).ok).toBe(true);
      advanceDate(59_999);
      expect((await keys.verify(oldKey)).ok).toBe(true);
      advanceDate(1);
      expect(await keys.verify(oldKey)).toEqual({ ok: false, reason: 'expired' });
      expect(await verifier().verify(oldKey)).toEqual({ ok: false, reason: 'expired' }); // and uncached
      expect((await keys.verify(newKey)).ok).toBe(true);
    });

    it('with no grace period, refuses the old key at once, even where it was cached', async () => {
      const { apiKey: old, key: oldKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const keys = verifier();
      expect((await keys.verify(oldKey)).ok).toBe(true);
      const { key: newKey } = await store().rotateApiKey(old.id, { gracePeriodMs: 0 });
      expect(await keys.verify(oldKey)).toEqual({ ok: false, reason: 'expired' });
      expect((await keys.verify(newKey)).ok).toBe(true);
    });

    it('never lengthens the old key’s life, and lets the new key have its own expiry', async () => {
      const soon = new Date(CONTRACT_NOW.getTime() + HOUR_MS);
      const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'], expiresAt: soon });
      const later = new Date(CONTRACT_NOW.getTime() + 90 * 24 * HOUR_MS);
      const { apiKey } = await store().rotateApiKey(old.id, { gracePeriodMs: 24 * HOUR_MS, expiresAt: later });
      expect(apiKey.expiresAt).toEqual(later);
      await expect(store().getApiKey(old.id)).resolves.toMatchObject({ expiresAt: soon });
      const { apiKey: inherited } = await store().rotateApiKey(apiKey.id, { gracePeriodMs: 0 });
      expect(inherited.expiresAt).toEqual(later);
    });

    it.each([
      ['revoked', async (id: string) => void (await subject().store.revokeApiKey(id)), 'revoked'],
      ['expired', async () => void advanceDate(2 * HOUR_MS), 'expired'],
    ])('refuses a %s key with ERR_KEY_INACTIVE, creating nothing', async (_label, deactivate, state) => {
      const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'], expiresAt: new Date(CONTRACT_NOW.getTime() + HOUR_MS) });
      await deactivate(old.id);
      const changes = recordChanges(store());
      await expect(store().rotateApiKey(old.id, { gracePeriodMs: 0 })).rejects.toMatchObject({ code: 'ERR_KEY_INACTIVE', details: { id: old.id, state } });
      await expect(store().listApiKeys()).resolves.toHaveLength(1);
      expect(changes).toEqual([]);
    });

    it.each([
      ['a negative grace period', { gracePeriodMs: -1 }],
      ['a fractional grace period', { gracePeriodMs: 1.5 }],
      ['a grace period over 365 days', { gracePeriodMs: 365 * 24 * HOUR_MS + 1 }],
      ['a string grace period', { gracePeriodMs: '24h' }],
      ['no grace period', {}],
      ['an unknown field', { gracePeriodMs: 0, scopes: ['*'] }],
      ['an invalid expiry', { gracePeriodMs: 0, expiresAt: new Date(Number.NaN) }],
      ['null', null],
    ])('refuses %s with ERR_INVALID_INPUT before any query, changing nothing', async (_label, input) => {
      const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const before = subject().commandCount?.();
      await expect(store().rotateApiKey(old.id, untyped(input))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      expect(subject().commandCount?.()).toBe(before);
      await expect(store().listApiKeys()).resolves.toEqual([old]);
    });

    it('raises ERR_NOT_FOUND for an unknown id', async () => {
      await expect(store().rotateApiKey('AAAAAAAAAAAA', { gracePeriodMs: 0 })).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
      await expect(store().listApiKeys()).resolves.toEqual([]);
    });
  });

  describe('owner-bound keys under ownerScopes: "intersect"', () => {
    it.each<[string, string[], string[], string[]]>([
      ['a wildcard key and an exact owner scope (posts.* ∩ posts.read)', ['posts.*'], ['posts.read'], ['posts.read']],
      ['an exact key scope and a wildcard owner scope', ['posts.read'], ['posts.*'], ['posts.read']],
      ['a * key and several owner scopes', ['*'], ['comments.*', 'posts.read'], ['comments.*', 'posts.read']],
      ['a wildcard resource and a wildcard action', ['posts.*', 'users.read'], ['*.read'], ['posts.read', 'users.read']],
      ['a legacy key without scopes', [], ['posts.read'], ['posts.read']],
      ['scopes the owner lacks', ['posts.write'], ['posts.read'], []],
    ])('%s', async (_label, keyScopes, ownerScopes, expected) => {
      await store().saveGroup({ name: 'owners', scopes: ownerScopes });
      await store().addGroupMember('owners', 'alice');
      const { key } = await store().createApiKey({ name: 'k', scopes: keyScopes, ownerId: 'alice' });
      const result = await verifier({ ownerScopes: 'intersect' }).verify(key);
      expect(scopesOf(result)).toEqual(expected);
      expect(result.ok && result.principal.unrestricted).toBeFalsy();
    });

    it('a key whose owner is in no group holds nothing, not even through "*"', async () => {
      const { key } = await store().createApiKey({ name: 'k', scopes: ['*'], ownerId: 'alice' });
      const result = await verifier({ ownerScopes: 'intersect' }).verify(key);
      expect(scopesOf(result)).toEqual([]);
      expect(result.ok && hasScope(result.principal, 'posts.read')).toBe(false);
    });

    it('applies the owner’s group changes to the key at once (same store object)', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'alice');
      const { key } = await store().createApiKey({ name: 'k', scopes: ['posts.*'], ownerId: 'alice' });
      const keys = verifier({ ownerScopes: 'intersect' });
      expect(scopesOf(await keys.verify(key))).toEqual(['posts.read']);
      await store().saveGroup({ name: 'editors', scopes: ['posts.read', 'posts.write'] });
      expect(scopesOf(await keys.verify(key))).toEqual(['posts.read', 'posts.write']);
      await store().removeGroupMember('editors', 'alice');
      expect(scopesOf(await keys.verify(key))).toEqual([]);
      await store().addGroupMember('editors', 'alice');
      await store().deleteGroup('editors');
      expect(scopesOf(await keys.verify(key))).toEqual([]);
    });

    it('keeps the key’s own scopes for keys without an owner, and for every key under the default "ignore"', async () => {
      await store().saveGroup({ name: 'owners', scopes: ['posts.read'] });
      await store().addGroupMember('owners', 'alice');
      const { key: unowned } = await store().createApiKey({ name: 'k', scopes: ['posts.*'] });
      const { key: owned } = await store().createApiKey({ name: 'k', scopes: ['posts.*'], ownerId: 'alice' });
      expect(scopesOf(await verifier({ ownerScopes: 'intersect' }).verify(unowned))).toEqual(['posts.*']);
      expect(scopesOf(await verifier().verify(owned))).toEqual(['posts.*']);
    });

    it('carries the owner through a rotation', async () => {
      await store().saveGroup({ name: 'owners', scopes: ['posts.read'] });
      await store().addGroupMember('owners', 'alice');
      const { apiKey } = await store().createApiKey({ name: 'k', scopes: ['posts.*'], ownerId: 'alice' });
      const { key } = await store().rotateApiKey(apiKey.id, { gracePeriodMs: 0 });
      expect(scopesOf(await verifier({ ownerScopes: 'intersect' }).verify(key))).toEqual(['posts.read']);
    });
  });

  describe('watchChanges', () => {
    it('reports the changes made through the store itself at once, and nothing after dispose', async () => {
      const seen: WatchedChange[] = [];
      const watch: ChangeWatch = store().watchChanges((change) => seen.push(change));
      disposables.push(watch);
      await expect(watch.ready).resolves.toMatch(/^(in-process|polling|change-stream)$/);
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      await store().revokeApiKey(apiKey.id, { actor: 'admin' });
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'alice');
      expect(seen).toEqual([
        { type: 'apiKey', id: apiKey.id, action: 'created' },
        { type: 'apiKey', id: apiKey.id, action: 'revoked', actor: 'admin' },
        { type: 'group', name: 'editors', action: 'saved', userIds: [] },
        { type: 'group', name: 'editors', action: 'member-added', userIds: ['alice'] },
      ]);
      await watch.dispose();
      await store().removeGroupMember('editors', 'alice');
      expect(seen).toHaveLength(4);
    });
  });
}
