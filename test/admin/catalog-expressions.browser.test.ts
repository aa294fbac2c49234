import { join } from 'node:path';
import { ARTIFACTS_DIR, describeInBrowser, ensureDir } from './support/browser';
import { expressionSchema } from './support/expression-schema';
import { useSignedInBrowser } from './support/signed-in-browser';

// The admin catalogue's expressions (issue 19) as a user sees them, in
// Debian's chromium against a real server whose admin page reads a schema
// with AND, OR and mixed requirements.

describeInBrowser('expressions in the admin catalogue, in chromium', (executablePath) => {
  const signedIn = useSignedInBrowser(executablePath, { mode: 'node', admin: { schema: expressionSchema() } });

  it.each(['/keys/new', '/groups/new'])('shows on %s which fields need several scopes, readable as text', async (path) => {
    const { server, page } = signedIn();
    await page.goto(`${server.adminUrl}${path}`);
    const list = page.locator('details.expressions');
    await expect(list.locator('summary').textContent()).resolves.toBe('3 fields need more than one scope');
    await expect(list.isVisible()).resolves.toBe(true);
    const items = (await list.locator('li').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(items).toEqual([
      'Query.feed needs posts.moderate or posts.read',
      'Query.invoice needs (billing.audit or billing.read) and customers.read',
      'Query.report needs billing.read and customers.read',
    ]);
    await page.screenshot({ path: join(ensureDir(ARTIFACTS_DIR), `catalog-expressions${path.replace(/\//g, '-')}.png`), fullPage: true });
    // It folds like any <details>, without a script.
    await list.locator('summary').click();
    await expect(list.locator('li').first().isVisible()).resolves.toBe(false);
  });
});
