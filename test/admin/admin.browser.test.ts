import { copyFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { ARTIFACTS_DIR, DOCS_DIR, describeInBrowser, ensureDir, launchBrowser } from './support/browser';
import { type AdminTestServer, startAdminTestServer } from './support/admin-test-server';

// The admin page in a real browser (Debian's chromium, driven by
// playwright-core), against a real server: the example blog's API at `/`
// and the admin page at `/admin`, on one port, sharing one store and one
// API key verifier. The steps build on each other, in order.

interface GraphQLReply {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: ReadonlyArray<{ readonly extensions?: { readonly code?: string; readonly requiredScope?: string } }>;
}

async function graphql(url: string, query: string, credential: string): Promise<GraphQLReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLReply, 'status'>) };
}

function codes(reply: GraphQLReply): Array<string | undefined> {
  return (reply.errors ?? []).map((error) => error.extensions?.code);
}

describeInBrowser('admin page in chromium', (executablePath) => {
  let server: AdminTestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every HTML body the main context received, in order, with its URL. */
  const htmlResponses: Array<{ url: string; body: string }> = [];
  const dialogs: string[] = [];
  /** The key created in the page, read from the "New API key" field. */
  let createdKey = '';
  const artifacts = ensureDir(ARTIFACTS_DIR);

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }

  async function signIn(target: Page, credential: string): Promise<Response | null> {
    await target.goto(`${server.adminUrl}/sign-in`);
    await target.getByLabel('API key', { exact: true }).fill(credential);
    const [response] = await Promise.all([target.waitForNavigation(), target.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    return response;
  }

  async function newContext(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const created = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const opened = await created.newPage();
    opened.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return { context: created, page: opened };
  }

  beforeAll(async () => {
    server = await startAdminTestServer();
    browser = await launchBrowser(executablePath);
    ({ context, page } = await newContext());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    context.on('response', (response) => {
      if ((response.headers()['content-type'] ?? '').startsWith('text/html')) {
        void response
          .text()
          .then((body) => htmlResponses.push({ url: response.url(), body }))
          .catch(() => undefined);
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    await page.goto(`${server.adminUrl}/keys`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await expect(page.getByRole('heading', { name: 'Sign in' }).count()).resolves.toBe(1);
    await screenshot('sign-in');
  });

  it('signs in with the admin key', async () => {
    const response = await signIn(page, server.adminKey);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/admin/keys');
    await expect(page.getByRole('heading', { name: 'API keys' }).count()).resolves.toBe(1);
    const cookies = await context.cookies(server.adminUrl);
    const session = cookies.find((cookie) => cookie.name === 'gsp_admin');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    // The cookie holds a random id, never the key.
    expect(session?.value).not.toContain(server.adminKey.slice(4, 16));
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a key without the admin scope with a 403 page, and starts no session', async () => {
    const { key } = await server.store.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    const other = await newContext();
    const response = await signIn(other.page, key);
    expect(response?.status()).toBe(403);
    await expect(other.page.getByText('does not hold the scope scopes.admin').count()).resolves.toBe(1);
    expect((await other.context.cookies(server.adminUrl)).map((cookie) => cookie.name)).not.toContain('gsp_admin');
    await other.context.close();
  });

  it('refuses a revoked key', async () => {
    const { apiKey, key } = await server.store.createApiKey({ name: 'old admin', scopes: ['*'] });
    await server.store.revokeApiKey(apiKey.id);
    const other = await newContext();
    const response = await signIn(other.page, key);
    expect(response?.status()).toBe(401);
    await expect(other.page.getByText('not valid').count()).resolves.toBe(1);
    expect((await other.context.cookies(server.adminUrl)).map((cookie) => cookie.name)).not.toContain('gsp_admin');
    await other.context.close();
  });

  it('creates a key by ticking posts.read and comments.read, shown once in "New API key" with Cache-Control: no-store', async () => {
    await page.goto(`${server.adminUrl}/keys`);
    await page.getByRole('link', { name: 'New key', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('blog reader');
    await page.getByLabel('posts.read', { exact: true }).check();
    await page.getByLabel('comments.read', { exact: true }).check();
    await screenshot('new-key-form');
    const shownResponse = page.waitForResponse((response) => response.url().endsWith('/created'));
    await page.getByRole('button', { name: 'Create key', exact: true }).click();
    const shown = await shownResponse;
    expect(shown.status()).toBe(200);
    expect(shown.headers()['cache-control']).toBe('no-store');
    expect(shown.request().method()).toBe('GET');
    const field = page.getByLabel('New API key', { exact: true });
    createdKey = await field.inputValue();
    expect(createdKey).toMatch(/^gsp_[A-Za-z0-9]{12}_/);
    await expect(field.getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByText("won't be shown again").count()).resolves.toBe(1);
    // The copy button is the script's progressive enhancement.
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(createdKey);
    await screenshot('new-key-shown');
  });

  it('the created key reads posts but is FORBIDDEN to createPost', async () => {
    const posts = await graphql(server.graphqlUrl, '{ posts { id } }', createdKey);
    expect(posts.status).toBe(200);
    expect(posts.errors).toBeUndefined();
    expect(Array.isArray(posts.data?.posts)).toBe(true);
    const create = await graphql(server.graphqlUrl, 'mutation { createPost(title: "x") { id } }', createdKey);
    expect(codes(create)).toEqual(['FORBIDDEN']);
    expect(create.errors?.[0]?.extensions?.requiredScope).toBe('posts.write');
  });

  it('never shows the key again: not on reload, not going back, not on any later page', async () => {
    const shownUrl = page.url();
    await page.reload();
    await expect(page.getByLabel('New API key', { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText('cannot be shown again').count()).resolves.toBe(1);
    await page.goto(`${server.adminUrl}/keys`);
    await page.goBack();
    expect(page.url()).toBe(shownUrl);
    expect(await page.content()).not.toContain(createdKey);
    await page.goForward();
    const id = createdKey.slice(4, 16);
    for (const path of ['/keys', `/keys/${id}`, `/keys/${id}/created`, `/keys/${id}/revoke`, '/groups']) {
      await page.goto(`${server.adminUrl}${path}`);
      expect(await page.content()).not.toContain(createdKey);
    }
    // Of every HTML response so far, exactly one carried the key: the one-time page.
    await page.waitForTimeout(100);
    const carrying = htmlResponses.filter(({ body }) => body.includes(createdKey.slice(17)));
    expect(carrying.map(({ url }) => new URL(url).pathname)).toEqual([`/admin/keys/${id}/created`]);
  });

  it('edits the key to add posts.write, after which createPost works', async () => {
    await page.goto(`${server.adminUrl}/keys`);
    await page.getByRole('row', { name: /blog reader/ }).getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(page.getByLabel('posts.read', { exact: true }).isChecked()).resolves.toBe(true);
    await page.getByLabel('posts.write', { exact: true }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved.').count()).resolves.toBe(1);
    const create = await graphql(server.graphqlUrl, 'mutation { createPost(title: "From the admin page") { title } }', createdKey);
    expect(create.status).toBe(200);
    expect(create.data).toEqual({ createPost: { title: 'From the admin page' } });
  });

  it('revokes the key behind a confirmation, after which the API answers 401', async () => {
    await page.goto(`${server.adminUrl}/keys`);
    await page.getByRole('row', { name: /blog reader/ }).getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    expect(new URL(page.url()).pathname).toMatch(/\/revoke$/);
    // Nothing happened yet: the confirmation step.
    expect((await graphql(server.graphqlUrl, '{ posts { id } }', createdKey)).status).toBe(200);
    await page.getByRole('button', { name: 'Revoke key', exact: true }).click();
    await expect(page.getByText('The key was revoked.').count()).resolves.toBe(1);
    await expect(page.getByRole('row', { name: /blog reader/ }).getByText('revoked', { exact: true }).count()).resolves.toBe(1);
    const after = await graphql(server.graphqlUrl, '{ posts { id } }', createdKey);
    expect(after.status).toBe(401);
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
  });

  it('creates a group with checkboxes and a member, whose scopes appear in `me` through a JWT', async () => {
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('link', { name: 'New group', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Reviewers');
    await page.getByLabel('comments.*', { exact: true }).check();
    await page.getByLabel('analytics.export', { exact: true }).check();
    await page.getByRole('button', { name: 'Create group', exact: true }).click();
    await page.getByLabel('User id', { exact: true }).fill('bob');
    await page.getByRole('button', { name: 'Add member', exact: true }).click();
    await expect(page.getByText('The member was added.').count()).resolves.toBe(1);
    await screenshot('group');

    const token = await server.signJwt('bob');
    const me = await graphql(server.graphqlUrl, '{ me { kind id scopes } }', token);
    expect(me.data).toEqual({ me: { kind: 'jwt', id: 'bob', scopes: ['analytics.export', 'comments.*'] } });
    const exported = await graphql(server.graphqlUrl, '{ analyticsExport }', token);
    expect(exported.status).toBe(200);

    await page.getByRole('listitem').filter({ hasText: 'bob' }).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(page.getByText('The member was removed.').count()).resolves.toBe(1);
    expect((await graphql(server.graphqlUrl, '{ me { scopes } }', token)).data).toEqual({ me: { scopes: [] } });

    await page.getByRole('button', { name: 'Delete group', exact: true }).click();
    await page.getByRole('button', { name: 'Delete group', exact: true }).click();
    await expect(page.getByText('The group was deleted.').count()).resolves.toBe(1);
    await expect(server.store.getGroup('Reviewers')).resolves.toBeNull();
  });

  it('renders an XSS name as text, and no dialog opens', async () => {
    const name = '<img src=x onerror=alert(1)>';
    await page.goto(`${server.adminUrl}/keys/new`);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('posts.read', { exact: true }).check();
    await page.getByRole('button', { name: 'Create key', exact: true }).click();
    await expect(page.getByRole('heading', { name: `Key “${name}” created` }).count()).resolves.toBe(1);
    await page.goto(`${server.adminUrl}/keys?search=${encodeURIComponent('<img')}`);
    await expect(page.getByRole('cell', { name, exact: true }).count()).resolves.toBe(1);
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await expect(page.getByLabel('Search', { exact: true }).inputValue()).resolves.toBe('<img');
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
  });

  it('refuses a POST without a CSRF token with 403, and changes nothing', async () => {
    const before = await server.store.listApiKeys();
    await page.goto(`${server.adminUrl}/keys/new`);
    await page.getByLabel('Name', { exact: true }).fill('forged');
    await page.getByLabel('* (all scopes)', { exact: true }).check();
    // A same-origin form post with the session cookie, but without the token.
    await page.locator('main input[name="_csrf"]').evaluate((input) => input.remove());
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create key', exact: true }).click()]);
    expect(response?.status()).toBe(403);
    expect(await response?.request().allHeaders()).toMatchObject({ 'sec-fetch-site': 'same-origin' });
    await expect(page.getByRole('heading', { name: 'Refused' }).count()).resolves.toBe(1);
    await expect(server.store.listApiKeys()).resolves.toEqual(before);
  });

  it('refuses a form posted from another origin on the same site, even with a valid token (Sec-Fetch-Site)', async () => {
    await page.goto(`${server.adminUrl}/keys/new`);
    const token = await page.locator('main input[name="_csrf"]').inputValue();
    const before = await server.store.listApiKeys();
    // Another port of 127.0.0.1: same site (the SameSite=Strict cookie is sent), other origin.
    const attacker: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<form method="post" action="${server.adminUrl}/keys/new"><input name="_csrf" value="${token}"><input name="name" value="forged"><input name="scope" value="*"><button>Go</button></form>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Go' }).click()]);
      expect(await response?.request().allHeaders()).toMatchObject({ 'sec-fetch-site': 'same-site' });
      expect(response?.status()).toBe(403);
      await expect(server.store.listApiKeys()).resolves.toEqual(before);
    } finally {
      attacker.closeAllConnections();
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
  });

  it('accepts same-origin form posts although Chromium sends Origin: null under no-referrer', async () => {
    await page.goto(`${server.adminUrl}/groups/new`);
    await page.getByLabel('Name', { exact: true }).fill('Origin check');
    const posted = page.waitForRequest((request) => request.method() === 'POST');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create group', exact: true }).click()]);
    const request = await posted;
    // The trap the rule avoids: trusting Origin alone would refuse this post.
    expect(await request.allHeaders()).toMatchObject({ 'sec-fetch-site': 'same-origin', origin: 'null' });
    expect((await request.response())?.status()).toBe(303);
    await expect(server.store.getGroup('Origin check')).resolves.not.toBeNull();
  });

  it('re-renders bad input with the error next to each field, saves nothing and never answers 500', async () => {
    const before = await server.store.listApiKeys();
    await page.goto(`${server.adminUrl}/keys/new`);
    await page.getByLabel('Name', { exact: true }).fill('   ');
    await page.getByLabel('Expires', { exact: true }).fill('2001-01-01');
    const answered = page.waitForResponse((response) => response.request().method() === 'POST');
    // `required` is a browser check; skip it to reach the server's.
    await page.locator('form[action$="/keys/new"]').evaluate((form) => form.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Create key', exact: true }).click();
    expect((await answered).status()).toBe(400);
    await expect(page.locator('#name-error').textContent()).resolves.toContain('blank');
    await expect(page.locator('#scopes-error').textContent()).resolves.toContain('Pick at least one scope');
    await expect(page.locator('#expires-error').textContent()).resolves.toContain('after today');
    await expect(page.getByLabel('Name', { exact: true }).getAttribute('aria-describedby')).resolves.toBe('name-error');
    await expect(server.store.listApiKeys()).resolves.toEqual(before);
  });

  it('shows and keeps scopes that are not in the schema, flagged as such', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'legacy scopes', scopes: ['posts.read', 'reports.read'] });
    await page.goto(`${server.adminUrl}/keys/${apiKey.id}`);
    const kept = page.getByLabel('reports.read', { exact: true });
    await expect(kept.isChecked()).resolves.toBe(true);
    await expect(page.locator('.choice', { has: kept }).getByText('not in the schema').count()).resolves.toBe(1);
    await page.getByLabel('Name', { exact: true }).fill('legacy scopes, renamed');
    await page.getByLabel('posts.write', { exact: true }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved.').count()).resolves.toBe(1);
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ name: 'legacy scopes, renamed', scopes: ['posts.read', 'posts.write', 'reports.read'] });
  });

  it('signs out a session at once when its key is revoked elsewhere', async () => {
    const { apiKey, key } = await server.store.createApiKey({ name: 'second admin', scopes: ['scopes.admin'] });
    const other = await newContext();
    await signIn(other.page, key);
    expect(new URL(other.page.url()).pathname).toBe('/admin/keys');
    await server.store.revokeApiKey(apiKey.id);
    await other.page.goto(`${server.adminUrl}/groups`);
    expect(new URL(other.page.url()).pathname).toBe('/admin/sign-in');
    await expect(other.page.getByText('no longer valid').count()).resolves.toBe(1);
    await other.context.close();
  });

  it('works with JavaScript turned off: sign in, create a key, see it once', async () => {
    const other = await newContext({ javaScriptEnabled: false });
    await signIn(other.page, server.adminKey);
    await other.page.getByRole('link', { name: 'New key', exact: true }).click();
    await other.page.getByLabel('Name', { exact: true }).fill('no-js key');
    await other.page.getByLabel('posts.*', { exact: true }).check();
    await other.page.getByRole('button', { name: 'Create key', exact: true }).click();
    const key = await other.page.getByLabel('New API key', { exact: true }).inputValue();
    expect((await graphql(server.graphqlUrl, 'mutation { publishPost(id: "1") { id } }', key)).status).toBe(200);
    // Without the script the copy button stays hidden, and the page still works.
    await expect(other.page.getByRole('button', { name: 'Copy' }).count()).resolves.toBe(0);
    await other.context.close();
  });

  it('ticking posts.* ticks and locks the posts checkboxes (with JavaScript)', async () => {
    await page.goto(`${server.adminUrl}/keys/new`);
    await page.getByLabel('posts.*', { exact: true }).check();
    await expect(page.getByLabel('posts.publish', { exact: true }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('posts.publish', { exact: true }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('posts.*', { exact: true }).uncheck();
    await expect(page.getByLabel('posts.publish', { exact: true }).isChecked()).resolves.toBe(false);
    await expect(page.getByLabel('posts.publish', { exact: true }).isDisabled()).resolves.toBe(false);
  });

  it('lists keys with their scopes summarised per resource (screenshot)', async () => {
    await server.store.createApiKey({ name: 'demo editor', scopes: ['comments.read', 'comments.write', 'posts.read', 'posts.write'] });
    await server.store.createApiKey({ name: 'ci deploys', scopes: ['posts.publish'], expiresAt: new Date(Date.now() + 30 * 86_400_000) });
    await page.goto(`${server.adminUrl}/keys`);
    await expect(page.getByRole('row', { name: /demo editor/ }).getByText('comments (read, write), posts (read, write)').count()).resolves.toBe(1);
    await expect(page.getByRole('row', { name: /test admin/ }).getByText('* (all scopes)').count()).resolves.toBe(1);
    await screenshot('keys-list');
    expect(dialogs).toEqual([]);
  });
});

describeInBrowser('review: the one-time key page and the back/forward cache, on as in a user\'s Chrome', (executablePath) => {
  let server: AdminTestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startAdminTestServer();
    browser = await launchBrowser(executablePath, { backForwardCache: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedInPage(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page; fetched: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'document') fetched.push(new URL(request.url()).pathname);
    });
    await page.goto(`${server.adminUrl}/sign-in`);
    await page.getByLabel('API key', { exact: true }).fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/admin\/keys$/);
    return { context, page, fetched };
  }

  it('restores admin pages from the cache when nothing changed (the cache is on: the test below means something)', async () => {
    const { context, page, fetched } = await signedInPage(false);
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.waitForURL(/\/admin\/groups$/);
    const before = fetched.filter((path) => path === '/admin/keys').length;
    await page.goBack({ waitUntil: 'commit' });
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(fetched.filter((path) => path === '/admin/keys').length).toBe(before);
    await context.close();
  });

  it.each([
    ['JavaScript off', false],
    ['JavaScript on', true],
  ])('never shows the new key again on going back (%s)', async (_case, javaScriptEnabled) => {
    const { context, page } = await signedInPage(javaScriptEnabled);
    await page.goto(`${server.adminUrl}/keys/new`);
    await page.getByLabel('Name', { exact: true }).fill(`back-cache ${String(javaScriptEnabled)}`);
    await page.getByLabel('posts.read', { exact: true }).check();
    await page.getByRole('button', { name: 'Create key', exact: true }).click();
    await page.waitForURL(/\/created$/);
    const key = await page.getByLabel('New API key', { exact: true }).inputValue();
    expect(key).toMatch(/^gsp_/);
    await page.getByRole('link', { name: 'Back to the keys', exact: true }).click();
    await page.waitForURL(/\/admin\/keys$/);
    await page.goBack({ waitUntil: 'commit' });
    await page.getByRole('heading', { name: /created/ }).waitFor();
    expect(await page.content()).not.toContain(key.slice(17));
    const values = await Promise.all((await page.locator('input').all()).map((input) => input.inputValue()));
    expect(values.filter((value) => value.includes(key.slice(17)))).toEqual([]);
    await context.close();
  });
});

describeInBrowser('admin page screenshots for the README', (executablePath) => {
  // A tidy data set like the example server's, so the pictures show what a
  // newcomer sees. Saved as test artifacts; copied to docs/ with UPDATE_SCREENSHOTS=1.
  let server: AdminTestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAdminTestServer({ adminKeyName: 'demo admin' });
    browser = await launchBrowser(executablePath);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function save(page: Page, name: string, docsName: string): Promise<void> {
    const path = join(ensureDir(ARTIFACTS_DIR), `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path, join(ensureDir(DOCS_DIR), docsName));
  }

  it('shows the keys list and the new-key form', async () => {
    const { store } = server;
    const { key: readKey } = await store.createApiKey({ name: 'demo read-only', scopes: ['posts.read', 'comments.read'] });
    await store.createApiKey({ name: 'demo editor', scopes: ['posts.read', 'posts.write', 'comments.read', 'comments.write'] });
    await store.createApiKey({ name: 'ci publisher', scopes: ['posts.publish', 'posts.read'], expiresAt: new Date(Date.now() + 90 * 86_400_000), rateLimit: '1000/hour' });
    const { apiKey: old } = await store.createApiKey({ name: 'old integration', scopes: ['analytics.export'] });
    await store.revokeApiKey(old.id);
    await store.createApiKey({ name: 'legacy import' });
    expect((await graphql(server.graphqlUrl, '{ posts { id } }', readKey)).status).toBe(200);
    await server.verifier.settled();

    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${server.adminUrl}/sign-in`);
    await page.getByLabel('API key', { exact: true }).fill(server.adminKey);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await expect(page.getByRole('row', { name: /demo read-only/ }).getByText('comments (read), posts (read)').count()).resolves.toBe(1);
    await expect(page.getByRole('row', { name: /legacy import/ }).getByText('Unrestricted (legacy)').count()).resolves.toBe(1);
    await expect(page.getByRole('row', { name: /demo read-only/ }).getByText(/UTC$/).count()).resolves.toBe(2);
    await save(page, 'readme-keys', 'admin-keys.png');

    await page.getByRole('link', { name: 'New key', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('reporting job');
    await page.getByLabel('posts.read', { exact: true }).check();
    await page.getByLabel('analytics.export', { exact: true }).check();
    await page.getByLabel('Expires', { exact: true }).fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await page.getByLabel('Rate limit', { exact: true }).fill('1000/hour');
    await save(page, 'readme-new-key', 'admin-new-key.png');
    await context.close();
  });
});
