import type { AuditEntry } from '../../../src/store/audit/audit-entry';
import type { ScopeStore } from '../../../src/store/scope-store';
import { CONTRACT_NOW, advanceDate, untyped } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

const DAY_MS = 86_400_000;
const ADMIN = 'apiKey:AdminAdmin01';

/** Every entry, newest first, through the public pages of 2. */
async function allEntries(store: ScopeStore): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.listAuditEntries({ limit: 2, ...(after === undefined ? {} : { after }) });
    entries.push(...page);
    if (page.length < 2) return entries;
    after = page[page.length - 1]?.id;
  }
}

/**
 * The store contract for the audit history: every write records one entry
 * (actor, action, target, changed fields before and after), never a secret
 * or a hash; `listAuditEntries` filters by actor, target and time, newest
 * first, in keyset pages; retention; no way to edit or delete an entry.
 */
export function describeAuditContract(subject: SubjectAccessor): void {
  const store = () => subject().store;

  it('records a creation with its actor, and `system` when none is given', async () => {
    const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'], ownerId: 'alice' }, { actor: ADMIN });
    const { apiKey: bare } = await store().createApiKey({ name: 'bare' });
    const entries = await store().listAuditEntries();
    expect(entries).toEqual([
      { id: expect.any(String), at: CONTRACT_NOW, actor: 'system', action: 'created', target: { type: 'apiKey', id: bare.id }, changes: [
        { field: 'name', before: null, after: 'bare' },
        { field: 'scopes', before: null, after: [] },
      ] },
      { id: expect.any(String), at: CONTRACT_NOW, actor: ADMIN, action: 'created', target: { type: 'apiKey', id: apiKey.id }, changes: [
        { field: 'name', before: null, after: 'ci' },
        { field: 'scopes', before: null, after: ['posts.read'] },
        { field: 'ownerId', before: null, after: 'alice' },
      ] },
    ]);
  });

  it('records `imported` when the write says so (ChangeOptions.auditAction)', async () => {
    const { apiKey } = await store().createApiKey({ name: 'from drf', scopes: ['posts.read'] }, { actor: 'cli:alice', auditAction: 'imported' });
    await expect(store().listAuditEntries()).resolves.toEqual([expect.objectContaining({ action: 'imported', actor: 'cli:alice', target: { type: 'apiKey', id: apiKey.id } })]);
    await expect(store().createApiKey({ name: 'x' }, untyped({ auditAction: 'deleted' }))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT', details: { field: 'auditAction' } });
  });

  it('records each key write once, with the changed fields before and after', async () => {
    const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const expiresAt = new Date(CONTRACT_NOW.getTime() + 30 * DAY_MS);
    await store().updateApiKey(apiKey.id, { name: 'deploy', expiresAt, ownerId: 'bob' }, { actor: ADMIN });
    await store().setApiKeyScopes(apiKey.id, ['posts.read', 'posts.write'], { actor: ADMIN });
    await store().revokeApiKey(apiKey.id, { actor: ADMIN });
    const [revoked, scopes, updated, created] = await store().listAuditEntries({ target: { type: 'apiKey', id: apiKey.id } });
    expect(created?.action).toBe('created');
    expect(updated).toMatchObject({ action: 'updated', actor: ADMIN, changes: [
      { field: 'name', before: 'ci', after: 'deploy' },
      { field: 'expiresAt', before: null, after: expiresAt.toISOString() },
      { field: 'ownerId', before: null, after: 'bob' },
    ] });
    expect(scopes).toMatchObject({ action: 'updated', changes: [{ field: 'scopes', before: ['posts.read'], after: ['posts.read', 'posts.write'] }] });
    expect(revoked).toMatchObject({ action: 'revoked', changes: [{ field: 'revokedAt', before: null, after: CONTRACT_NOW.toISOString() }] });
  });

  it('records a rotation once, on the old key, and lists it in the new key’s history', async () => {
    const { apiKey: old } = await store().createApiKey({ name: 'billing', scopes: ['posts.read'] });
    const { apiKey: next } = await store().rotateApiKey(old.id, { gracePeriodMs: 3_600_000 }, { actor: ADMIN });
    const rotation = { action: 'rotated', actor: ADMIN, target: { type: 'apiKey', id: old.id }, rotatedTo: next.id, changes: [
      { field: 'expiresAt', before: null, after: new Date(CONTRACT_NOW.getTime() + 3_600_000).toISOString() },
    ] };
    await expect(store().listAuditEntries()).resolves.toEqual([expect.objectContaining(rotation), expect.objectContaining({ action: 'created' })]);
    await expect(store().listAuditEntries({ target: { type: 'apiKey', id: next.id } })).resolves.toEqual([expect.objectContaining(rotation)]);
  });

  it('records moving an expired key’s expiry into the future as `expiry-extended`', async () => {
    const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'], expiresAt: new Date(CONTRACT_NOW.getTime() + DAY_MS) });
    advanceDate(2 * DAY_MS);
    await store().updateApiKey(apiKey.id, { name: 'renamed while expired' });
    await store().updateApiKey(apiKey.id, { expiresAt: new Date(CONTRACT_NOW.getTime() + 90 * DAY_MS) }, { actor: ADMIN });
    const [extended, renamed] = await store().listAuditEntries({ target: { type: 'apiKey', id: apiKey.id } });
    expect(renamed?.action).toBe('updated');
    expect(extended).toMatchObject({ action: 'expiry-extended', actor: ADMIN });
  });

  it('records group writes: saved (scopes before and after), member added and removed, deleted', async () => {
    await store().saveGroup({ name: 'editors', scopes: ['posts.read'] }, { actor: ADMIN });
    await store().saveGroup({ name: 'editors', scopes: ['posts.read', 'posts.write'] }, { actor: ADMIN });
    await store().addGroupMember('editors', 'alice', { actor: ADMIN });
    await store().removeGroupMember('editors', 'alice', { actor: ADMIN });
    await store().addGroupMember('editors', 'bob');
    await store().deleteGroup('editors', { actor: ADMIN });
    const entries = await store().listAuditEntries({ target: { type: 'group', name: 'editors' } });
    expect(entries.map(({ action, changes }) => [action, changes])).toEqual([
      ['deleted', [{ field: 'scopes', before: ['posts.read', 'posts.write'], after: null }, { field: 'members', before: ['bob'], after: null }]],
      ['member-added', [{ field: 'member', before: null, after: 'bob' }]],
      ['member-removed', [{ field: 'member', before: 'alice', after: null }]],
      ['member-added', [{ field: 'member', before: null, after: 'alice' }]],
      ['group-saved', [{ field: 'scopes', before: ['posts.read'], after: ['posts.read', 'posts.write'] }]],
      ['group-saved', [{ field: 'scopes', before: null, after: ['posts.read'] }]],
    ]);
    expect(entries.every((entry) => entry.target.type === 'group')).toBe(true);
  });

  it('never records a secret or a hash, whatever the write', async () => {
    const { apiKey, key } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] }, { actor: ADMIN });
    await store().updateApiKey(apiKey.id, { name: 'renamed' });
    const rotated = await store().rotateApiKey(apiKey.id, { gracePeriodMs: 0 });
    await store().updateApiKeyHash(rotated.apiKey.id, '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo');
    await store().revokeApiKey(rotated.apiKey.id);
    const hashes = await Promise.all([apiKey.id, rotated.apiKey.id].map(async (id) => (await store().findApiKeyCredential(id))?.hash ?? ''));
    const secrets = [key, rotated.key, key.slice(-20), rotated.key.slice(-20), ...hashes, '$argon2'];
    const text = JSON.stringify(await allEntries(store()));
    for (const secret of secrets) expect(text).not.toContain(secret);
    // The rehash is no change an admin made: it records nothing.
    expect((await allEntries(store())).map((entry) => entry.action)).toEqual(['revoked', 'rotated', 'updated', 'created']);
  });

  it('records nothing for a refused write', async () => {
    const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
    await expect(store().updateApiKey(apiKey.id, untyped({ name: '' }))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(store().setApiKeyScopes(apiKey.id, [])).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(store().revokeApiKey('AAAAAAAAAAAA')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    await expect(store().listAuditEntries()).resolves.toHaveLength(1);
  });

  it('lists newest first in keyset pages, filtered by actor, target and time', async () => {
    const { apiKey: a } = await store().createApiKey({ name: 'a', scopes: ['posts.read'] }, { actor: 'cli:alice' });
    advanceDate(DAY_MS);
    const { apiKey: b } = await store().createApiKey({ name: 'b', scopes: ['posts.read'] }, { actor: ADMIN });
    advanceDate(DAY_MS);
    await store().updateApiKey(a.id, { name: 'a2' }, { actor: ADMIN });
    const since = advanceDate(DAY_MS);
    await store().revokeApiKey(b.id, { actor: 'cli:alice' });
    await store().saveGroup({ name: 'editors', scopes: ['posts.read'] }, { actor: 'cli:alice' });
    const all = await allEntries(store());
    expect(all.map((entry) => entry.action)).toEqual(['group-saved', 'revoked', 'updated', 'created', 'created']);
    expect(new Set(all.map((entry) => entry.id)).size).toBe(5);
    expect(all.map((entry) => entry.at.getTime())).toEqual([...all.map((entry) => entry.at.getTime())].sort((x, y) => y - x));
    const byAlice = await store().listAuditEntries({ actor: 'cli:alice' });
    expect(byAlice.map((entry) => entry.action)).toEqual(['group-saved', 'revoked', 'created']);
    const alicePage2 = await store().listAuditEntries({ actor: 'cli:alice', limit: 1, after: byAlice[1]?.id ?? '' });
    expect(alicePage2.map((entry) => entry.action)).toEqual(['created']);
    await expect(store().listAuditEntries({ target: { type: 'apiKey', id: a.id } })).resolves.toEqual([
      expect.objectContaining({ action: 'updated' }),
      expect.objectContaining({ action: 'created' }),
    ]);
    await expect(store().listAuditEntries({ since })).resolves.toHaveLength(2);
    await expect(store().listAuditEntries({ actor: ADMIN, target: { type: 'apiKey', id: b.id } })).resolves.toEqual([expect.objectContaining({ action: 'created' })]);
    await expect(store().listAuditEntries({ target: { type: 'group', name: a.id } })).resolves.toEqual([]);
  });

  it.each([
    ['an unknown field', { who: 'x' }],
    ['an operator object as actor', { actor: { $ne: null } }],
    ['an empty actor', { actor: '' }],
    ['a target without type', { target: { id: 'AAAAAAAAAAAA' } }],
    ['a malformed key id', { target: { type: 'apiKey', id: 'short' } }],
    ['a bad group name', { target: { type: 'group', name: '$where' } }],
    ['an invalid since', { since: new Date(Number.NaN) }],
    ['a since string', { since: '7d' }],
    ['a limit of 0', { limit: 0 }],
    ['a limit of 1001', { limit: 1001 }],
    ['a fractional limit', { limit: 1.5 }],
    ['an operator object as cursor', { after: { $gt: '' } }],
    ['a malformed cursor', { after: 'not-a-cursor' }],
    ['null', null],
  ])('refuses %s with ERR_INVALID_INPUT before any query', async (_label, options) => {
    const before = subject().commandCount?.();
    await expect(store().listAuditEntries(untyped(options))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    if (before !== undefined) expect(subject().commandCount?.()).toBe(before);
  });

  it('keeps entries for the retention only (365 days by default)', async () => {
    await store().createApiKey({ name: 'old', scopes: ['posts.read'] });
    advanceDate(364 * DAY_MS);
    await store().createApiKey({ name: 'recent', scopes: ['posts.read'] });
    await expect(store().listAuditEntries()).resolves.toHaveLength(2);
    advanceDate(2 * DAY_MS);
    await expect(store().listAuditEntries()).resolves.toEqual([expect.objectContaining({ changes: expect.arrayContaining([{ field: 'name', before: null, after: 'recent' }]) })]);
    // A write after the retention drops the old entries; filtered lists forget them too.
    await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
    await expect(store().listAuditEntries({ actor: 'system' })).resolves.toHaveLength(2);
    await expect(store().listAuditEntries({ actor: 'system', limit: 1, after: (await store().listAuditEntries())[0]?.id ?? '' })).resolves.toHaveLength(1);
  });

  it('is append-only: the store has no method that edits or deletes audit entries', () => {
    const methods = new Set<string>();
    for (let proto: object | null = store(); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (typeof (store() as unknown as Record<string, unknown>)[name] === 'function') methods.add(name);
      }
    }
    expect([...methods].filter((name) => /audit/i.test(name))).toEqual(['listAuditEntries']);
  });
}
