import fc from 'fast-check';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import type { Principal } from '../../src/principal/principal';
import { ReadOnlyScopeSet } from '../../src/principal/read-only-set';
import { hasScope, matchScope } from '../../src/scopes/match-scope';
import { formatScope, isGrant, isScopeName, normalizeGrants, parseScope } from '../../src/scopes/scope-grammar';
import { assertStoredGrants } from '../../src/store/stored-records';

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

describe('property: random and adversarial scope strings never throw untyped errors and never grant', () => {
  const adversarial = fc.constantFrom(
    '', '.', '..', '*', '*.*', '**', '*.', '.*', 'posts', 'posts.', '.read', 'posts..read', 'posts.read.', 'posts.*.read', 'posts.read ', ' posts.read',
    'posts.read\u0000', 'posts.read\n', 'POSTS.READ', 'Posts.read', 'pоsts.read' /* Cyrillic о */, 'ｐosts.read', 'posts\u200b.read', 'posts.re\u0301ad',
    '__proto__', 'constructor', 'hasOwnProperty', '__proto__.read', 'posts.__proto__', '{"$ne":null}', 'posts.read,admin.*', 'posts.read admin.*', 'a'.repeat(200),
  );
  const anyString = fc.oneof(adversarial, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^[a-z*][a-z0-9_*.-]{0,12}$/));
  const anyValue = fc.oneof(anyString, fc.anything());
  const REQUIRED = 'posts.read';
  const SATISFYING = new Set(['posts.read', 'posts.*', '*.read', '*']);

  const typedOrNothing = (run: () => unknown, code: string): void => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ScopedPermissionsError);
      expect((error as ScopedPermissionsError).code).toBe(code);
    }
  };

  it('parseScope, formatScope, normalizeGrants and isGrant throw only ERR_INVALID_SCOPE', () => {
    fc.assert(
      fc.property(anyValue, anyValue, (a, b) => {
        typedOrNothing(() => parseScope(a as string), 'ERR_INVALID_SCOPE');
        typedOrNothing(() => formatScope(a as string, b as string), 'ERR_INVALID_SCOPE');
        typedOrNothing(() => normalizeGrants([a, b]), 'ERR_INVALID_SCOPE');
        expect(typeof isGrant(a)).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('whatever parses is exactly resource.action, and formats back to itself', () => {
    fc.assert(
      fc.property(anyString, (scope) => {
        let parsed: { resource: string; action: string };
        try {
          parsed = parseScope(scope);
        } catch {
          return;
        }
        expect(formatScope(parsed.resource, parsed.action)).toBe(scope);
        expect(isScopeName(parsed.resource) && isScopeName(parsed.action)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('no grant satisfies posts.read but the four that should, by matchScope or by hasScope', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 6 }), (grants) => {
        for (const grant of grants) expect(matchScope(grant, REQUIRED)).toBe(SATISFYING.has(grant));
        const principal: Principal = { kind: 'apiKey', id: 'k', scopes: new ReadOnlyScopeSet(grants) };
        expect(hasScope(principal, REQUIRED)).toBe(grants.some((grant) => SATISFYING.has(grant)));
      }),
      { numRuns: 3000 },
    );
  });

  it('a scope list read back from a store becomes grants only when every entry is a valid grant', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, fc.array(anyValue, { maxLength: 5 })), (stored) => {
        let grants: readonly string[];
        try {
          grants = assertStoredGrants(stored, 'getUserScopes');
        } catch (error) {
          expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
          return;
        }
        expect(Array.isArray(stored)).toBe(true);
        for (const grant of grants) expect(isGrant(grant)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
