import { assertKnownScopes, catalogScopeSet } from '../../src/scopes/assert-known-scopes';
import type { CatalogResource, ScopeCatalog } from '../../src/scopes/scope-catalog';

function resource(name: string, actions: readonly string[]): CatalogResource {
  return {
    resource: name,
    scopes: actions.map((action) => ({ scope: `${name}.${action}`, action, coordinates: [], used: true })),
  };
}

const catalog: ScopeCatalog = {
  resources: [resource('comments', ['read', 'write', 'delete']), resource('posts', ['read', 'write', 'delete', 'publish'])],
};

describe('catalogScopeSet', () => {
  it('lists every resource.action scope', () => {
    expect([...catalogScopeSet(catalog)].sort()).toEqual([
      'comments.delete',
      'comments.read',
      'comments.write',
      'posts.delete',
      'posts.publish',
      'posts.read',
      'posts.write',
    ]);
  });

  it('is empty for an empty catalogue', () => {
    expect(catalogScopeSet({ resources: [] }).size).toBe(0);
  });
});

describe('assertKnownScopes', () => {
  it.each<[string, string[]]>([
    ['no grants', []],
    ['exact scopes', ['posts.read', 'comments.delete']],
    ['a custom action', ['posts.publish']],
    ['a known resource wildcard', ['posts.*']],
    ['an action wildcard some resource has', ['*.publish']],
    ['a standard action wildcard', ['*.read']],
    ['the global wildcard', ['*']],
  ])('accepts %s', (_label, grants) => {
    expect(() => assertKnownScopes(grants, catalog)).not.toThrow();
  });

  it('accepts only * against an empty catalogue', () => {
    expect(() => assertKnownScopes(['*'], { resources: [] })).not.toThrow();
    expect(() => assertKnownScopes(['posts.read'], { resources: [] })).toThrow(
      expect.objectContaining({ code: 'ERR_UNKNOWN_SCOPE', details: { scope: 'posts.read', suggestion: null } }),
    );
  });

  it.each<[string, string, string | null]>([
    ['a transposition', 'posts.raed', 'posts.read'],
    ['a missing letter', 'posts.publsh', 'posts.publish'],
    ['a plural resource slip', 'post.read', 'posts.read'],
    ['a typo in the resource', 'comemnts.write', 'comments.write'],
    ['an unknown resource wildcard', 'post.*', 'posts.*'],
    ['an unknown action wildcard', '*.publsh', '*.publish'],
    ['an action only another resource has', 'comments.publish', 'posts.publish'],
    ['nothing close', 'billing.refund', null],
    ['an unknown resource, far from everything', 'invoices.*', null],
  ])('rejects %s with ERR_UNKNOWN_SCOPE and a suggestion', (_label, grant, suggestion) => {
    expect(() => assertKnownScopes(['posts.read', grant], catalog)).toThrow(
      expect.objectContaining({ code: 'ERR_UNKNOWN_SCOPE', details: { scope: grant, suggestion } }),
    );
  });
});
