import type { Browser, Page } from 'playwright-core';
import { type AdminTestServer, type AdminTestServerOptions, startAdminTestServer } from './admin-test-server';
import { launchBrowser } from './browser';

/** What {@link useSignedInBrowser} starts: a test server, chromium, and a 1280 × 900 page signed in with the `*` key. */
export interface SignedInBrowser {
  readonly server: AdminTestServer;
  readonly browser: Browser;
  readonly page: Page;
}

/** Signs `page` in to the server's admin page with its `*` key, through the sign-in form. */
export async function signInPage(page: Page, server: AdminTestServer): Promise<void> {
  await page.goto(`${server.adminUrl}/sign-in`);
  await page.getByLabel('API key', { exact: true }).fill(server.adminKey);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
}

/**
 * Registers `beforeAll`/`afterAll` hooks for a browser suite whose steps
 * build on each other: an admin test server, chromium and one signed-in
 * page. Every dialog the page opens is dismissed and fails the suite at
 * the end (an escaping bug shows up as an `alert`).
 */
export function useSignedInBrowser(executablePath: string, options: AdminTestServerOptions = {}): () => SignedInBrowser {
  let current: SignedInBrowser | undefined;
  const dialogs: string[] = [];
  beforeAll(async () => {
    const server = await startAdminTestServer(options);
    const browser = await launchBrowser(executablePath);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    current = { server, browser, page };
    await signInPage(page, server);
  });
  afterAll(async () => {
    expect(dialogs).toEqual([]);
    await current?.browser.close();
    await current?.server.close();
  });
  return () => {
    if (current === undefined) throw new Error('The signed-in browser exists only inside a test.');
    return current;
  };
}
