import type { ScopeChange } from '../../../src/store/scope-store';
import { AdminClient } from '../support/admin-client';
import { type AdminTestServer, startAdminTestServer } from '../support/admin-test-server';

describe('keys', () => {
  let server: AdminTestServer;
  let client: AdminClient;
  beforeEach(async () => {
    server = await startAdminTestServer({ mode: 'node', admin: { pageSize: 50 } });
    client = new AdminClient(server.adminUrl);
    await client.signIn(server.adminKey);
  });
  afterEach(async () => {
    await server.close();
  });

  function rows(body: string): string[] {
    return [...body.matchAll(/<tr>\s*<td data-label="Key" class="mono">[^<]*<\/td>\s*<td data-label="Name">([^<]*)</g)].map((match) => match[1] ?? '');
  }

  describe('the list', () => {
    beforeEach(async () => {
      // 120 keys, oldest first: batch 0 … batch 119. The admin key is older still.
      for (let index = 0; index < 120; index += 1) await server.store.createApiKey({ name: `batch ${index}`, scopes: ['posts.read'] });
    });

    it('shows 50 keys a page, newest first, with a Next page link until the end', async () => {
      const first = await client.get('/keys');
      expect(rows(first.body)).toEqual(Array.from({ length: 50 }, (_, index) => `batch ${119 - index}`));
      const next = /href="([^"]+)">Next page</.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
      expect(next).toMatch(/^\/admin\/keys\?after=[A-Za-z0-9]{12}$/);
      expect(first.body).not.toContain('First page');
      const second = await client.get(`${server.origin}${next}`);
      expect(rows(second.body)[0]).toBe('batch 69');
      expect(second.body).toContain('First page');
      const third = await client.get(/href="([^"]+)">Next page</.exec(second.body)?.[1]?.replace('/admin', '') ?? '');
      expect(rows(third.body)).toEqual([...Array.from({ length: 20 }, (_, index) => `batch ${19 - index}`), 'test admin']);
      expect(third.body).not.toContain('Next page');
    });

    it('searches by name, keeping the search in the page links', async () => {
      const found = await client.get('/keys?search=batch%2011');
      expect(rows(found.body)).toEqual(['batch 119', 'batch 118', 'batch 117', 'batch 116', 'batch 115', 'batch 114', 'batch 113', 'batch 112', 'batch 111', 'batch 110', 'batch 11']);
      expect(found.body).toContain('value="batch 11"');
    });

    it('searches by id prefix', async () => {
      const [newest] = await server.store.listApiKeys({ limit: 1 });
      const found = await client.get(`/keys?search=${newest?.id.slice(0, 10)}`);
      expect(rows(found.body)).toContain('batch 119');
    });

    it.each([
      ['a cursor that is not a key id', '/keys?after=%3Cscript%3E'],
      ['a cursor that names no key', '/keys?after=AAAAAAAAAAAA'],
      ['a search that is too long', `/keys?search=${'x'.repeat(201)}`],
      ['a search with control characters', '/keys?search=a%00b'],
    ])('answers %s with 400 and the error next to the search box, never 500', async (_case, path) => {
      const reply = await client.get(path);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatch(/id="search-error"/);
      expect(reply.body).not.toContain('<script>');
    });
  });

  it('escapes every user string: key names, the search term', async () => {
    await server.store.createApiKey({ name: '<img src=x onerror=alert(1)>', scopes: ['posts.read'] });
    const reply = await client.get(`/keys?search=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(reply.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const list = await client.get('/keys');
    expect(list.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(list.body).not.toContain('<img');
  });

  it('shows a new key once, on a GET page after a 303, with Cache-Control: no-store; never again', async () => {
    const created = await client.submit('/keys/new', '/keys/new', { name: 'ci', scope: ['posts.read', 'comments.read'], expires: '' });
    expect(created.status).toBe(303);
    expect(created.location).toMatch(/^\/admin\/keys\/[A-Za-z0-9]{12}\/created$/);
    const head = await fetch(`${server.origin}${created.location}`, { method: 'HEAD', headers: { cookie: `gsp_admin=${client.cookies.get('gsp_admin')}` } });
    expect(head.status).toBe(200);
    const shown = await client.get(created.location?.replace('/admin', '') ?? '');
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const key = /id="new-key" value="([^"]+)"/.exec(shown.body)?.[1] ?? '';
    expect(key).toMatch(/^gsp_/);
    const again = await client.get(created.location?.replace('/admin', '') ?? '');
    expect(again.body).not.toContain(key);
    expect(again.body).toContain('cannot be shown again');
    expect((await client.get('/keys')).body).not.toContain(key);
    await expect(server.store.listApiKeys({ search: 'ci' })).resolves.toEqual([expect.objectContaining({ name: 'ci', scopes: ['comments.read', 'posts.read'] })]);
  });

  it('review: marks the showing with a cookie that the next admin page deletes, so the back/forward cache drops the one-time page', async () => {
    const created = await client.submit('/keys/new', '/keys/new', { name: 'ci', scope: 'posts.read' });
    const path = created.location?.replace('/admin', '') ?? '';
    const shown = await client.get(path);
    const marker = shown.headers.getSetCookie().find((cookie) => cookie.startsWith('gsp_admin_shown='));
    expect(marker).toMatch(/^gsp_admin_shown=[A-Za-z0-9_-]{22}; Path=\/admin; HttpOnly; SameSite=Strict$/);
    // The page's own script and stylesheet leave it alone: only a page change evicts.
    const script = /src="([^"]+\.js)"/.exec(shown.body)?.[1] ?? '';
    expect((await client.get(`${server.origin}${script}`)).headers.getSetCookie()).toEqual([]);
    expect(client.cookies.has('gsp_admin_shown')).toBe(true);
    const next = await client.get('/keys');
    expect(next.headers.getSetCookie()).toEqual(['gsp_admin_shown=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0']);
    expect(client.cookies.has('gsp_admin_shown')).toBe(false);
    // Nothing shown, nothing set: a replay of the one-time page sets no marker.
    expect((await client.get(path)).headers.getSetCookie()).toEqual([]);
  });

  it('never shows a key created in one session to another session', async () => {
    const created = await client.submit('/keys/new', '/keys/new', { name: 'ci', scope: 'posts.read' });
    const other = new AdminClient(server.adminUrl);
    await other.signIn(server.adminKey);
    const page = await other.get(created.location?.replace('/admin', '') ?? '');
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/id="new-key"/);
  });

  it.each<[string, Record<string, string | string[]>, string]>([
    ['no name', { name: '', scope: 'posts.read' }, 'name-error'],
    ['a blank name', { name: '   ', scope: 'posts.read' }, 'name-error'],
    ['a name of 201 characters', { name: 'x'.repeat(201), scope: 'posts.read' }, 'name-error'],
    ['a name with a zero-width character', { name: 'a\u200bb', scope: 'posts.read' }, 'name-error'],
    ['a name sent twice', { name: ['a', 'b'], scope: 'posts.read' }, 'name-error'],
    ['no scope (would be unrestricted)', { name: 'x' }, 'scopes-error'],
    ['a scope the schema does not have', { name: 'x', scope: 'reports.read' }, 'scopes-error'],
    ['a wildcard the page does not offer', { name: 'x', scope: '*.read' }, 'scopes-error'],
    ['a malformed scope', { name: 'x', scope: 'posts.read<script>' }, 'scopes-error'],
    ['an expiry in the past', { name: 'x', scope: 'posts.read', expires: '2001-01-01' }, 'expires-error'],
    ['an expiry that is no date', { name: 'x', scope: 'posts.read', expires: '2030-02-30' }, 'expires-error'],
    ['an expiry in another format', { name: 'x', scope: 'posts.read', expires: '01/01/2030' }, 'expires-error'],
  ])('re-renders the new-key form for %s with the error next to the field, saving nothing', async (_case, form, errorId) => {
    const before = await server.store.listApiKeys();
    const reply = await client.submit('/keys/new', '/keys/new', form);
    expect(reply.status).toBe(400);
    expect(reply.body).toContain(`id="${errorId}"`);
    expect(reply.body).toContain('<h1>New key</h1>');
    await expect(server.store.listApiKeys()).resolves.toEqual(before);
  });

  it.each<[string, string | undefined, number]>([
    ['a body larger than 64 KiB', undefined, 413],
    ['a JSON body', 'application/json', 415],
    ['a multipart body', 'multipart/form-data; boundary=x', 415],
  ])('refuses %s without saving anything', async (_case, contentType, status) => {
    const token = await client.token('/keys/new');
    const before = await server.store.listApiKeys();
    const body = contentType === undefined ? `_csrf=${token}&name=${'x'.repeat(70_000)}&scope=posts.read` : JSON.stringify({ _csrf: token, name: 'x', scope: 'posts.read' });
    const reply = await client.post('/keys/new', body, contentType === undefined ? {} : { 'content-type': contentType });
    expect(reply.status).toBe(status);
    await expect(server.store.listApiKeys()).resolves.toEqual(before);
  });

  it('edits a key: name, scopes and expiry, each write recorded with the admin as actor', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'svc', scopes: ['posts.read'] });
    const changes: ScopeChange[] = [];
    server.store.onChange((change) => changes.push(change));
    const reply = await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'svc 2', scope: ['posts.read', 'posts.write'], expires: '2099-01-02' });
    expect(reply.location).toBe(`/admin/keys/${apiKey.id}?notice=saved`);
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ name: 'svc 2', scopes: ['posts.read', 'posts.write'], expiresAt: new Date('2099-01-02T00:00:00Z') });
    const [admin] = await server.store.listApiKeys({ search: 'test admin' });
    expect(changes).toEqual([
      { type: 'apiKey', id: apiKey.id, action: 'updated', actor: `apiKey:${admin?.id}` },
      { type: 'apiKey', id: apiKey.id, action: 'scopes', actor: `apiKey:${admin?.id}` },
    ]);
    // Saving the form unchanged writes nothing.
    await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'svc 2', scope: ['posts.read', 'posts.write'], expires: '2099-01-02' });
    expect(changes).toHaveLength(2);
  });

  it('opens an expired key read-only, and refuses a forged edit of it (409)', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'old', scopes: ['posts.read'], expiresAt: new Date('2020-05-05T00:00:00Z') });
    const page = await client.get(`/keys/${apiKey.id}`);
    expect(page.body).not.toContain('name="name"');
    expect(page.body).toContain('Extend expiry');
    const reply = await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'old, renamed', scope: 'posts.read', expires: '2099-05-05' });
    expect(reply.status).toBe(409);
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ name: 'old', expiresAt: new Date('2020-05-05T00:00:00Z') });
  });

  it('refuses to untick every scope of a key (it would become unrestricted), and keeps a legacy key legacy', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'scoped', scopes: ['posts.read'] });
    const refused = await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'scoped' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('id="scopes-error"');
    const { apiKey: legacy } = await server.store.createApiKey({ name: 'legacy' });
    const page = await client.get(`/keys/${legacy.id}`);
    expect(page.body).toContain('unrestricted legacy key');
    expect((await client.submit(`/keys/${legacy.id}`, `/keys/${legacy.id}`, { name: 'legacy, renamed' })).status).toBe(303);
    await expect(server.store.getApiKey(legacy.id)).resolves.toMatchObject({ name: 'legacy, renamed', scopes: [] });
    expect((await client.get('/keys')).body).toContain('Unrestricted (legacy)');
  });

  it('keeps grants that are not in the schema, flagged, unless unticked; and refuses to add new ones', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'kept', scopes: ['reports.read', '*.read'] });
    const page = await client.get(`/keys/${apiKey.id}`);
    expect(page.body).toMatch(/value="reports\.read" checked[^>]*><label[^>]*>reports\.read<\/label><span class="flag">not in the schema<\/span>/);
    expect(page.body).toMatch(/value="\*\.read" checked[^>]*><label[^>]*>\*\.read<\/label><\/div>/);
    await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'kept', scope: ['reports.read', '*.read', 'posts.write'] });
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ scopes: ['*.read', 'posts.write', 'reports.read'] });
    const added = await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'kept', scope: ['reports.read', 'reports.write'] });
    expect(added.status).toBe(400);
    await client.submit(`/keys/${apiKey.id}`, `/keys/${apiKey.id}`, { name: 'kept', scope: ['posts.write'] });
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ scopes: ['posts.write'] });
  });

  it('revokes only through the confirmation form, and answers 404 for unknown keys', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'to revoke', scopes: ['posts.read'] });
    const confirm = await client.get(`/keys/${apiKey.id}/revoke`);
    expect(confirm.body).toContain('>Revoke key</button>');
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ revokedAt: null });
    const revoked = await client.submit(`/keys/${apiKey.id}/revoke`, `/keys/${apiKey.id}/revoke`, {});
    expect(revoked.location).toBe('/admin/keys?notice=revoked');
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ revokedAt: expect.any(Date) });
    for (const path of ['/keys/AAAAAAAAAAAA', '/keys/not-an-id', '/keys/%3Cscript%3E/revoke']) expect((await client.get(path)).status).toBe(404);
  });
});
