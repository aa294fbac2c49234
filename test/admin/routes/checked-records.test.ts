import { AdminClient } from '../support/admin-client';
import { type AdminTestServer, startAdminTestServer } from '../support/admin-test-server';

// Review: records read back from a store (a custom one, or one another tool
// wrote to) are checked before the admin page shows, ticks or re-saves them.

describe('review: malformed records read back from the store fail closed on the admin page (finding 1 on its pages)', () => {
  let server: AdminTestServer;
  let client: AdminClient;
  let keyId: string;
  beforeEach(async () => {
    server = await startAdminTestServer({ mode: 'node' });
    client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
    await server.store.saveGroup({ name: 'Editors', scopes: ['posts.read'] });
    const { apiKey } = await server.store.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    keyId = apiKey.id;
  });
  afterEach(async () => {
    await server.close();
  });

  const BAD_SCOPES: Array<[string, unknown]> = [
    ['the string "posts.*"', 'posts.*'],
    ['an object entry', [{ $gt: 1 }]],
    ['an invalid grant', ['not a scope']],
  ];

  it.each(BAD_SCOPES)('a group whose scopes are %s: 503 on its page and the list, never a ticked * box', async (_case, scopes) => {
    const group = (await server.store.getGroup('Editors'))!;
    jest.spyOn(server.store, 'getGroup').mockResolvedValue({ ...group, scopes: scopes as string[] });
    jest.spyOn(server.store, 'listGroups').mockResolvedValue([{ ...group, scopes: scopes as string[] }]);
    for (const path of ['/groups/Editors/edit', '/groups/Editors/delete', '/groups']) {
      const reply = await client.get(path);
      expect([path, reply.status]).toEqual([path, 503]);
      expect(reply.body).not.toContain('* (all scopes)');
    }
  });

  it('a group whose members are a string: 503, so a rename cannot add the members a, l, i, c, e', async () => {
    const group = (await server.store.getGroup('Editors'))!;
    const getGroup = server.store.getGroup.bind(server.store);
    jest.spyOn(server.store, 'getGroup').mockImplementation(async (name) => (name === 'Editors' ? { ...group, members: 'alice' as unknown as string[] } : getGroup(name)));
    const token = await client.token('/groups/new');
    const reply = await client.post('/groups/Editors/edit', { _csrf: token, name: 'Writers', scope: 'posts.read' });
    expect(reply.status).toBe(503);
    await expect(server.store.getGroup('Writers')).resolves.toBeNull();
  });

  it.each(BAD_SCOPES)('a key whose scopes are %s: 503 on its pages and the list, never a ticked * box', async (_case, scopes) => {
    const key = (await server.store.getApiKey(keyId))!;
    jest.spyOn(server.store, 'getApiKey').mockResolvedValue({ ...key, scopes: scopes as string[] });
    jest.spyOn(server.store, 'listApiKeys').mockResolvedValue([{ ...key, scopes: scopes as string[] }]);
    for (const path of [`/keys/${keyId}`, `/keys/${keyId}/revoke`, '/keys']) {
      const reply = await client.get(path);
      expect([path, reply.status]).toEqual([path, 503]);
      expect(reply.body).not.toContain('* (all scopes)');
    }
  });

  it('still shows well-formed records', async () => {
    expect((await client.get('/groups/Editors/edit')).status).toBe(200);
    expect((await client.get(`/keys/${keyId}`)).status).toBe(200);
    expect((await client.get('/keys')).status).toBe(200);
    expect((await client.get('/groups')).status).toBe(200);
  });
});
