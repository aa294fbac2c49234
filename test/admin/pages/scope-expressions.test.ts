import { expressionHtml, scopeExpressions } from '../../../src/admin/pages/scope-expressions';
import { discoverScopes } from '../../../src/scopes/discover-scopes';
import type { ScopeCatalog } from '../../../src/scopes/scope-catalog';
import { expressionSchema } from '../support/expression-schema';

describe('the scope expressions below the checkboxes', () => {
  it.each<[string, string[][], string]>([
    ['one scope', [['posts.read']], '<code>posts.read</code>'],
    ['an AND', [['billing.read'], ['customers.read']], '<code>billing.read</code> and <code>customers.read</code>'],
    ['an OR', [['posts.moderate', 'posts.read']], '<code>posts.moderate</code> or <code>posts.read</code>'],
    ['an OR and a scope', [['a.read', 'b.read'], ['c.read']], '(<code>a.read</code> or <code>b.read</code>) and <code>c.read</code>'],
    ['two ORs', [['a.read', 'b.read'], ['c.read', 'd.read']], '(<code>a.read</code> or <code>b.read</code>) and (<code>c.read</code> or <code>d.read</code>)'],
  ])('reads %s', (_case, allOf, expected) => {
    expect(expressionHtml(allOf).toString()).toBe(expected);
  });

  it('lists the schema’s expression fields, open, and nothing for a schema without any', () => {
    const markup = scopeExpressions(discoverScopes(expressionSchema())).toString();
    expect(markup).toContain('<details class="expressions" open>');
    expect(markup).toContain('<summary>3 fields need more than one scope</summary>');
    expect(markup).toContain('<li><code class="coordinate">Query.report</code> needs <code>billing.read</code> and <code>customers.read</code></li>');
    expect(markup).toContain('<li><code class="coordinate">Query.feed</code> needs <code>posts.moderate</code> or <code>posts.read</code></li>');
    expect(markup).toContain('<li><code class="coordinate">Query.invoice</code> needs (<code>billing.audit</code> or <code>billing.read</code>) and <code>customers.read</code></li>');
    expect(markup).not.toContain('Query.posts');
    expect(scopeExpressions({ resources: [] }).toString()).toBe('');
  });

  it('escapes coordinates and scopes of a hand-written catalogue', () => {
    const catalog: ScopeCatalog = {
      resources: [
        {
          resource: 'x',
          scopes: [{ scope: 'x.read', action: 'read', coordinates: ['<img src=x onerror=alert(1)>'], used: true, fields: [{ coordinate: '<img src=x onerror=alert(1)>', action: 'read', actionSource: 'explicit', allOf: [['"><script>alert(1)</script>', 'x.read']] }] }],
        },
      ],
    };
    const markup = scopeExpressions(catalog).toString();
    expect(markup).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(markup).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).not.toMatch(/<img|<script/);
  });

  it('starts folded when more than 12 fields need an expression', () => {
    const fields = Array.from({ length: 13 }, (_, n) => ({ coordinate: `Query.f${String(n).padStart(2, '0')}`, action: 'read', actionSource: 'explicit' as const, allOf: [['a.read', 'x.read']] }));
    const catalog: ScopeCatalog = { resources: [{ resource: 'x', scopes: [{ scope: 'x.read', action: 'read', coordinates: fields.map((field) => field.coordinate), used: true, fields }] }] };
    const markup = scopeExpressions(catalog).toString();
    expect(markup).toContain('<details class="expressions">');
    expect(markup).toContain('<summary>13 fields need more than one scope</summary>');
  });
});
