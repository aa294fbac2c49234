import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_SECURITY_HEADERS, createScopeAdmin } from '../../src/admin';
import type { ScopeAdminOptions } from '../../src/admin';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { discoverScopes } from '../../src/scopes/discover-scopes';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { AdminClient } from './support/admin-client';
import { type AdminTestServer, TEST_HASH_OPTIONS, blogSchema, startAdminTestServer } from './support/admin-test-server';

describe('security headers', () => {
  let server: AdminTestServer;
  beforeAll(async () => {
    server = await startAdminTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  async function responses(): Promise<Array<[string, Response]>> {
    const signedIn = new AdminClient(server.adminUrl);
    await signedIn.signIn(server.adminKey);
    const cookie = [...signedIn.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const page = await fetch(`${server.adminUrl}/keys`, { headers: { cookie } });
    const script = /src="([^"]+\.js)"/.exec(await page.clone().text())?.[1] ?? '';
    const style = /href="([^"]+\.css)"/.exec(await page.clone().text())?.[1] ?? '';
    return [
      ['a signed-in page', page],
      ['the sign-in page', await fetch(`${server.adminUrl}/sign-in`)],
      ['a redirect to sign in', await fetch(`${server.adminUrl}/keys`, { redirect: 'manual' })],
      ['the script', await fetch(`${server.origin}${script}`)],
      ['the stylesheet', await fetch(`${server.origin}${style}`)],
      ['a 404', await fetch(`${server.adminUrl}/nope`)],
      ['a 405', await fetch(`${server.adminUrl}/keys`, { method: 'DELETE' })],
      ['a 403 (no CSRF token)', await fetch(`${server.adminUrl}/keys/new`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' })],
    ];
  }

  it('are on every response: pages, redirects, assets and errors', async () => {
    const all = await responses();
    expect(all.map(([what, response]) => [what, response.status])).toEqual([
      ['a signed-in page', 200],
      ['the sign-in page', 200],
      ['a redirect to sign in', 303],
      ['the script', 200],
      ['the stylesheet', 200],
      ['a 404', 404],
      ['a 405', 405],
      ['a 403 (no CSRF token)', 403],
    ]);
    for (const [what, response] of all) {
      for (const [name, value] of Object.entries(ADMIN_SECURITY_HEADERS)) expect([what, name, response.headers.get(name)]).toEqual([what, name, value]);
    }
  });

  it('include a strict CSP: no inline script or style, no framing, nosniff, no referrer', () => {
    const csp = ADMIN_SECURITY_HEADERS['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(ADMIN_SECURITY_HEADERS).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
  });

  it('pages carry no inline script, style attribute or event handler, and are never stored', async () => {
    for (const [what, response] of await responses()) {
      if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      const body = await response.text();
      expect([what, response.headers.get('cache-control')]).toEqual([what, 'no-store']);
      expect([what, body.match(/<script(?![^>]*\ssrc=)[^>]*>/g)]).toEqual([what, null]);
      expect([what, body.match(/\sstyle=|\son[a-z]+=/gi)]).toEqual([what, null]);
    }
  });

  it('serves the script and stylesheet itself, with hashed names cached for good', async () => {
    const all = new Map(await responses());
    expect(all.get('the script')?.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(all.get('the stylesheet')?.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(all.get('the script')?.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await all.get('the script')?.text()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});

describe('mounting', () => {
  it.each<[string, { mode: 'express' | 'node'; mountPath: string }]>([
    ['Express at /ops/admin (req.baseUrl)', { mode: 'express', mountPath: '/ops/admin' }],
    ['node:http at /admin (the default mountPath)', { mode: 'node', mountPath: '/admin' }],
    ['node:http at /console', { mode: 'node', mountPath: '/console' }],
  ])('%s: links, forms, redirects and cookies carry the mount path', async (_case, options) => {
    const server = await startAdminTestServer(options);
    try {
      const client = new AdminClient(server.adminUrl);
      expect((await client.get('/keys')).location).toBe(`${options.mountPath}/sign-in`);
      const signIn = await client.get('/sign-in');
      expect(signIn.body).toContain(`action="${options.mountPath}/sign-in"`);
      expect(signIn.body).toContain(`href="${options.mountPath}/assets/admin.`);
      const posted = await client.signIn(server.adminKey);
      expect(posted.location).toBe(`${options.mountPath}/keys`);
      expect(posted.headers.getSetCookie()[0]).toContain(`Path=${options.mountPath};`);
      const keys = await client.get('/keys');
      expect(keys.status).toBe(200);
      expect(keys.body).toContain(`href="${options.mountPath}/keys/new"`);
      expect(keys.body).toContain(`href="${options.mountPath}/groups"`);
      const asset = /src="([^"]+)"/.exec(keys.body)?.[1] ?? '';
      expect((await fetch(`${server.origin}${asset}`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('under node:http, answers 404 outside mountPath, or calls next()', async () => {
    const store = new MemoryScopeStore({ hashOptions: TEST_HASH_OPTIONS });
    const admin = createScopeAdmin({ store, schema: blogSchema() });
    const nexts: string[] = [];
    const server = createServer((req, res) => {
      if (req.url === '/with-next') {
        void admin.handler(req, res, () => {
          nexts.push(req.url ?? '');
          res.end('next');
        });
        return;
      }
      void admin.handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${origin}/administrator`)).status).toBe(404);
      expect(await (await fetch(`${origin}/with-next`)).text()).toBe('next');
      expect(nexts).toEqual(['/with-next']);
      expect((await fetch(`${origin}/admin/sign-in`)).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await admin.close();
    }
  });
});

describe('createScopeAdmin options', () => {
  const store = new MemoryScopeStore({ hashOptions: TEST_HASH_OPTIONS });
  const schema = blogSchema();

  it.each<[string, Record<string, unknown>]>([
    ['no store', { store: undefined, schema }],
    ['a store without methods', { store: {} as MemoryScopeStore, schema }],
    ['neither schema nor catalog', { store }],
    ['both schema and catalog', { store, schema, catalog: discoverScopes(schema) }],
    ['a malformed admin scope', { store, schema, adminScope: 'admin' }],
    ['a wildcard admin scope', { store, schema, adminScope: 'scopes.*' }],
    ['a relative mount path', { store, schema, mountPath: 'admin' }],
    ['a mount path with a query', { store, schema, mountPath: '/admin?x' }],
    ['a page size of 0', { store, schema, pageSize: 0 }],
    ['a page size the store cannot serve', { store, schema, pageSize: 1000 }],
    ['a fractional idle timeout', { store, schema, sessionIdleTimeoutMs: 1.5 }],
    ['no sessions', { store, schema, maxSessions: 0 }],
    ['no sign-in attempts', { store, schema, signInAttemptsPerClientPerMinute: 0 }],
    ['getUser that is not a function', { store, schema, getUser: 'alice' }],
    ['secureCookies that is not a boolean', { store, schema, secureCookies: 'yes' }],
    ['sessions neither store nor memory', { store, schema, sessions: 'redis' }],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_case, options) => {
    expect.assertions(2);
    try {
      createScopeAdmin(options as unknown as ScopeAdminOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(ScopedPermissionsError);
      expect((error as ScopedPermissionsError).code).toBe('ERR_INVALID_OPTIONS');
    }
  });

  it('accepts a catalogue instead of a schema', async () => {
    const admin = createScopeAdmin({ store, catalog: discoverScopes(schema) });
    await admin.close();
    expect(typeof admin.handler).toBe('function');
  });
});
