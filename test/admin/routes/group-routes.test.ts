import type { ScopeChange } from '../../../src/store/scope-store';
import { AdminClient } from '../support/admin-client';
import { type AdminTestServer, startAdminTestServer } from '../support/admin-test-server';

describe('groups', () => {
  let server: AdminTestServer;
  let client: AdminClient;
  let actor: string;
  beforeEach(async () => {
    server = await startAdminTestServer({ mode: 'node' });
    client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
    const [admin] = await server.store.listApiKeys({ search: 'test admin' });
    actor = `apiKey:${admin?.id}`;
  });
  afterEach(async () => {
    await server.close();
  });

  it('creates a group, adds and removes members, and deletes it; every change carries the admin as actor', async () => {
    const changes: ScopeChange[] = [];
    server.store.onChange((change) => changes.push(change));
    const created = await client.submit('/groups/new', '/groups/new', { name: 'Night shift', scope: ['comments.*', 'posts.read'] });
    expect(created.location).toBe('/admin/groups/Night%20shift/edit?notice=created');
    const path = '/groups/Night%20shift';
    await client.submit(`${path}/edit`, `${path}/members`, { userId: 'bob@example.com' });
    await client.submit(`${path}/edit`, `${path}/members`, { userId: 'dana' });
    await expect(server.store.getUserScopes('bob@example.com')).resolves.toEqual(['comments.*', 'posts.read']);
    await client.submit(`${path}/edit`, `${path}/members/remove`, { userId: 'dana' });
    await expect(server.store.getGroup('Night shift')).resolves.toMatchObject({ members: ['bob@example.com'] });
    expect((await client.get(`${path}/delete`)).body).toContain('1 member loses');
    expect((await client.submit(`${path}/delete`, `${path}/delete`, {})).location).toBe('/admin/groups?notice=deleted');
    await expect(server.store.getGroup('Night shift')).resolves.toBeNull();
    expect(changes.map(({ action, actor: by }) => [action, by])).toEqual([
      ['saved', actor],
      ['member-added', actor],
      ['member-added', actor],
      ['member-removed', actor],
      ['deleted', actor],
    ]);
  });

  it('never replaces an existing group through "New group"', async () => {
    await server.store.saveGroup({ name: 'Editors', scopes: ['posts.*'] });
    const reply = await client.submit('/groups/new', '/groups/new', { name: 'Editors', scope: 'posts.read' });
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('exists already');
    await expect(server.store.getGroup('Editors')).resolves.toMatchObject({ scopes: ['posts.*'] });
  });

  it('renames a group, keeping its members and scopes, and refuses a name that is taken', async () => {
    await server.store.saveGroup({ name: 'Editors', scopes: ['posts.*', 'legacy.scope'] });
    await server.store.addGroupMember('Editors', 'alice');
    await server.store.saveGroup({ name: 'Admins', scopes: ['*'] });
    const taken = await client.submit('/groups/Editors/edit', '/groups/Editors/edit', { name: 'Admins', scope: ['posts.*', 'legacy.scope'] });
    expect(taken.status).toBe(400);
    const renamed = await client.submit('/groups/Editors/edit', '/groups/Editors/edit', { name: 'Writers', scope: ['posts.*', 'legacy.scope'] });
    expect(renamed.location).toBe('/admin/groups/Writers/edit?notice=saved');
    await expect(server.store.getGroup('Editors')).resolves.toBeNull();
    await expect(server.store.getGroup('Writers')).resolves.toMatchObject({ scopes: ['legacy.scope', 'posts.*'], members: ['alice'] });
  });

  it('escapes member ids and shows unknown scopes flagged', async () => {
    await server.store.saveGroup({ name: 'Odd', scopes: ['reports.read'] });
    await client.submit('/groups/Odd/edit', '/groups/Odd/members', { userId: '<script>alert(1)</script>' });
    const page = await client.get('/groups/Odd/edit');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('not in the schema');
    expect((await client.get('/groups')).body).toContain('reports (read)');
  });

  it.each<[string, string, Record<string, string | string[]>, string]>([
    ['a group name with markup', '/groups/new', { name: '<b>x</b>' }, 'name-error'],
    ['a group name of 101 characters', '/groups/new', { name: 'g'.repeat(101) }, 'name-error'],
    ['an unknown scope', '/groups/new', { name: 'G', scope: 'reports.read' }, 'scopes-error'],
    ['an empty user id', '/groups/Base/members', { userId: '' }, 'userId-error'],
    ['a user id of 201 characters', '/groups/Base/members', { userId: 'u'.repeat(201) }, 'userId-error'],
    ['a user id with a newline', '/groups/Base/members', { userId: 'a\nb' }, 'userId-error'],
  ])('re-renders the form for %s with the error next to the field, saving nothing', async (_case, action, form, errorId) => {
    await server.store.saveGroup({ name: 'Base', scopes: [] });
    const before = await server.store.listGroups();
    const reply = await client.submit(action === '/groups/new' ? '/groups/new' : '/groups/Base/edit', action, form);
    expect(reply.status).toBe(400);
    expect(reply.body).toContain(`id="${errorId}"`);
    await expect(server.store.listGroups()).resolves.toEqual(before);
  });

  it.each(['/groups/Nope/edit', '/groups/%3Cb%3E/edit', '/groups/Nope/delete', '/groups/%E0%A4%A/edit'])('answers 404 for %s', async (path) => {
    expect((await client.get(path)).status).toBe(404);
  });
});
