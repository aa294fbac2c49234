import fc from 'fast-check';
import {
  clausesOf,
  impliesClauses,
  MAX_EXPRESSION_ALTERNATIVES,
  MAX_EXPRESSION_CLAUSES,
  normalizeClauses,
  requiresScopesOf,
  type ScopeClauses,
  type ScopeExpression,
  splitClauseKeys,
} from '../../src/requirements/scope-expression';

/** Whether `grants` meet an AND of ORs. */
const meetsClauses = (clauses: ScopeClauses, grants: ReadonlySet<string>): boolean => clauses.every((clause) => clause.some((scope) => grants.has(scope)));
/** Whether `grants` meet an OR of ANDs, as Apollo Router reads `@requiresScopes` (an outer list of inner lists). */
const meetsExpression = (expression: ScopeExpression, grants: ReadonlySet<string>): boolean => expression.some((alternative) => alternative.every((scope) => grants.has(scope)));

/** Every subset of `scopes`: every grant set, for a truth table. */
function grantSets(scopes: readonly string[]): Set<string>[] {
  return Array.from({ length: 2 ** scopes.length }, (_unused, mask) => new Set(scopes.filter((_scope, bit) => (mask >> bit) & 1)));
}

const scopeName = (index: number): string => `s${index}.read`;

describe('scope expressions', () => {
  it.each([
    ['one scope', [['a.read']], [['a.read']]],
    ['an AND', [['b.read'], ['a.read']], [['a.read', 'b.read']]],
    ['an OR', [['b.read', 'a.read']], [['a.read'], ['b.read']]],
    ['(a or b) and c', [['a.read', 'b.read'], ['c.read']], [['a.read', 'c.read'], ['b.read', 'c.read']]],
    ['(a or b) and (a or c): a alone is enough', [['a.read', 'b.read'], ['a.read', 'c.read']], [['a.read'], ['b.read', 'c.read']]],
  ])('requiresScopesOf maps %s onto an OR of ANDs (@requiresScopes)', (_label, clauses, expected) => {
    expect(requiresScopesOf(normalizeClauses(clauses))).toEqual(expected);
  });

  it('normalises clauses: sorted, repeats and implied clauses dropped', () => {
    expect(normalizeClauses([['c.read', 'a.read', 'a.read'], ['a.read'], ['b.read'], ['b.read']])).toEqual([['a.read'], ['b.read']]);
  });

  it('splits clause keys into required scopes and the choices they do not already meet', () => {
    expect(splitClauseKeys(['a.read', 'a.read|b.read', 'c.read|d.read'])).toEqual({ required: ['a.read'], anyOf: [['c.read', 'd.read']] });
  });
});

describe('clausesOf: @requiresScopes (an OR of ANDs) as normalised clauses (an AND of ORs)', () => {
  it.each<[string, unknown, string[][]]>([
    ['one scope', [['a.read']], [['a.read']]],
    ['an AND', [['b.read', 'a.read']], [['a.read'], ['b.read']]],
    ['an OR', [['b.read'], ['a.read']], [['a.read', 'b.read']]],
    ['(a and c) or (b and c): c is needed, and a or b', [['a.read', 'c.read'], ['b.read', 'c.read']], [['a.read', 'b.read'], ['c.read']]],
    ['(a and b) or c', [['a.read', 'b.read'], ['c.read']], [['a.read', 'c.read'], ['b.read', 'c.read']]],
    ['an alternative that holds another is absorbed', [['a.read'], ['a.read', 'b.read']], [['a.read']]],
    ['repeats inside an alternative', [['a.read', 'a.read']], [['a.read']]],
    ['the same alternative twice', [['a.read', 'b.read'], ['b.read', 'a.read']], [['a.read'], ['b.read']]],
    ['two ANDs of two: four clauses', [['a.read', 'b.read'], ['c.read', 'd.read']], [['a.read', 'c.read'], ['a.read', 'd.read'], ['b.read', 'c.read'], ['b.read', 'd.read']]],
    ['a or (b and c) or (b and d)', [['a.read'], ['b.read', 'c.read'], ['b.read', 'd.read']], [['a.read', 'b.read'], ['a.read', 'c.read', 'd.read']]],
  ])('%s', (_label, expression, expected) => {
    const clauses = clausesOf(expression, 'Query.a');
    expect(clauses).toEqual(expected);
    expect(Object.isFrozen(clauses) && clauses.every((clause) => Object.isFrozen(clause))).toBe(true);
  });

  // Apollo Router reads `scopes: []` and `[[]]` as "no scope needed" (an empty OR is skipped; an empty AND is met by
  // everyone), and composition turns [] into [[]]. A gateway that took them would check nothing: they are refused.
  it.each<[string, unknown, string]>([
    ['not a list', 'a.read', 'ERR_INVALID_DIRECTIVE'],
    ['null', null, 'ERR_INVALID_DIRECTIVE'],
    ['an object', { scopes: [['a.read']] }, 'ERR_INVALID_DIRECTIVE'],
    ['an empty outer list (Apollo: no requirement)', [], 'ERR_INVALID_DIRECTIVE'],
    ['an empty inner list (Apollo: met by everyone)', [[]], 'ERR_INVALID_DIRECTIVE'],
    ['an empty inner list beside a real one', [['a.read'], []], 'ERR_INVALID_DIRECTIVE'],
    ['a flat list of scopes', ['a.read'], 'ERR_INVALID_DIRECTIVE'],
    ['a number', [[1]], 'ERR_INVALID_DIRECTIVE'],
    ['null inside', [['a.read', null]], 'ERR_INVALID_DIRECTIVE'],
    ['a nested list inside', [[['a.read']]], 'ERR_INVALID_DIRECTIVE'],
    ['the full wildcard', [['*']], 'ERR_INVALID_SCOPE'],
    ['a resource wildcard', [['posts.*']], 'ERR_INVALID_SCOPE'],
    ['an action wildcard', [['a.read'], ['*.read']], 'ERR_INVALID_SCOPE'],
    ['a scope without an action', [['posts']], 'ERR_INVALID_SCOPE'],
    ['an OAuth-style scope', [['read:posts']], 'ERR_INVALID_SCOPE'],
    ['an upper-case scope', [['Posts.read']], 'ERR_INVALID_SCOPE'],
    ['an empty string', [['']], 'ERR_INVALID_SCOPE'],
    ['a scope too long', [[`a.${'r'.repeat(200)}`]], 'ERR_INVALID_SCOPE'],
  ])('refuses %s, naming the coordinate', (_label, expression, code) => {
    expect(() => clausesOf(expression, 'Post.title')).toThrow(expect.objectContaining({ code, details: expect.objectContaining({ coordinate: 'Post.title' }) }));
  });

  it('refuses an expression whose clauses blow up, never truncating them', () => {
    // (a1 and b1) or … or (a7 and b7): 2^7 = 128 clauses of seven scopes, none absorbed.
    const expression = Array.from({ length: 7 }, (_unused, index) => [`a${index}.read`, `b${index}.read`]);
    expect(() => clausesOf(expression, 'Query.a')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: { coordinate: 'Query.a', limit: MAX_EXPRESSION_CLAUSES } }));
    // Six pairs make 64 clauses: exactly the cap.
    expect(clausesOf(expression.slice(0, 6), 'Query.a')).toHaveLength(64);
  });

  it.each<[string, unknown]>([
    ['more alternatives than the cap', Array.from({ length: MAX_EXPRESSION_ALTERNATIVES + 1 }, (_unused, index) => [scopeName(index)])],
    ['an alternative wider than the cap', [Array.from({ length: MAX_EXPRESSION_CLAUSES + 1 }, (_unused, index) => scopeName(index))]],
  ])('refuses %s before expanding it', (_label, expression) => {
    expect(() => clausesOf(expression, 'Query.a')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE' }));
  });
});

describe('requiresScopesOf: exact or an error', () => {
  it('refuses a requirement that expands beyond the cap, naming the coordinate, where it used to cut the list short', () => {
    // (a1 or b1) and … and (a7 or b7): 128 alternatives.
    const clauses = normalizeClauses(Array.from({ length: 7 }, (_unused, index) => [`a${index}.read`, `b${index}.read`]));
    expect(() => requiresScopesOf(clauses, 'Query.a')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: { coordinate: 'Query.a', limit: MAX_EXPRESSION_ALTERNATIVES } }));
    expect(requiresScopesOf(clauses.slice(0, 6), 'Query.a')).toHaveLength(64);
  });

  it('expands a requirement whose product of clause sizes is over the cap but whose expansion is small', () => {
    // (a or x1) and … and (a or x7): a alone, or all seven x.
    const clauses = normalizeClauses(Array.from({ length: 7 }, (_unused, index) => ['a.read', `x${index}.read`]));
    expect(requiresScopesOf(clauses)).toEqual([['a.read'], Array.from({ length: 7 }, (_unused, index) => `x${index}.read`)]);
  });
});

describe('impliesClauses', () => {
  it.each<[string, string[][], string[][], boolean]>([
    ['a implies a or b', [['a.read']], [['a.read', 'b.read']], true],
    ['a or b does not imply a', [['a.read', 'b.read']], [['a.read']], false],
    ['a and b implies a', [['a.read'], ['b.read']], [['a.read']], true],
    ['nothing implies a', [], [['a.read']], false],
    ['anything implies no clause', [['a.read']], [], true],
  ])('%s', (_label, a, b, expected) => {
    expect(impliesClauses(a, b)).toBe(expected);
  });
});

describe('clausesOf and requiresScopesOf are inverse (property)', () => {
  const SCOPES = ['a.read', 'b.read', 'c.read', 'd.read', 'e.read'];
  const scopeSet = fc.uniqueArray(fc.constantFrom(...SCOPES), { minLength: 1, maxLength: 4 });
  const nested = fc.array(scopeSet, { minLength: 1, maxLength: 4 });
  const allGrantSets = grantSets(SCOPES);

  it('clausesOf(requiresScopesOf(c)) means what c means, for every grant set, and is c normalised', () => {
    fc.assert(
      fc.property(nested, (written) => {
        const clauses = normalizeClauses(written);
        const back = clausesOf(requiresScopesOf(clauses));
        expect(allGrantSets.filter((grants) => meetsClauses(back, grants) !== meetsClauses(clauses, grants)).map((grants) => [...grants])).toEqual([]);
        expect(back).toEqual(clauses);
      }),
      { numRuns: 300 },
    );
  });

  it('requiresScopesOf(clausesOf(e)) means what e means, for every grant set', () => {
    fc.assert(
      fc.property(nested, (expression) => {
        const clauses = clausesOf(expression);
        const back = requiresScopesOf(clauses);
        const differing = allGrantSets.filter((grants) => meetsClauses(clauses, grants) !== meetsExpression(expression, grants) || meetsExpression(back, grants) !== meetsExpression(expression, grants));
        expect(differing.map((grants) => [...grants])).toEqual([]);
        // Twice round is a fixed point: the normal forms are unique.
        expect(requiresScopesOf(clausesOf(back))).toEqual(back);
      }),
      { numRuns: 300 },
    );
  });
});
