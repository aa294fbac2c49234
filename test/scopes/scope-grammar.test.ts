import { formatScope, isGrant, normalizeGrants, parseScope } from '../../src/scopes/scope-grammar';

describe('scope grammar', () => {
  it('formats and parses resource.action', () => {
    expect(formatScope('posts', 'publish')).toBe('posts.publish');
    expect(parseScope('analytics.export')).toEqual({ resource: 'analytics', action: 'export' });
    expect(parseScope('user_groups.read-all')).toEqual({ resource: 'user_groups', action: 'read-all' });
  });

  it.each(['Posts', '1posts', 'po sts', 'posts.', '', 'pösts', '_posts', 'a'.repeat(129)])('formatScope refuses the resource %j', (resource) => {
    expect(() => formatScope(resource, 'read')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }));
  });

  it.each([
    ['posts.read', true],
    ['posts.*', true],
    ['*.read', true],
    ['*', true],
    ['*.*', false],
    ['posts', false],
    ['posts.read.extra', false],
    ['Posts.read', false],
    ['posts.re*d', false],
    ['posts.read\u0000', false],
    [' posts.read', false],
    [`posts.${'a'.repeat(130)}`, false],
    [42, false],
    [{ $ne: null }, false],
    [null, false],
  ])('isGrant(%j) is %s', (grant, expected) => {
    expect(isGrant(grant)).toBe(expected);
  });

  it('normalizes grants: validated, de-duplicated, sorted', () => {
    expect(normalizeGrants(['posts.write', 'posts.read', 'posts.write', '*'])).toEqual(['*', 'posts.read', 'posts.write']);
  });

  it.each([['posts'], [{ $ne: null }], ['posts.read', 7]])('normalizeGrants refuses %j with ERR_INVALID_SCOPE', (...grants: unknown[]) => {
    expect(() => normalizeGrants(grants)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }));
  });
});
