import { ANONYMOUS_PRINCIPAL, type Principal } from '../../src/principal/principal';
import { hasScope, matchScope, satisfyingGrants } from '../../src/scopes/match-scope';

describe('matchScope', () => {
  it.each([
    ['posts.read', 'posts.read', true],
    ['posts.*', 'posts.read', true],
    ['posts.*', 'posts.publish', true],
    ['*.read', 'posts.read', true],
    ['*', 'analytics.export', true],
    ['posts.write', 'posts.read', false],
    ['posts.*', 'comments.read', false],
    ['*.read', 'posts.write', false],
    ['posts', 'posts.read', false],
    ['post.read', 'posts.read', false],
    ['posts.read ', 'posts.read', false],
    ['POSTS.READ', 'posts.read', false],
    ['', 'posts.read', false],
    ['*.*', 'posts.read', false],
    ['posts.re*', 'posts.read', false],
  ])('%j grants %j: %s', (granted, required, expected) => {
    expect(matchScope(granted, required)).toBe(expected);
  });

  it.each(['posts.*', '*.read', '*', 'posts', 'a.b.c', '', 'Posts.read'])('refuses the requirement %j with ERR_INVALID_SCOPE', (required) => {
    expect(() => matchScope('*', required)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }));
  });

  it('lists the four satisfying grants', () => {
    expect(satisfyingGrants('posts.publish')).toEqual(['posts.publish', 'posts.*', '*.publish', '*']);
  });
});

describe('hasScope', () => {
  const principal = (scopes: string[], extra: Partial<Principal> = {}): Principal => ({ kind: 'apiKey', scopes: new Set(scopes), ...extra });

  it.each<[string, Principal | null | undefined, string, boolean]>([
    ['exact', principal(['posts.read']), 'posts.read', true],
    ['resource wildcard', principal(['posts.*']), 'posts.delete', true],
    ['action wildcard', principal(['*.read']), 'comments.read', true],
    ['everything', principal(['*']), 'analytics.export', true],
    ['missing', principal(['posts.read']), 'posts.write', false],
    ['legacy unrestricted', principal([], { unrestricted: true }), 'posts.write', true],
    ['no principal', undefined, 'posts.read', false],
    ['null principal', null, 'posts.read', false],
    ['anonymous', ANONYMOUS_PRINCIPAL, 'posts.read', false],
    ['anonymous even if flagged', { ...ANONYMOUS_PRINCIPAL, unrestricted: true, scopes: new Set(['*']) }, 'posts.read', false],
    ['a kind we never issue', { kind: 'admin', scopes: new Set(['*']) } as unknown as Principal, 'posts.read', false],
    ['unrestricted on a user', principal([], { kind: 'user', unrestricted: true }), 'posts.read', false],
    ['scopes that are not a Set', { kind: 'apiKey', scopes: ['posts.read'] as unknown as ReadonlySet<string> }, 'posts.read', false],
  ])('%s', (_label, who, scope, expected) => {
    expect(hasScope(who, scope)).toBe(expected);
  });
});
