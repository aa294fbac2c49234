import { expressionFields } from '../../../src/admin/scopes/expression-fields';
import { discoverScopes } from '../../../src/scopes/discover-scopes';
import type { ScopeCatalog } from '../../../src/scopes/scope-catalog';
import { expressionSchema } from '../support/expression-schema';

describe('expressionFields', () => {
  it('lists each field whose requirement is an expression once, sorted, with the clauses discovery computed', () => {
    expect(expressionFields(discoverScopes(expressionSchema()))).toEqual([
      { coordinate: 'Query.feed', allOf: [['posts.moderate', 'posts.read']] },
      { coordinate: 'Query.invoice', allOf: [['billing.audit', 'billing.read'], ['customers.read']] },
      { coordinate: 'Query.report', allOf: [['billing.read'], ['customers.read']] },
    ]);
  });

  it('has none for single-scope fields, or a hand-written catalogue without fields', () => {
    const catalog: ScopeCatalog = { resources: [{ resource: 'posts', scopes: [{ scope: 'posts.read', action: 'read', coordinates: ['Query.posts'], used: true }] }] };
    expect(expressionFields(catalog)).toEqual([]);
    expect(expressionFields({ resources: [] })).toEqual([]);
  });
});
