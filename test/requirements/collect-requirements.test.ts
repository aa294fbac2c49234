import { buildSchema } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { collectRequirements, requirementOfClauses } from '../../src/requirements/collect-requirements';

const { scopeDirectiveTypeDefs } = scopeDirective();
const collect = (sdl: string) => collectRequirements(buildSchema(`${scopeDirectiveTypeDefs}\n${sdl}`));

describe('collectRequirements: the expansion cap', () => {
  it('refuses at transform time a requirement that expands beyond 64 alternatives, naming the coordinate', () => {
    const usages = Array.from({ length: 7 }, (_unused, index) => `@scope(anyOf: ["a${index}.read", "b${index}.read"])`).join(' ');
    expect(() => collect(`type Query { a: Int ${usages} }`)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ coordinate: 'Query.a' }) }));
  });

  it('accepts one whose clause sizes multiply past the cap but whose exact expansion is small', () => {
    // (a or x0) and … and (a or x6): 2^7 = 128 by the product, but a alone or all seven x.
    const usages = Array.from({ length: 7 }, (_unused, index) => `@scope(anyOf: ["a.read", "x${index}.read"])`).join(' ');
    expect(collect(`type Query { a: Int ${usages} }`).get('Query.a')?.allOf).toHaveLength(7);
  });
});

describe('requirementOfClauses: other directives build requirements as @scope(anyOf:) does', () => {
  it.each<[string, string, string[][]]>([
    ['one scope', '@scope(anyOf: ["posts.read"])', [['posts.read']]],
    ['an OR and an AND', '@scope(anyOf: ["b.read", "a.read"]) @scope(anyOf: ["c.read"])', [['b.read', 'a.read'], ['c.read']]],
  ])('%s: the same requirement as the directive gives', (_label, usages, clauses) => {
    const fromDirective = collect(`type Query { f: Int ${usages} }`).get('Query.f');
    expect(requirementOfClauses('Query.f', clauses, 'requiresScopes')).toEqual(fromDirective);
  });

  it('checks each scope', () => {
    expect(() => requirementOfClauses('Query.f', [['posts.*']], 'requiresScopes')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }));
  });
});
