import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { AdminTestServer } from './support/admin-test-server';
import { ARTIFACTS_DIR, DOCS_DIR, describeInBrowser, ensureDir } from './support/browser';
import { signInPage, useSignedInBrowser } from './support/signed-in-browser';

// Roll key, owners, read-only revoked keys, history, the Activity page and
// the 390 px layout, in Debian's chromium against a real server (the
// harness of admin.browser.test.ts). The steps build on each other.

async function graphqlStatus(url: string, credential: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: JSON.stringify({ query: '{ posts { id } }' }) });
  return response.status;
}

/** The width and height a PNG file declares (its IHDR chunk). */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describeInBrowser('admin key lifecycle, history and small screens in chromium', (executablePath) => {
  const signedIn = useSignedInBrowser(executablePath, { adminKeyName: 'demo admin' });
  let server: AdminTestServer;
  let browser: Browser;
  let page: Page;
  const signIn = (target: Page): Promise<void> => signInPage(target, server);

  beforeAll(() => {
    ({ server, browser, page } = signedIn());
  });

  it('creates an owner-bound key with an expiry preset; the form explains the owner bound; the list marks it', async () => {
    await page.goto(`${server.adminUrl}/keys/new`);
    await expect(page.getByText("can never exceed its owner's scopes").count()).resolves.toBe(1);
    await page.getByLabel('Name', { exact: true }).fill('billing sync');
    await page.getByLabel('posts.read', { exact: true }).check();
    await page.getByLabel('Owner', { exact: true }).fill('alice');
    await page.getByLabel('In 90 days', { exact: true }).check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create key', exact: true }).click()]);
    await expect(page.getByLabel('New API key').inputValue()).resolves.toMatch(/^gsp_/);
    const [key] = await server.store.listApiKeys({ search: 'billing sync' });
    expect(key?.ownerId).toBe('alice');
    expect(key?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    await page.goto(`${server.adminUrl}/keys`);
    await expect(page.getByRole('row', { name: /billing sync/ }).getByText('owner: alice').count()).resolves.toBe(1);
  });

  it('rolls a key behind a confirmation with a grace period, shows the new key once, and both keys work during the grace', async () => {
    const { apiKey, key: oldKey } = await server.store.createApiKey({ name: 'deploy bot', scopes: ['posts.read'] });
    await page.goto(`${server.adminUrl}/keys/${apiKey.id}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Roll key', exact: true }).click()]);
    await expect(page.getByRole('heading', { name: /Roll key “deploy bot”/ }).count()).resolves.toBe(1);
    await page.getByLabel('24 hours', { exact: true }).check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Roll key', exact: true }).click()]);
    await expect(page.getByRole('heading', { name: 'Key “deploy bot” created' }).count()).resolves.toBe(1);
    const newKey = await page.getByLabel('New API key').inputValue();
    expect(newKey).toMatch(/^gsp_/);
    expect(newKey).not.toBe(oldKey);
    expect(await graphqlStatus(server.graphqlUrl, newKey)).toBe(200);
    expect(await graphqlStatus(server.graphqlUrl, oldKey)).toBe(200);
    await page.reload();
    await expect(page.getByText('cannot be shown again').count()).resolves.toBe(1);
    expect(await page.content()).not.toContain(newKey.slice(17));
  });

  it('records edits in the key’s History, and the Activity page lists them, filterable by actor', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'reporting', scopes: ['posts.read'] }, { actor: 'cli:ops' });
    await page.goto(`${server.adminUrl}/keys/${apiKey.id}`);
    await page.getByLabel('Name', { exact: true }).fill('reporting job');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    const history = page.locator('section[aria-labelledby="history"]');
    await expect(history.getByRole('row', { name: /updated/ }).getByText('reporting → reporting job').count()).resolves.toBe(1);
    await expect(history.getByRole('row', { name: /created/ }).getByText('cli:ops').count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByLabel('Actor', { exact: true }).fill('cli:ops');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Filter', exact: true }).click()]);
    const rows = page.locator('table.audit tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().getByText('cli:ops').count()).resolves.toBe(1);
  });

  it('opens a revoked key read-only with its history, and refuses a forged POST that edits it (409)', async () => {
    const { apiKey } = await server.store.createApiKey({ name: 'retired', scopes: ['posts.read'] });
    await page.goto(`${server.adminUrl}/keys/${apiKey.id}/revoke`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Revoke key', exact: true }).click()]);
    await page.goto(`${server.adminUrl}/keys/${apiKey.id}`);
    await expect(page.getByText('a revoked key cannot be edited or brought back').count()).resolves.toBe(1);
    await expect(page.getByRole('textbox').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /Roll key|Revoke|Save|Extend expiry/ }).count()).resolves.toBe(0);
    await expect(page.locator('section[aria-labelledby="history"]').getByRole('row', { name: /revoked/ }).count()).resolves.toBe(1);
    // A forged form, with the session's own CSRF token, posted from the page itself.
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.evaluate(`(() => {
        const token = document.querySelector('input[name="_csrf"]').value;
        const form = document.createElement('form');
        form.method = 'post';
        form.action = ${JSON.stringify(`${server.adminUrl}/keys/${apiKey.id}`)};
        for (const [name, value] of [['_csrf', token], ['name', 'back to life'], ['scope', 'posts.read'], ['expiresIn', 'never']]) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      })()`),
    ]);
    expect(response?.status()).toBe(409);
    await expect(server.store.getApiKey(apiKey.id)).resolves.toMatchObject({ name: 'retired', revokedAt: expect.any(Date) });
  });

  it.each([
    ['/keys', true],
    ['/keys/new', false],
    ['/activity', true],
    ['/groups', true],
  ])('lays %s out at 390 px: no horizontal scroll, tables as stacked rows', async (path, hasTable) => {
    await server.store.saveGroup({ name: 'editors with a rather long name', scopes: ['posts.read', 'posts.write', 'comments.read'] });
    const small = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await small.newPage();
    await signIn(phone);
    await phone.goto(`${server.adminUrl}${path}`);
    const layout = (await phone.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      rowDisplay: [...document.querySelectorAll('table.stack tbody tr')].map((row) => getComputedStyle(row).display),
    })`)) as { scrollWidth: number; innerWidth: number; rowDisplay: string[] };
    expect(layout.innerWidth).toBe(390);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.rowDisplay.length > 0).toBe(hasTable);
    expect(layout.rowDisplay.every((display) => display === 'block')).toBe(true);
    await small.close();
  });

  it('keeps a key’s page within 390 px, with its history', async () => {
    const [key] = await server.store.listApiKeys({ search: 'reporting job' });
    const small = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await small.newPage();
    await signIn(phone);
    await phone.goto(`${server.adminUrl}/keys/${key?.id ?? ''}`);
    await expect(phone.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).resolves.toBe(true);
    await expect(phone.locator('section[aria-labelledby="history"] table.stack tbody tr').count()).resolves.toBeGreaterThan(0);
    await small.close();
  });

  it.each([
    [390, 'admin-keys-390.png'],
    [1280, 'admin-activity-1280.png'],
  ])('takes a full-page screenshot at %i px whose width is the viewport’s (nothing overflows)', async (width, docsName) => {
    const shot = await browser.newContext({ viewport: { width, height: 800 } });
    const target = await shot.newPage();
    await signIn(target);
    await target.goto(`${server.adminUrl}${width === 390 ? '/keys' : '/activity'}`);
    const path = join(ensureDir(ARTIFACTS_DIR), `lifecycle-${width}.png`);
    await target.screenshot({ path, fullPage: true });
    const size = pngSize(path);
    // A full-page screenshot is as wide as the page: wider would mean a horizontal scroll.
    expect(size.width).toBe(width);
    // The stacked list is taller than the viewport at 390 px: the rows are really stacked.
    if (width === 390) expect(size.height).toBeGreaterThan(800);
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path, join(ensureDir(DOCS_DIR), docsName));
    await shot.close();
  });
});
