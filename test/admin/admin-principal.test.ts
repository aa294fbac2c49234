import type { IncomingMessage } from 'node:http';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { AdminClient } from './support/admin-client';
import { type AdminTestServer, startAdminTestServer } from './support/admin-test-server';

// Attacks from the adversarial review of the admin page (review-1).

describe('review: the getUser path checks stored scopes like the API (finding 1 on the admin page)', () => {
  let server: AdminTestServer;
  beforeEach(async () => {
    server = await startAdminTestServer({
      mode: 'node',
      // The test's stand-in for an application session: a header set by the test.
      admin: { getUser: (req: IncomingMessage) => (typeof req.headers['x-test-user'] === 'string' ? { id: req.headers['x-test-user'] } : null) },
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it.each<[string, unknown]>([
    ['the string "posts.*" (iterated, it would grant "*")', 'posts.*'],
    ['the string "*"', '*'],
    ['an object entry next to the admin scope', [{ $gt: 1 }, 'scopes.admin']],
    ['an invalid grant next to the admin scope', ['not a scope', 'scopes.admin']],
    ['an object', { scopes: ['scopes.admin'] }],
  ])('a custom store returning %s for getUserScopes gets 503, never the admin page', async (_case, scopes) => {
    jest.spyOn(server.store, 'getUserScopes').mockResolvedValue(scopes as string[]);
    const reply = await new AdminClient(server.adminUrl).get('/keys', { 'x-test-user': 'intruder' });
    expect(reply.status).toBe(503);
    expect(reply.body).not.toContain('API keys</h1>');
  });

  it('still lets in a user whose groups hold the admin scope', async () => {
    await server.store.saveGroup({ name: 'Admins', scopes: ['scopes.admin'] });
    await server.store.addGroupMember('Admins', 'ops');
    expect((await new AdminClient(server.adminUrl).get('/keys', { 'x-test-user': 'ops' })).status).toBe(200);
  });
});

describe('review: a legacy key without scopes never signs in to the admin page', () => {
  let server: AdminTestServer;
  beforeEach(async () => {
    server = await startAdminTestServer({ mode: 'node' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('refuses an unrestricted legacy key (full access on the API) with 403 and starts no session', async () => {
    const { key } = await server.store.createApiKey({ name: 'old CI key' });
    const verified = await server.verifier.verify(key);
    expect(verified.ok && verified.principal.unrestricted).toBe(true);
    const client = new AdminClient(server.adminUrl);
    const reply = await client.signIn(key);
    expect(reply.status).toBe(403);
    expect(client.cookies.has('gsp_admin')).toBe(false);
    expect((await client.get('/keys')).location).toBe('/admin/sign-in');
  });

  it('ends the session of a key narrowed to no scopes at all (an unrestricted key), at the next request', async () => {
    const { apiKey, key } = await server.store.createApiKey({ name: 'admin', scopes: ['scopes.admin'] });
    const client = new AdminClient(server.adminUrl);
    expect((await client.signIn(key)).status).toBe(303);
    // A store written by another tool can hold a key without scopes; our stores refuse [] in setApiKeyScopes.
    jest.spyOn(server.store, 'findApiKeyCredential').mockImplementation(async (id) => {
      const credential = await MemoryScopeStore.prototype.findApiKeyCredential.call(server.store, id);
      return credential === null || id !== apiKey.id ? credential : { ...credential, apiKey: { ...credential.apiKey, scopes: [] } };
    });
    server.verifier.clear();
    expect((await client.get('/keys')).status).toBe(403);
  });
});
