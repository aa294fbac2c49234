import { buildASTSchema, parse } from 'graphql';
import { expandGrants } from '../../src/federation/expand-grants';
import { supergraphCatalog, supergraphEnforcement, withSupergraphEnforcement } from '../../src/federation/supergraph-enforcement';
import { printSubgraphSchemaWithScopes } from '../../src/federation/print-subgraph-schema-with-scopes';
import { checkOperation } from '../../src/operation/check-operation';
import type { Principal } from '../../src/principal/principal';
import { compose } from './compose';
import { buildPostsSubgraph, buildUsersSubgraph } from './subgraphs';

const quiet = { onWarning: () => undefined };
const supergraphSdl = compose('apollo', [
  { name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)) },
  { name: 'users', sdl: printSubgraphSchemaWithScopes(buildUsersSubgraph(quiet)) },
]);
const supergraph = () => buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
const key = (...scopes: string[]): Principal => ({ kind: 'apiKey', id: 'k', scopes: new Set(scopes) });

/** A hand-written supergraph-like schema: the directive as composition declares it, then `sdl`. */
const DIRECTIVE = 'directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM';
const schemaOf = (sdl: string) => buildASTSchema(parse(`${DIRECTIVE}\n${sdl}`), { assumeValidSDL: true });
/** The requirement of each coordinate, as `allOf`. */
const requirementsOf = (sdl: string) => Object.fromEntries(supergraphEnforcement(schemaOf(sdl)).requirements.map((requirement) => [requirement.coordinate, requirement.allOf]));
const check = (sdl: string, query: string, scopes: readonly string[]) => checkOperation({ schema: withSupergraphEnforcement(schemaOf(sdl)), document: parse(query), principal: key(...scopes) });

describe('the supergraph enforcement', () => {
  it('reads every @requiresScopes of the supergraph as a requirement', () => {
    expect(supergraphEnforcement(supergraph()).requirements.map((requirement) => `${requirement.coordinate} ${requirement.scope}`)).toEqual([
      'Mutation.postDelete posts.delete',
      'Post.title posts.read',
      'Query.posts posts.read',
      'Query.users users.read',
      'User.email users.email',
      'User.name users.read',
      'User.posts posts.read',
    ]);
  });

  it('groups the scopes by resource for expandGrants', () => {
    expect(supergraphCatalog(supergraph()).resources.map((resource) => [resource.resource, resource.scopes.map((scope) => scope.scope).sort()])).toEqual([
      ['posts', ['posts.delete', 'posts.read']],
      ['users', ['users.email', 'users.read']],
    ]);
  });

  // [query, scopes, allowed, missing]
  it.each<[string, string[], boolean, string[]]>([
    ['{ posts { title author { name } } }', ['posts.read', 'users.read'], true, []],
    ['{ posts { title author { name } } }', ['posts.read'], false, ['users.read']],
    ['{ posts { title author { name } } }', ['posts.*', 'users.*'], true, []],
    ['{ posts { author { id } } }', ['posts.read'], true, []],
  ])('checks %s for %j with the same walk', (query, scopes, allowed, missing) => {
    const schema = withSupergraphEnforcement(supergraph());
    const result = checkOperation({ schema, document: parse(query), principal: key(...scopes) });
    expect([result.allowed, [...new Set(result.denied.map((denied) => denied.requiredScope))]]).toEqual([allowed, missing]);
  });
});

describe('@requiresScopes expressions at the gateway: an OR of ANDs', () => {
  // [case, scopes argument, the requirement as clauses (an AND of ORs), and the field's `scope` when it is one]
  it.each<[string, string, string[][], string | undefined]>([
    ['one scope', '[["a.read"]]', [['a.read']], 'a.read'],
    ['an OR', '[["a.read"], ["b.read"]]', [['a.read', 'b.read']], undefined],
    ['an AND', '[["a.read", "b.read"]]', [['a.read'], ['b.read']], undefined],
    ['mixed: (a and c) or (b and c)', '[["a.read", "c.read"], ["b.read", "c.read"]]', [['a.read', 'b.read'], ['c.read']], undefined],
    ['mixed: (a and b) or c', '[["a.read", "b.read"], ["c.read"]]', [['a.read', 'c.read'], ['b.read', 'c.read']], undefined],
  ])('%s: %s', (_case, scopes, allOf, scope) => {
    const [requirement] = supergraphEnforcement(schemaOf(`type Query { f: Int @requiresScopes(scopes: ${scopes}) }`)).requirements;
    expect(requirement).toMatchObject({ coordinate: 'Query.f', allOf, scope });
    expect(requirement?.scopes.map((named) => [named.scope, named.actionSource])).toEqual([...new Set(allOf.flat())].sort().map((each) => [each, 'explicit']));
  });

  const MIXED = 'type Query { f: Int @requiresScopes(scopes: [["a.read", "c.read"], ["b.read", "c.read"]]) g: Int @requiresScopes(scopes: [["a.read"], ["b.read"]]) h: Int @requiresScopes(scopes: [["a.read", "b.read"]]) }';
  // [field, grants, allowed]
  it.each<[string, string[], boolean]>([
    ['f', [], false],
    ['f', ['a.read'], false],
    ['f', ['c.read'], false],
    ['f', ['a.read', 'c.read'], true],
    ['f', ['b.read', 'c.read'], true],
    ['f', ['a.read', 'b.read'], false],
    ['f', ['a.*', 'c.*'], true],
    ['g', ['a.read'], true],
    ['g', ['b.read'], true],
    ['g', ['c.read'], false],
    ['h', ['a.read'], false],
    ['h', ['a.read', 'b.read'], true],
    ['h', ['*'], true],
  ])('Query.%s with %j: allowed %s', (field, grants, allowed) => {
    expect(check(MIXED, `{ ${field} }`, grants).allowed).toBe(allowed);
  });
});

describe('the catalogue of a supergraph with expressions (for expandGrants)', () => {
  const SDL = `
    type Query {
      f: Int @requiresScopes(scopes: [["a.read", "c.read"], ["b.read", "c.read"]])
      g: Int @requiresScopes(scopes: [["a.write"], ["b.read"]])
      post: Post
    }
    type Post @requiresScopes(scopes: [["p.read"]]) { id: ID }
  `;
  const catalog = supergraphCatalog(schemaOf(SDL));

  it('lists every scope an expression names, with the coordinates that need it', () => {
    expect(catalog.resources.map((resource) => [resource.resource, resource.scopes.map((scope) => [scope.scope, scope.coordinates])])).toEqual([
      ['a', [['a.read', ['Query.f']], ['a.write', ['Query.g']]]],
      ['b', [['b.read', ['Query.f', 'Query.g']]]],
      ['c', [['c.read', ['Query.f']]]],
      ['p', [['p.read', ['Post.id', 'Query.post']]]],
    ]);
  });

  it.each<[string[], string[]]>([
    [['a.*'], ['a.read', 'a.write']],
    [['*.read'], ['a.read', 'b.read', 'c.read', 'p.read']],
    [['*'], ['a.read', 'a.write', 'b.read', 'c.read', 'p.read']],
    [['b.*', 'c.read'], ['b.read', 'c.read']],
  ])('expandGrants(%j) gives %j', (grants, expanded) => {
    expect(expandGrants(grants, catalog)).toEqual(expanded);
  });
});

describe('where @requiresScopes applies, as Apollo Router reads it', () => {
  const SDL = `
    type Query {
      post: Post @requiresScopes(scopes: [["q.read"]])
      node: Node
      secret: Secret
      level: Level
      open: String
    }
    interface Node @requiresScopes(scopes: [["p.read"]]) { id: ID! name: String @requiresScopes(scopes: [["n.read"], ["m.read"]]) }
    type Post implements Node @requiresScopes(scopes: [["p.read"]]) { id: ID! name: String @requiresScopes(scopes: [["n.read"]]) body: String }
    type User implements Node { id: ID! name: String @requiresScopes(scopes: [["m.read"]]) }
    scalar Secret @requiresScopes(scopes: [["s.read"]])
    enum Level @requiresScopes(scopes: [["l.read"]]) { LOW HIGH }
  `;

  it("ANDs the field's own, the returned type's and the parent object type's", () => {
    expect(requirementsOf(SDL)).toEqual({
      // the field's own, and the returned object type's
      'Query.post': [['p.read'], ['q.read']],
      // the returned interface's (composition copies it up from the implementations)
      'Query.node': [['p.read']],
      // the returned scalar's and enum's
      'Query.secret': [['s.read']],
      'Query.level': [['l.read']],
      // the parent object type's, on each of its fields (a fragment on Post), and the field's own
      'Post.id': [['p.read']],
      'Post.name': [['n.read'], ['p.read']],
      'Post.body': [['p.read']],
      'User.name': [['m.read']],
    });
  });

  // [query, grants, allowed]
  it.each<[string, string[], boolean]>([
    ['{ open }', [], true],
    ['{ post { body } }', ['q.read', 'p.read'], true],
    ['{ post { body } }', ['q.read'], false],
    ['{ post { __typename } }', ['q.read'], false],
    ['{ node { id } }', ['p.read'], true],
    ['{ node { id } }', [], false],
    ['{ node { ... on User { name } } }', ['p.read', 'm.read'], true],
    ['{ node { ... on User { name } } }', ['m.read'], false],
    ['{ node { name } }', ['p.read', 'n.read'], false],
    ['{ node { name } }', ['p.read', 'n.read', 'm.read'], true],
    ['{ secret }', [], false],
    ['{ secret }', ['s.read'], true],
    ['{ level }', ['l.read'], true],
    ['{ level }', ['s.read'], false],
  ])('%s with %j: allowed %s', (query, grants, allowed) => {
    expect(check(SDL, query, grants).allowed).toBe(allowed);
  });

  it('a type-level requirement on the root type applies to each of its fields', () => {
    expect(requirementsOf('type Query @requiresScopes(scopes: [["r.read"]]) { a: Int b: Int @requiresScopes(scopes: [["b.read"]]) }')).toEqual({
      'Query.a': [['r.read']],
      'Query.b': [['b.read'], ['r.read']],
    });
  });
});

describe('what the gateway refuses at start-up (fail closed)', () => {
  // [case, sdl, code]
  it.each<[string, string, string, string]>([
    ['an empty outer list (Apollo Router: no requirement)', 'type Query { a: Int @requiresScopes(scopes: []) }', 'ERR_INVALID_DIRECTIVE', 'Query.a'],
    ['an empty inner list (Apollo Router: met by everyone)', 'type Query { a: Int @requiresScopes(scopes: [[]]) }', 'ERR_INVALID_DIRECTIVE', 'Query.a'],
    ['a wildcard', 'type Query { a: Int @requiresScopes(scopes: [["posts.*"]]) }', 'ERR_INVALID_SCOPE', 'Query.a'],
    ['a scope that breaks the grammar', 'type Query { a: Int @requiresScopes(scopes: [["read:posts"]]) }', 'ERR_INVALID_SCOPE', 'Query.a'],
    ['an empty type-level list', 'type Query { a: Post } type Post @requiresScopes(scopes: []) { id: ID }', 'ERR_INVALID_DIRECTIVE', 'Post'],
    ['the directive twice', 'type Query { a: Int @requiresScopes(scopes: [["a.read"]]) @requiresScopes(scopes: [["b.read"]]) }', 'ERR_INVALID_DIRECTIVE', 'Query.a'],
    ['an unknown argument', 'type Query { a: Int @requiresScopes(scopes: [["a.read"]], mode: "any") }', 'ERR_INVALID_DIRECTIVE', 'Query.a'],
    ['a union', 'type Query { a: R } type A { id: ID } type B { id: ID } union R @requiresScopes(scopes: [["a.read"]]) = A | B', 'ERR_INVALID_DIRECTIVE', 'R'],
    ['an input type', 'type Query { a(i: I): Int } input I @requiresScopes(scopes: [["a.read"]]) { x: Int }', 'ERR_INVALID_DIRECTIVE', 'I'],
    ['an input field', 'type Query { a(i: I): Int } input I { x: Int @requiresScopes(scopes: [["a.read"]]) }', 'ERR_INVALID_DIRECTIVE', 'I.x'],
    ['an argument', 'type Query { a(x: Int @requiresScopes(scopes: [["a.read"]])): Int }', 'ERR_INVALID_DIRECTIVE', 'Query.a(x:)'],
    ['an enum value', 'type Query { a: E } enum E { X @requiresScopes(scopes: [["a.read"]]) Y }', 'ERR_INVALID_DIRECTIVE', 'E.X'],
    ['the schema', 'schema @requiresScopes(scopes: [["a.read"]]) { query: Query } type Query { a: Int }', 'ERR_INVALID_DIRECTIVE', 'the schema'],
    [
      'an interface requiring what its implementations do not',
      'type Query { n: N } interface N @requiresScopes(scopes: [["x.read"]]) { id: ID } type A implements N @requiresScopes(scopes: [["a.read"]]) { id: ID }',
      'ERR_INVALID_DIRECTIVE',
      'N',
    ],
    [
      'an interface field requiring what its implementations do not',
      'type Query { n: N } interface N { id: ID @requiresScopes(scopes: [["x.read"]]) } type A implements N { id: ID @requiresScopes(scopes: [["a.read"], ["x.read"]]) }',
      'ERR_INVALID_DIRECTIVE',
      'N.id',
    ],
  ])('%s', (_case, sdl, code, coordinate) => {
    expect(() => supergraphEnforcement(schemaOf(sdl))).toThrow(expect.objectContaining({ code, details: expect.objectContaining({ coordinate }) }));
  });

  it('accepts the interface requirements composition copies up from the implementations (an AND of theirs)', () => {
    const sdl = `
      type Query { n: N }
      interface N @requiresScopes(scopes: [["u.read"]]) { name: String @requiresScopes(scopes: [["b.read", "n.read"], ["a.read", "c.read", "n.read"]]) }
      type P implements N { name: String @requiresScopes(scopes: [["a.read", "c.read"], ["b.read"]]) }
      type U implements N @requiresScopes(scopes: [["u.read"]]) { name: String @requiresScopes(scopes: [["n.read"]]) }
    `;
    expect(() => supergraphEnforcement(schemaOf(sdl))).not.toThrow();
  });
});
