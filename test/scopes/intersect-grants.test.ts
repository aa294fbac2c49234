import { intersectGrants } from '../../src/scopes/intersect-grants';
import { matchScope } from '../../src/scopes/match-scope';

describe('intersectGrants', () => {
  it.each<[string, string[], string[], string[]]>([
    ['a wildcard resource and one of its scopes (the issue’s example)', ['posts.*'], ['posts.read'], ['posts.read']],
    ['the same, the other way round', ['posts.read'], ['posts.*'], ['posts.read']],
    ['a wildcard resource and a wildcard action', ['posts.*'], ['*.read'], ['posts.read']],
    ['* and anything', ['*'], ['posts.read', 'comments.*'], ['comments.*', 'posts.read']],
    ['two equal wildcards', ['posts.*'], ['posts.*'], ['posts.*']],
    ['two wildcard actions that differ', ['*.read'], ['*.write'], []],
    ['different resources', ['posts.*'], ['comments.*'], []],
    ['different exact scopes', ['posts.read'], ['posts.write'], []],
    ['an empty side', ['posts.read'], [], []],
    ['a covered result left out', ['posts.*', 'posts.read'], ['*'], ['posts.*']],
    ['several grants on each side', ['posts.*', 'comments.read'], ['posts.read', '*.read'], ['comments.read', 'posts.read']],
    ['invalid entries grant nothing', ['posts', 'posts.read.x', '*.*', 'posts.read'], ['*'], ['posts.read']],
  ])('%s', (_label, a, b, expected) => {
    expect(intersectGrants(a, b)).toEqual(expected);
  });

  // Every grant over two resources and two actions, and every set of up to two of them.
  const NAMES = ['posts', 'comments'];
  const ACTIONS = ['read', 'write'];
  const GRANTS = ['*', ...NAMES.map((r) => `${r}.*`), ...ACTIONS.map((a) => `*.${a}`), ...NAMES.flatMap((r) => ACTIONS.map((a) => `${r}.${a}`))];
  const SETS: string[][] = [[], ...GRANTS.map((g) => [g]), ...GRANTS.flatMap((g, i) => GRANTS.slice(i + 1).map((h) => [g, h]))];
  const holds = (grants: readonly string[], scope: string): boolean => grants.some((g) => matchScope(g, scope));

  it(`grants a scope exactly when both sides grant it (all ${SETS.length ** 2} pairs of sets of up to two grants)`, () => {
    let checked = 0;
    for (const a of SETS) {
      for (const b of SETS) {
        const result = intersectGrants(a, b);
        // Also a resource and an action no grant names, which only wildcards reach.
        for (const resource of [...NAMES, 'users']) {
          for (const action of [...ACTIONS, 'delete']) {
            const scope = `${resource}.${action}`;
            if (holds(result, scope) !== (holds(a, scope) && holds(b, scope))) throw new Error(`${a} ∩ ${b} = ${result}: wrong for ${scope}`);
            checked += 1;
          }
        }
        // No result grant is covered by another.
        expect(intersectGrants(result, ['*'])).toEqual(result);
      }
    }
    expect(checked).toBe(SETS.length ** 2 * 9);
  });
});
