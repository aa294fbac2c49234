import { useSignedInAdmin } from '../support/admin-client';
import { expressionSchema } from '../support/expression-schema';

// The scope catalogue on the key and group forms names the fields whose
// requirement is an expression (issue 19), from discovery's own data.

describe('expressions in the admin catalogue', () => {
  const admin = useSignedInAdmin({ mode: 'node', admin: { schema: expressionSchema() } });

  it.each(['/keys/new', '/groups/new'])('lists the fields that need more than one scope on %s, below the checkboxes', async (path) => {
    const page = await admin().client.get(path);
    expect(page.status).toBe(200);
    const scopes = page.body.slice(page.body.indexOf('<fieldset class="scopes"'));
    expect(scopes).toMatch(/<details class="expressions" open>\s*<summary>3 fields need more than one scope<\/summary>/);
    expect(scopes).toContain('<code class="coordinate">Query.report</code> needs <code>billing.read</code> and <code>customers.read</code>');
    expect(scopes).toContain('<code class="coordinate">Query.feed</code> needs <code>posts.moderate</code> or <code>posts.read</code>');
    expect(scopes).toContain('<code class="coordinate">Query.invoice</code> needs (<code>billing.audit</code> or <code>billing.read</code>) and <code>customers.read</code>');
    // Each scope an expression names is still offered as its own checkbox.
    for (const scope of ['billing.read', 'billing.audit', 'customers.read', 'posts.read', 'posts.moderate']) expect(page.body).toContain(`name="scope" value="${scope}"`);
  });

  it('lets a key be created with the scopes of an expression', async () => {
    const { server, client } = admin();
    const created = await client.submit('/keys/new', '/keys/new', { name: 'reports', scope: ['billing.read', 'customers.read'] });
    expect(created.status).toBe(303);
    await expect(server.store.listApiKeys({ search: 'reports' })).resolves.toEqual([expect.objectContaining({ scopes: ['billing.read', 'customers.read'] })]);
  });
});

describe('a catalogue without expressions', () => {
  const admin = useSignedInAdmin({ mode: 'node' });

  it('shows no expression list', async () => {
    expect((await admin().client.get('/keys/new')).body).not.toContain('class="expressions"');
  });
});
