import type { Page } from 'playwright-core';
import type { AdminTestServer } from './support/admin-test-server';
import { describeInBrowser } from './support/browser';
import { useSignedInBrowser } from './support/signed-in-browser';

// A key's rate limit on the admin page, in Debian's chromium against a real
// server (the harness of admin.browser.test.ts): set on the new-key form,
// shown on the key's pages, refused with an error next to the field,
// changed and cleared on the edit form, and applied by the API at once.
// The steps build on each other.

async function graphqlCodes(url: string, credential: string): Promise<Array<string | undefined>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: JSON.stringify({ query: '{ posts { id } }' }) });
  const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
  return (body.errors ?? []).map((error) => error.extensions?.code);
}

describeInBrowser('a key’s rate limit on the admin page, in chromium', (executablePath) => {
  const signedIn = useSignedInBrowser(executablePath);
  let server: AdminTestServer;
  let page: Page;
  let keyId = '';

  beforeAll(() => {
    ({ server, page } = signedIn());
  });

  async function fillNewKey(name: string, rateLimit: string): Promise<void> {
    await page.goto(`${server.adminUrl}/keys/new`);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('posts.read', { exact: true }).check();
    await page.getByLabel('Rate limit', { exact: true }).fill(rateLimit);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create key', exact: true }).click()]);
  }

  it('refuses a bad rate with the error next to the field, keeps what was typed, and creates nothing', async () => {
    const before = await server.store.listApiKeys();
    await fillNewKey('too fast', '10/fortnight');
    await expect(page.getByRole('heading', { name: 'New key' }).count()).resolves.toBe(1);
    const field = page.getByLabel('Rate limit', { exact: true });
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const error = page.locator('#rate-limit-error');
    await expect(error.textContent()).resolves.toMatch(/second.*minute.*hour.*day/);
    await expect(field.inputValue()).resolves.toBe('10/fortnight');
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('too fast');
    await expect(page.getByLabel('posts.read', { exact: true }).isChecked()).resolves.toBe(true);
    await expect(server.store.listApiKeys()).resolves.toEqual(before);
  });

  it('creates a key with 100/minute, shown on the created page, in the list and on the key’s page, and stored', async () => {
    await fillNewKey('metered', '100/minute');
    await expect(page.getByRole('heading', { name: 'Key “metered” created' }).count()).resolves.toBe(1);
    await expect(page.locator('dl').getByText('100/minute', { exact: true }).count()).resolves.toBe(1);
    const [record] = await server.store.listApiKeys({ search: 'metered' });
    expect(record?.rateLimit).toBe('100/minute');
    keyId = record?.id ?? '';
    await page.goto(`${server.adminUrl}/keys`);
    await expect(page.getByRole('row', { name: /metered/ }).getByRole('cell', { name: '100/minute', exact: true }).count()).resolves.toBe(1);
    await page.goto(`${server.adminUrl}/keys/${keyId}`);
    await expect(page.getByLabel('Rate limit', { exact: true }).inputValue()).resolves.toBe('100/minute');
  });

  it('changes and clears it on the edit form; the history shows both changes', async () => {
    await page.goto(`${server.adminUrl}/keys/${keyId}`);
    await page.getByLabel('Rate limit', { exact: true }).fill('1.5/s');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    await expect(page.locator('#rate-limit-error').count()).resolves.toBe(1);
    await expect(server.store.getApiKey(keyId)).resolves.toMatchObject({ rateLimit: '100/minute' });
    await page.getByLabel('Rate limit', { exact: true }).fill('2/hour');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Saved.');
    await expect(server.store.getApiKey(keyId)).resolves.toMatchObject({ rateLimit: '2/hour' });
    await page.getByLabel('Rate limit', { exact: true }).fill('');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    await expect(server.store.getApiKey(keyId)).resolves.toMatchObject({ rateLimit: null });
    const history = page.locator('section[aria-labelledby="history"]');
    await expect(history.getByText('rate limit: 100/minute → 2/hour').count()).resolves.toBe(1);
    await expect(history.getByText('rate limit: 2/hour → —').count()).resolves.toBe(1);
  });

  it('a key created in the browser with 1/minute is RATE_LIMITED by the API on its second request', async () => {
    await fillNewKey('tiny', '1/minute');
    const key = await page.getByLabel('New API key', { exact: true }).inputValue();
    expect(key).toMatch(/^gsp_/);
    await expect(graphqlCodes(server.graphqlUrl, key)).resolves.toEqual([]);
    await expect(graphqlCodes(server.graphqlUrl, key)).resolves.toEqual(['RATE_LIMITED']);
  });
});
