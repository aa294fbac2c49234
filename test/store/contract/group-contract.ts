import { CONTRACT_CATALOG, CONTRACT_NOW, advanceDate } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

/** The group half of the store contract: save, delete, members, listing and `getUserScopes`. */
export function describeGroupContract(subject: SubjectAccessor): void {
  const store = () => subject().store;

  describe('saveGroup', () => {
    it('creates a group with normalised scopes and no members', async () => {
      await expect(store().saveGroup({ name: 'editors', scopes: ['posts.write', 'posts.read', 'posts.write'] })).resolves.toEqual({
        name: 'editors',
        scopes: ['posts.read', 'posts.write'],
        members: [],
        createdAt: CONTRACT_NOW,
        updatedAt: CONTRACT_NOW,
      });
    });

    it('replaces the scopes of an existing group and keeps its members and creation time', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'alice');
      const later = advanceDate(60_000);
      await expect(store().saveGroup({ name: 'editors', scopes: ['posts.publish'] })).resolves.toEqual({
        name: 'editors',
        scopes: ['posts.publish'],
        members: ['alice'],
        createdAt: CONTRACT_NOW,
        updatedAt: later,
      });
      await expect(store().listGroups()).resolves.toHaveLength(1);
    });

    it('checks scopes against a catalogue, suggesting the closest', async () => {
      await expect(store().saveGroup({ name: 'editors', scopes: ['posts.*', 'users.read'], catalog: CONTRACT_CATALOG })).resolves.toMatchObject({
        scopes: ['posts.*', 'users.read'],
      });
      await expect(store().saveGroup({ name: 'writers', scopes: ['posts.wirte'], catalog: CONTRACT_CATALOG })).rejects.toMatchObject({
        code: 'ERR_UNKNOWN_SCOPE',
        details: { scope: 'posts.wirte', suggestion: 'posts.write' },
      });
      await expect(store().listGroups()).resolves.toEqual([expect.objectContaining({ name: 'editors' })]);
    });

    it('rejects a grant that breaks the grammar', async () => {
      await expect(store().saveGroup({ name: 'editors', scopes: ['posts..read'] })).rejects.toMatchObject({ code: 'ERR_INVALID_SCOPE' });
      await expect(store().listGroups()).resolves.toEqual([]);
    });
  });

  describe('deleteGroup', () => {
    it('deletes a group, and raises ERR_NOT_FOUND the second time', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'alice');
      await store().deleteGroup('editors');
      await expect(store().listGroups()).resolves.toEqual([]);
      await expect(store().getUserScopes('alice')).resolves.toEqual([]);
      await expect(store().deleteGroup('editors')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    });
  });

  describe('members', () => {
    it('adds members idempotently, sorted, moving updatedAt only on a change', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      const added = advanceDate(1_000);
      await store().addGroupMember('editors', 'carol');
      await expect(store().addGroupMember('editors', 'alice')).resolves.toMatchObject({ members: ['alice', 'carol'], updatedAt: added });
      advanceDate(1_000);
      await expect(store().addGroupMember('editors', 'alice')).resolves.toMatchObject({ members: ['alice', 'carol'], updatedAt: added });
    });

    it('removes members idempotently', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'alice');
      await store().addGroupMember('editors', 'bob');
      await expect(store().removeGroupMember('editors', 'alice')).resolves.toMatchObject({ members: ['bob'] });
      await expect(store().removeGroupMember('editors', 'alice')).resolves.toMatchObject({ members: ['bob'] });
      await expect(store().removeGroupMember('editors', 'nobody')).resolves.toMatchObject({ members: ['bob'] });
    });

    it.each([
      ['addGroupMember', (name: string) => store().addGroupMember(name, 'alice')],
      ['removeGroupMember', (name: string) => store().removeGroupMember(name, 'alice')],
    ])('%s raises ERR_NOT_FOUND for an unknown group', async (_label, call) => {
      await expect(call('nobody')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
    });
  });

  describe('listGroups', () => {
    it('lists every group by name', async () => {
      for (const name of ['writers', 'admins', 'editors']) await store().saveGroup({ name, scopes: [] });
      const groups = await store().listGroups();
      expect(groups.map((group) => group.name)).toEqual(['admins', 'editors', 'writers']);
    });
  });

  describe('getUserScopes', () => {
    it('returns the sorted, de-duplicated union of the scopes of the user’s groups', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.write', 'posts.read'] });
      await store().saveGroup({ name: 'publishers', scopes: ['posts.publish', 'posts.read'] });
      await store().saveGroup({ name: 'admins', scopes: ['*'] });
      await store().addGroupMember('editors', 'alice');
      await store().addGroupMember('publishers', 'alice');
      await store().addGroupMember('admins', 'bob');
      await expect(store().getUserScopes('alice')).resolves.toEqual(['posts.publish', 'posts.read', 'posts.write']);
      await expect(store().getUserScopes('bob')).resolves.toEqual(['*']);
    });

    it('returns nothing for an unknown user, and follows membership and scope changes', async () => {
      await expect(store().getUserScopes('alice')).resolves.toEqual([]);
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'alice');
      await store().saveGroup({ name: 'editors', scopes: ['posts.write'] });
      await expect(store().getUserScopes('alice')).resolves.toEqual(['posts.write']);
      await store().removeGroupMember('editors', 'alice');
      await expect(store().getUserScopes('alice')).resolves.toEqual([]);
    });

    it('accepts user ids that are e-mail addresses or contain non-ASCII letters', async () => {
      await store().saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store().addGroupMember('editors', 'zoë@example.com');
      await expect(store().getUserScopes('zoë@example.com')).resolves.toEqual(['posts.read']);
      await expect(store().getUserScopes('zoe@example.com')).resolves.toEqual([]);
    });
  });
}
