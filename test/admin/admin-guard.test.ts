import type { IncomingMessage } from 'node:http';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { AdminClient } from './support/admin-client';
import { type AdminTestServer, startAdminTestServer } from './support/admin-test-server';

describe('CSRF rules on state-changing requests', () => {
  let server: AdminTestServer;
  let client: AdminClient;
  beforeEach(async () => {
    server = await startAdminTestServer({ mode: 'node' });
    client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
  });
  afterEach(async () => {
    await server.close();
  });

  async function attempt(form: Record<string, string>, headers: Record<string, string>): Promise<number> {
    const before = await server.store.listGroups();
    const reply = await client.post('/groups/new', { name: 'Forged', scope: '*', ...form }, headers);
    const after = await server.store.listGroups();
    if (reply.status !== 303) expect(after).toEqual(before);
    return reply.status;
  }

  it.each<[string, 'token' | 'none' | 'other-session' | 'sign-in-token', Record<string, string>, number]>([
    ['no token', 'none', {}, 403],
    ["another session's token", 'other-session', {}, 403],
    ["the sign-in form's token", 'sign-in-token', {}, 403],
    ['a valid token, Sec-Fetch-Site: cross-site', 'token', { 'sec-fetch-site': 'cross-site' }, 403],
    ['a valid token, Sec-Fetch-Site: same-site', 'token', { 'sec-fetch-site': 'same-site' }, 403],
    ['a valid token, no Sec-Fetch-Site, a foreign Origin', 'token', { 'sec-fetch-site': '', origin: 'https://evil.example' }, 403],
    ['a valid token, no Sec-Fetch-Site, Origin: null', 'token', { 'sec-fetch-site': '', origin: 'null' }, 403],
    ['a valid token, Sec-Fetch-Site: same-origin, Origin: null (Chromium under no-referrer)', 'token', { origin: 'null' }, 303],
    ['a valid token, no Sec-Fetch-Site, no Origin (curl)', 'token', { 'sec-fetch-site': '' }, 303],
    ['a valid token, no Sec-Fetch-Site, our own Origin', 'token', { 'sec-fetch-site': '', origin: '' }, 303],
  ])('%s: %s', async (_case, tokenKind, headers, status) => {
    let token = '';
    if (tokenKind === 'token') token = await client.token('/groups/new');
    if (tokenKind === 'other-session') {
      const other = new AdminClient(server.adminUrl);
      await other.signIn(server.adminKey);
      token = await other.token('/groups/new');
    }
    if (tokenKind === 'sign-in-token') token = await new AdminClient(server.adminUrl).token('/sign-in');
    const merged = { ...headers };
    if (merged.origin === '') merged.origin = server.origin;
    expect(await attempt(tokenKind === 'none' ? {} : { _csrf: token }, merged)).toBe(status);
  });

  it('refuses a token sent twice', async () => {
    const token = await client.token('/groups/new');
    const reply = await client.post('/groups/new', new URLSearchParams([['_csrf', token], ['_csrf', token], ['name', 'Twice']]));
    expect(reply.status).toBe(403);
    await expect(server.store.getGroup('Twice')).resolves.toBeNull();
  });

  it('sends a POST without a session to the sign-in page, changing nothing', async () => {
    const stranger = new AdminClient(server.adminUrl);
    const reply = await stranger.post('/groups/new', { name: 'Forged', scope: '*' });
    expect(reply.location).toBe('/admin/sign-in');
    await expect(server.store.getGroup('Forged')).resolves.toBeNull();
  });
});

describe('getUser: applications with their own login', () => {
  let server: AdminTestServer;
  beforeEach(async () => {
    server = await startAdminTestServer({
      mode: 'node',
      // The test's stand-in for an application session: a header set by the test.
      admin: { getUser: (req: IncomingMessage) => (typeof req.headers['x-test-user'] === 'string' ? { id: req.headers['x-test-user'], name: 'Ops person' } : null) },
    });
    await server.store.saveGroup({ name: 'Admins', scopes: ['scopes.admin'] });
    await server.store.addGroupMember('Admins', 'ops');
  });
  afterEach(async () => {
    await server.close();
  });

  it('lets a user whose groups hold the admin scope in, with CSRF-protected forms and user:<id> as actor', async () => {
    const actors: Array<string | undefined> = [];
    server.store.onChange((change) => actors.push(change.actor));
    const client = new AdminClient(server.adminUrl);
    const page = await client.get('/keys', { 'x-test-user': 'ops' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Ops person');
    expect(page.body).not.toContain('Sign out');
    const token = /name="_csrf" value="([^"]+)"/.exec((await client.get('/groups/new', { 'x-test-user': 'ops' })).body)?.[1] ?? '';
    expect((await client.post('/groups/new', { _csrf: token, name: 'Made by ops' }, { 'x-test-user': 'ops' })).status).toBe(303);
    expect((await client.post('/groups/new', { name: 'No token' }, { 'x-test-user': 'ops' })).status).toBe(403);
    expect(actors).toEqual(['user:ops']);
    expect((await client.get('/sign-in', { 'x-test-user': 'ops' })).location).toBe('/admin/keys');
  });

  it('binds the session to the user: another user gets a session of their own', async () => {
    await server.store.addGroupMember('Admins', 'other');
    const client = new AdminClient(server.adminUrl);
    const token = /name="_csrf" value="([^"]+)"/.exec((await client.get('/groups/new', { 'x-test-user': 'ops' })).body)?.[1] ?? '';
    const reply = await client.post('/groups/new', { _csrf: token, name: 'Cross user' }, { 'x-test-user': 'other' });
    expect(reply.status).toBe(403);
    await expect(server.store.getGroup('Cross user')).resolves.toBeNull();
  });

  it('answers 403 to a user without the admin scope, and 401 without a user', async () => {
    const client = new AdminClient(server.adminUrl);
    expect((await client.get('/keys', { 'x-test-user': 'nobody' })).status).toBe(403);
    expect((await client.get('/keys')).status).toBe(401);
    expect((await client.get('/keys', { 'x-test-user': '' })).status).toBe(401);
  });
});

describe('store failures', () => {
  it('answer 503 when the store is unavailable and a plain 500 for anything else, reporting both to onError', async () => {
    const errors: Error[] = [];
    const server = await startAdminTestServer({ mode: 'node', admin: { onError: (error) => errors.push(error) } });
    try {
      const client = new AdminClient(server.adminUrl);
      await client.signIn(server.adminKey);
      const listGroups = jest.spyOn(server.store, 'listGroups');
      listGroups.mockRejectedValueOnce(new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'down'));
      const unavailable = await client.get('/groups');
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get('retry-after')).toBe('5');
      listGroups.mockRejectedValueOnce(new TypeError('a bug'));
      const failed = await client.get('/groups');
      expect(failed.status).toBe(500);
      expect(failed.body).not.toContain('a bug');
      expect(errors.map((error) => error.message)).toEqual(['down', 'a bug']);
      expect((await client.get('/groups')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
