import { CONTRACT_NOW, advanceDate, recordChanges, untyped } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

/**
 * The store contract for what the admin page and the key lifecycle build on:
 * `updateApiKey`, searching and paging `listApiKeys`, `getGroup`, and the
 * change events (`onChange`) with their actor.
 */
export function describeChangeContract(subject: SubjectAccessor): void {
  const store = () => subject().store;


  describe('updateApiKey', () => {
    it('renames a key and changes its expiry, keeping everything else, and reports who did it', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const changes = recordChanges(store());
      const keyListener = jest.fn();
      store().onApiKeyChange(keyListener);
      const expiresAt = new Date('2031-06-01T00:00:00.000Z');
      const updated = await store().updateApiKey(apiKey.id, { name: 'deploy bot', expiresAt }, { actor: 'apiKey:AdminAdmin01' });
      expect(updated).toEqual({ ...apiKey, name: 'deploy bot', expiresAt });
      await expect(store().getApiKey(apiKey.id)).resolves.toEqual(updated);
      await expect(store().updateApiKey(apiKey.id, { expiresAt: null })).resolves.toEqual({ ...updated, expiresAt: null });
      expect(changes).toEqual([
        { type: 'apiKey', id: apiKey.id, action: 'updated', actor: 'apiKey:AdminAdmin01' },
        { type: 'apiKey', id: apiKey.id, action: 'updated' },
      ]);
      expect(keyListener.mock.calls).toEqual([[apiKey.id], [apiKey.id]]);
    });

    it('keeps the credential working: the hash and scopes are untouched', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const before = await store().findApiKeyCredential(apiKey.id);
      await store().updateApiKey(apiKey.id, { name: 'renamed' });
      const after = await store().findApiKeyCredential(apiKey.id);
      expect(after?.hash).toBe(before?.hash);
      expect(after?.apiKey.scopes).toEqual(['posts.read']);
    });

    it.each([
      ['no change', {}],
      ['a scopes field (use setApiKeyScopes)', { scopes: ['*'] }],
      ['a revokedAt field', { revokedAt: null }],
      ['an empty name', { name: '' }],
      ['a name with a line break', { name: 'a\nb' }],
      ['a 201-character name', { name: 'n'.repeat(201) }],
      ['an operator object as name', { name: { $ne: null } }],
      ['an invalid date', { expiresAt: new Date(Number.NaN) }],
      ['a date string', { expiresAt: '2031-01-01' }],
      ['a number as expiry', { expiresAt: 1_900_000_000_000 }],
      ['null changes', null],
      ['an array', ['name']],
    ])('refuses %s with ERR_INVALID_INPUT, changing nothing', async (_label, changes) => {
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      const seen = recordChanges(store());
      await expect(store().updateApiKey(apiKey.id, untyped(changes))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      await expect(store().getApiKey(apiKey.id)).resolves.toEqual(apiKey);
      expect(seen).toEqual([]);
    });

    it('raises ERR_NOT_FOUND for an unknown id, without an event', async () => {
      const seen = recordChanges(store());
      await expect(store().updateApiKey('AAAAAAAAAAAA', { name: 'x' })).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
      expect(seen).toEqual([]);
    });

    it('refuses a bad actor before writing', async () => {
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
      await expect(store().updateApiKey(apiKey.id, { name: 'x' }, untyped({ actor: { $ne: null } }))).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        details: { field: 'actor' },
      });
      await expect(store().getApiKey(apiKey.id)).resolves.toEqual(apiKey);
    });
  });

  describe('listApiKeys with a search and pages', () => {
    async function createKeys(names: readonly string[]): Promise<string[]> {
      const ids: string[] = [];
      for (const name of names) {
        ids.push((await store().createApiKey({ name, scopes: ['posts.read'] })).apiKey.id);
        advanceDate(1000);
      }
      return ids.reverse(); // newest first
    }

    it('pages through every key, newest first, with a cursor', async () => {
      const ids = await createKeys(['k0', 'k1', 'k2', 'k3', 'k4']);
      const first = await store().listApiKeys({ limit: 2 });
      expect(first.map((key) => key.id)).toEqual(ids.slice(0, 2));
      const second = await store().listApiKeys({ limit: 2, after: first[1]?.id });
      expect(second.map((key) => key.id)).toEqual(ids.slice(2, 4));
      const third = await store().listApiKeys({ limit: 2, after: second[1]?.id });
      expect(third.map((key) => key.id)).toEqual(ids.slice(4));
      await expect(store().listApiKeys({ after: third[0]?.id })).resolves.toEqual([]);
    });

    it('pages keys created in the same millisecond without losing or repeating one', async () => {
      const ids: string[] = [];
      for (let index = 0; index < 7; index += 1) ids.push((await store().createApiKey({ name: `same ${index}` })).apiKey.id);
      const all = await store().listApiKeys();
      const paged: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store().listApiKeys({ limit: 3, ...(after === undefined ? {} : { after }) });
        if (page.length === 0) break;
        paged.push(...page.map((key) => key.id));
        after = page[page.length - 1]?.id;
      }
      expect(paged).toEqual(all.map((key) => key.id));
      expect(new Set(paged)).toEqual(new Set(ids));
    });

    it('finds keys by a case-insensitive part of the name or by an id prefix', async () => {
      const [ci, billing, mobile] = await createKeys(['Mobile App', 'billing-worker', 'CI deploy']); // newest first
      await expect(store().listApiKeys({ search: 'app' })).resolves.toEqual([expect.objectContaining({ id: mobile })]);
      await expect(store().listApiKeys({ search: 'BILLING' })).resolves.toEqual([expect.objectContaining({ id: billing })]);
      await expect(store().listApiKeys({ search: ci?.slice(0, 6) ?? '' })).resolves.toEqual([expect.objectContaining({ id: ci })]);
    });

    it('takes regular-expression characters in a search literally', async () => {
      const [, dotted] = await createKeys(['a.b (test) [1]*', 'axb test 1']); // newest first
      await expect(store().listApiKeys({ search: 'a.b (test) [1]*' })).resolves.toEqual([expect.objectContaining({ id: dotted })]);
      await expect(store().listApiKeys({ search: '[1]*' })).resolves.toEqual([expect.objectContaining({ id: dotted })]);
    });

    it('combines a search with a cursor and a limit', async () => {
      const ids = await createKeys(['job 1', 'other', 'job 2', 'job 3']);
      const jobs = [ids[0], ids[1], ids[3]]; // newest first: job 3, job 2, job 1
      const first = await store().listApiKeys({ search: 'job', limit: 2 });
      expect(first.map((key) => key.id)).toEqual(jobs.slice(0, 2));
      await expect(store().listApiKeys({ search: 'job', limit: 2, after: first[1]?.id })).resolves.toEqual([expect.objectContaining({ id: jobs[2] })]);
    });

    it.each([
      ['a zero limit', { limit: 0 }],
      ['a fractional limit', { limit: 1.5 }],
      ['a limit over 1000', { limit: 1001 }],
      ['a string limit', { limit: '10' }],
      ['an empty search', { search: '' }],
      ['an operator search', { search: { $regex: '.*' } }],
      ['a search with a NUL', { search: 'a\u0000' }],
      ['a 201-character search', { search: 's'.repeat(201) }],
      ['a malformed cursor', { after: 'not-an-id' }],
      ['an operator cursor', { after: { $gt: '' } }],
      ['an unknown option', { sort: 'name' }],
      ['a string', 'all'],
    ])('refuses %s with ERR_INVALID_INPUT', async (_label, options) => {
      await expect(store().listApiKeys(untyped(options))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    });

    it('raises ERR_NOT_FOUND for a cursor that names no key', async () => {
      await expect(store().listApiKeys({ after: 'AAAAAAAAAAAA' })).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    });
  });

  describe('getGroup', () => {
    it('returns the group, or null', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.write'] });
      await store().addGroupMember('editors', 'alice');
      await expect(store().getGroup('editors')).resolves.toEqual({
        name: 'editors',
        scopes: ['posts.write'],
        members: ['alice'],
        createdAt: CONTRACT_NOW,
        updatedAt: CONTRACT_NOW,
      });
      await expect(store().getGroup('nobody')).resolves.toBeNull();
    });
  });

  describe('onChange', () => {
    it('reports key creation, revocation and scope changes with their actor', async () => {
      const changes = recordChanges(store());
      const { apiKey } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] }, { actor: 'admin' });
      await store().setApiKeyScopes(apiKey.id, ['posts.write'], { actor: 'admin' });
      await store().revokeApiKey(apiKey.id);
      expect(changes).toEqual([
        { type: 'apiKey', id: apiKey.id, action: 'created', actor: 'admin' },
        { type: 'apiKey', id: apiKey.id, action: 'scopes', actor: 'admin' },
        { type: 'apiKey', id: apiKey.id, action: 'revoked' },
      ]);
    });

    it('reports group changes with the users whose scopes they may change', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'bob');
      const changes = recordChanges(store());
      await store().addGroupMember('editors', 'alice', { actor: 'admin' });
      await store().saveGroup({ name: 'editors', scopes: ['posts.*'] }, { actor: 'admin' });
      await store().removeGroupMember('editors', 'bob');
      await store().deleteGroup('editors', { actor: 'admin' });
      expect(changes).toEqual([
        { type: 'group', name: 'editors', action: 'member-added', userIds: ['alice'], actor: 'admin' },
        { type: 'group', name: 'editors', action: 'saved', userIds: ['alice', 'bob'], actor: 'admin' },
        { type: 'group', name: 'editors', action: 'member-removed', userIds: ['bob'] },
        { type: 'group', name: 'editors', action: 'deleted', userIds: ['alice'], actor: 'admin' },
      ]);
    });

    it('reports nothing for failed writes, touches and rehashes, and stops after unsubscribe', async () => {
      const listener = jest.fn();
      const unsubscribe = store().onChange(listener);
      await expect(store().deleteGroup('nobody')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
      await expect(store().addGroupMember('nobody', 'alice')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
      await expect(store().saveGroup({ name: 'editors', scopes: ['posts.read'] }, untyped('admin'))).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      expect(listener).not.toHaveBeenCalled();
      unsubscribe();
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      expect(listener).not.toHaveBeenCalled();
      await expect(store().getGroup('editors')).resolves.toMatchObject({ scopes: ['posts.read'] });
    });
  });
}
