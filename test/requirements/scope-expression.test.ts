import { normalizeClauses, requiresScopesOf, splitClauseKeys } from '../../src/requirements/scope-expression';

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
