import type { IncomingMessage } from 'node:http';
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
