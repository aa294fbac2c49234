import { isKnownGrant, offeredGrants, withAdminScope } from '../../../src/admin/scopes/admin-catalog';
import type { ScopeCatalog } from '../../../src/scopes/scope-catalog';

const catalog: ScopeCatalog = {
  resources: [
    {
      resource: 'posts',
      scopes: [
        { scope: 'posts.read', action: 'read', coordinates: ['Query.posts'], used: true },
        { scope: 'posts.write', action: 'write', coordinates: [], used: false },
        { scope: 'posts.publish', action: 'publish', coordinates: ['Mutation.publishPost'], used: true },
      ],
    },
  ],
};

describe('withAdminScope', () => {
  it('adds the admin scope as a resource of its own, in resource order', () => {
    const merged = withAdminScope(catalog, 'scopes.admin');
    expect(merged.resources.map((entry) => entry.resource)).toEqual(['posts', 'scopes']);
    expect(merged.resources[1]?.scopes.map((entry) => entry.scope)).toEqual(['scopes.admin']);
  });

  it('adds it to an existing resource, and leaves a catalogue that has it alone', () => {
    const merged = withAdminScope(catalog, 'posts.admin');
    expect(merged.resources).toHaveLength(1);
    expect(merged.resources[0]?.scopes.map((entry) => entry.scope)).toEqual(['posts.read', 'posts.write', 'posts.publish', 'posts.admin']);
    expect(withAdminScope(catalog, 'posts.read')).toBe(catalog);
  });
});

describe('offeredGrants and isKnownGrant', () => {
  it('offers *, resource.* and every scope', () => {
    expect([...offeredGrants(catalog)].sort()).toEqual(['*', 'posts.*', 'posts.publish', 'posts.read', 'posts.write']);
  });

  it.each([
    ['posts.read', true],
    ['*.publish', true],
    ['*.read', true],
    ['*.export', false],
    ['reports.read', false],
    ['posts.archive', false],
  ])('%s is known: %s', (grant, known) => {
    expect(isKnownGrant(catalog, grant)).toBe(known);
  });
});
