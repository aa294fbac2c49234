import { generateApiKey } from '../../../src/keys/api-key-format';
import { AdminClient } from '../support/admin-client';
import { signInFrom } from '../support/loopback-sign-in';
import { type AdminTestServer, startAdminTestServer } from '../support/admin-test-server';

describe('signing in', () => {
  let server: AdminTestServer;
  beforeEach(async () => {
    server = await startAdminTestServer({ mode: 'node' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('starts a session in an HttpOnly, SameSite=Strict cookie that holds a random id, never the key', async () => {
    const client = new AdminClient(server.adminUrl);
    const reply = await client.signIn(server.adminKey);
    expect(reply.status).toBe(303);
    const [cookie] = reply.headers.getSetCookie();
    expect(cookie).toMatch(/^gsp_admin=[A-Za-z0-9_-]{43}; Path=\/admin; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(server.adminKey.slice(4));
    expect((await client.get('/keys')).status).toBe(200);
  });

  it('marks the cookie Secure when secureCookies is set (HTTPS behind a proxy)', async () => {
    const secure = await startAdminTestServer({ mode: 'node', admin: { secureCookies: true } });
    try {
      const reply = await new AdminClient(secure.adminUrl).signIn(secure.adminKey);
      expect(reply.headers.getSetCookie()[0]).toMatch(/; Secure$/);
    } finally {
      await secure.close();
    }
  });

  it('gives a new session id at every sign-in, whatever cookie came in (no fixation)', async () => {
    const client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
    const first = client.cookies.get('gsp_admin');
    await client.signIn(server.adminKey);
    const second = client.cookies.get('gsp_admin');
    expect(second).not.toBe(first);
    const stale = new AdminClient(server.adminUrl);
    stale.cookies.set('gsp_admin', first ?? '');
    expect((await stale.get('/keys')).location).toBe('/admin/sign-in?reason=session-ended');
  });

  it('refuses a key without the admin scope with 403, and starts no session', async () => {
    const { key } = await server.store.createApiKey({ name: 'reader', scopes: ['posts.read', 'posts.*'] });
    const client = new AdminClient(server.adminUrl);
    const reply = await client.signIn(key);
    expect(reply.status).toBe(403);
    expect(client.cookies.has('gsp_admin')).toBe(false);
  });

  it.each([
    ['scopes.admin', ['scopes.admin']],
    ['scopes.*', ['scopes.*']],
    ['*.admin', ['*.admin']],
    ['*', ['*']],
  ])('lets in a key holding %s', async (_case, scopes) => {
    const { key } = await server.store.createApiKey({ name: 'admin', scopes });
    expect((await new AdminClient(server.adminUrl).signIn(key)).location).toBe('/admin/keys');
  });

  it.each([
    ['a revoked key', 'revoked'],
    ['an expired key', 'expired'],
    ['a mistyped key', 'mistyped'],
    ['a JWT with a bad signature', 'bad-jwt'],
    ['random text', 'text'],
  ])('refuses %s with 401 and never echoes what was pasted', async (_case, kind) => {
    const { apiKey, key } = await server.store.createApiKey({ name: 'admin', scopes: ['*'] });
    let credential = key;
    if (kind === 'revoked') await server.store.revokeApiKey(apiKey.id);
    if (kind === 'expired') await server.store.updateApiKey(apiKey.id, { expiresAt: new Date(Date.now() - 1000) });
    if (kind === 'mistyped') credential = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    if (kind === 'bad-jwt') credential = `${(await server.signJwt('carol', { scopes: ['*'] })).slice(0, -2)}xx`;
    if (kind === 'text') credential = '<script>alert(1)</script>';
    const client = new AdminClient(server.adminUrl);
    const reply = await client.signIn(credential);
    expect(reply.status).toBe(401);
    expect(reply.body).toContain('not valid');
    expect(reply.body).not.toContain(credential);
    expect(client.cookies.has('gsp_admin')).toBe(false);
  });

  it('accepts a JWT whose subject holds the admin scope, and records jwt:<sub> as the actor', async () => {
    const actors: Array<string | undefined> = [];
    server.store.onChange((change) => actors.push(change.actor));
    const client = new AdminClient(server.adminUrl);
    expect((await client.signIn(await server.signJwt('carol', { scopes: ['scopes.admin'] }))).location).toBe('/admin/keys');
    await client.submit('/groups/new', '/groups/new', { name: 'Ops', scope: 'posts.read' });
    expect(actors).toEqual(['jwt:carol']);
  });

  it('refuses a sign-in form without its CSRF token (login CSRF), and counts no attempt', async () => {
    const client = new AdminClient(server.adminUrl);
    await client.get('/sign-in');
    const reply = await client.post('/sign-in', { credential: server.adminKey });
    expect(reply.status).toBe(403);
    expect(client.cookies.has('gsp_admin')).toBe(false);
  });

  it('allows 10 attempts a minute from one address, answers 429 with Retry-After beyond, even for a good key', async () => {
    const client = new AdminClient(server.adminUrl);
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await client.signIn('gsp_wrongwrongwrong_x')).status).toBe(401);
    const throttled = await client.signIn(server.adminKey);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.body).toContain('Too many sign-in attempts');
    expect(client.cookies.has('gsp_admin')).toBe(false);
  });

  it('charges only costly attempts to the shared budget (signInAttemptsPerMinute), and never refuses a first attempt', async () => {
    let client = 0;
    const shared = await startAdminTestServer({ mode: 'node', admin: { signInAttemptsPerMinute: 3, getClientId: () => `client-${Math.ceil((client += 1) / 2)}` } });
    try {
      // Well-formed keys with a good checksum (unknown ids): each costs a store lookup.
      const costly = generateApiKey().key;
      const wellFormed = generateApiKey().key;
      const statuses: number[] = [];
      // Two attempts per client: malformed ones never count; well-formed ones do, past the budget only for a client's second attempt.
      for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await new AdminClient(shared.adminUrl).signIn('gsp_wrongwrongwrong_x')).status);
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await new AdminClient(shared.adminUrl).signIn(attempt % 2 === 0 ? costly : wellFormed)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 429, 401, 429]);
    } finally {
      await shared.close();
    }
  });

  it('issue 15 finding 3: ten loopback addresses × ten bad-checksum sign-ins cannot lock the real admin out', async () => {
    const badChecksum = `${server.adminKey.slice(0, -1)}${server.adminKey.endsWith('A') ? 'B' : 'A'}`;
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async (_, host) => {
        const mine: number[] = [];
        for (let attempt = 0; attempt < 10; attempt += 1) mine.push(await signInFrom(server.adminUrl, `127.0.0.${host + 2}`, badChecksum));
        mine.push(await signInFrom(server.adminUrl, `127.0.0.${host + 2}`, badChecksum));
        return mine;
      }),
    );
    // Each address is held to its own ten.
    for (const mine of statuses) expect(mine).toEqual([...Array.from({ length: 10 }, () => 401), 429]);
    // The real admin, from another address, signs in at once.
    expect(await signInFrom(server.adminUrl, '127.0.0.50', server.adminKey)).toBe(303);
  });

  it('signs out: the session ends and its cookie is cleared', async () => {
    const client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
    const cookie = client.cookies.get('gsp_admin') ?? '';
    const reply = await client.submit('/keys', '/sign-out', {});
    expect(reply.location).toBe('/admin/sign-in?reason=signed-out');
    expect(client.cookies.has('gsp_admin')).toBe(false);
    const replay = new AdminClient(server.adminUrl);
    replay.cookies.set('gsp_admin', cookie);
    expect((await replay.get('/keys')).status).toBe(303);
  });

  it('signs a session out at its next request once its key is revoked or loses the admin scope', async () => {
    const { apiKey, key } = await server.store.createApiKey({ name: 'second admin', scopes: ['scopes.admin', 'posts.read'] });
    const revoked = new AdminClient(server.adminUrl);
    await revoked.signIn(key);
    expect((await revoked.get('/keys')).status).toBe(200);
    await server.store.setApiKeyScopes(apiKey.id, ['posts.read']);
    expect((await revoked.get('/keys')).status).toBe(403);
    expect((await revoked.get('/keys')).location).toBe('/admin/sign-in');
    await server.store.setApiKeyScopes(apiKey.id, ['scopes.admin']);
    await revoked.signIn(key);
    await server.store.revokeApiKey(apiKey.id);
    const reply = await revoked.get('/keys');
    expect(reply.location).toBe('/admin/sign-in?reason=credential-invalid');
    expect(revoked.cookies.has('gsp_admin')).toBe(false);
  });
});
