import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { buildASTSchema, parse } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { printSubgraphSchemaWithScopes } from '../../src/federation/print-subgraph-schema-with-scopes';
import { principalFromContext } from '../../src/directive/guard-resolver';
import { createScopeEnforcement, withScopeEnforcement } from '../../src/requirements/scope-enforcement';
import { normalizeClauses } from '../../src/requirements/scope-expression';
import { discoverScopes } from '../../src/scopes/discover-scopes';
import { type Composer, compose, supergraphRequiresScopes } from './compose';
import { buildPostsSubgraph, buildUsersSubgraph } from './subgraphs';

const quiet = { onWarning: () => undefined };
const { scopeDirectiveTypeDefs } = scopeDirective();
const noResolvers = {} as GraphQLResolverMap<unknown>;

/** A subgraph built from SDL, not transformed. */
const subgraph = (sdl: string, link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])') =>
  buildSubgraphSchema({ typeDefs: parse(`${link}\n${scopeDirectiveTypeDefs}\n${sdl}`), resolvers: noResolvers });

describe('printSubgraphSchemaWithScopes', () => {
  const posts = printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet));
  const users = printSubgraphSchemaWithScopes(buildUsersSubgraph({ ...quiet, enforce: 'operation' }));

  it.each([
    ['posts: [Post!]! @scope(resource: "posts") @requiresScopes(scopes: [["posts.read"]])', posts],
    ['postDelete(id: ID!): Boolean! @scope(resource: "posts") @requiresScopes(scopes: [["posts.delete"]])', posts],
    ['title: String! @scope(resource: "posts") @requiresScopes(scopes: [["posts.read"]])', posts],
    ['email: String @scope(resource: "users", action: "email") @requiresScopes(scopes: [["users.email"]])', users],
    ['@link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@requiresScopes"])', users],
  ])('prints %s', (line, sdl) => {
    expect(sdl).toContain(line);
  });

  it('leaves out what composition adds back: _entities, _service, _Any, _Entity, the spec definitions', () => {
    for (const sdl of [posts, users]) expect(sdl).not.toMatch(/_entities|_service|_Any|_Entity|federation__|link__|directive @key/);
    expect(posts).toContain('type Post @key(fields: "id")');
  });

  describe.each<Composer>(['apollo', 'guild'])('composed with %s', (composer) => {
    const supergraph = compose(composer, [
      { name: 'posts', sdl: posts },
      { name: 'users', sdl: users },
    ]);

    it('carries the same scope strings as the subgraphs enforce', () => {
      const expected: Record<string, string[][]> = {};
      for (const schema of [buildPostsSubgraph(quiet), buildUsersSubgraph(quiet)]) {
        for (const resource of discoverScopes(schema).resources) {
          for (const scope of resource.scopes) for (const coordinate of scope.coordinates) expected[coordinate] = [[scope.scope]];
        }
      }
      expect(supergraphRequiresScopes(supergraph)).toEqual(expected);
      expect(Object.keys(expected)).toHaveLength(7);
    });
  });

  // [case, link, sdl, expected line]
  it.each([
    ['a type-level @scope on each field of the type', undefined, 'type Query { me: Me } type Me @scope(resource: "profile") { name: String }', 'name: String @requiresScopes(scopes: [["profile.read"]])'],
    ['a v2.3 link raised to v2.5', 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])', 'type Query { a: Int @scope(resource: "a") }', 'federation/v2.5", import: ["@key", "@requiresScopes"]'],
    ['a v2.9 link kept', 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])', 'type Query { a: Int @scope(resource: "a") }', 'federation/v2.9", import: ["@key", "@requiresScopes"]'],
    [
      'a renamed import used',
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", { name: "@requiresScopes", as: "@needs" }])',
      'type Query { a: Int @scope(resource: "a") }',
      'a: Int @scope(resource: "a") @needs(scopes: [["a.read"]])',
    ],
  ])('%s', (_case, link, sdl, line) => {
    const printed = printSubgraphSchemaWithScopes(subgraph(sdl, link));
    expect(printed).toContain(line);
    expect(() => compose('apollo', [{ name: 'one', sdl: printed }])).not.toThrow();
    expect(() => compose('guild', [{ name: 'one', sdl: printed }])).not.toThrow();
  });

  it('puts nothing on interface fields, which composition refuses, and composes', () => {
    const printed = printSubgraphSchemaWithScopes(subgraph('type Query { node: Node } interface Node { id: ID! @scope(resource: "nodes") } type Doc implements Node { id: ID! }'));
    expect(printed).toContain('id: ID! @scope(resource: "nodes")\n}');
    expect(printed).toMatch(/type Doc implements Node \{\n {2}id: ID! @requiresScopes\(scopes: \[\["nodes.read"\]\]\)/);
    for (const composer of ['apollo', 'guild'] as const) expect(() => compose(composer, [{ name: 'one', sdl: printed }])).not.toThrow();
  });

  it('prints a subgraph without a Query of its own (it only extends an entity) with extend schema, and it composes', () => {
    const printed = printSubgraphSchemaWithScopes(subgraph('type Report @key(fields: "id") { id: ID! notes: String @scope(resource: "a") @scope(resource: "c") }'));
    expect(printed).toMatch(/^extend schema @link/);
    expect(printed).not.toMatch(/type Query|query: Query/);
    expect(printed).toContain('notes: String @scope(resource: "a") @scope(resource: "c") @requiresScopes(scopes: [["a.read", "c.read"]])');
    const other = printSubgraphSchemaWithScopes(subgraph('type Query { reports: [Report] } type Report @key(fields: "id") { id: ID! }'));
    for (const composer of ['apollo', 'guild'] as const) expect(() => compose(composer, [{ name: 'one', sdl: printed }, { name: 'two', sdl: other }])).not.toThrow();
  });

  it('reads an SDL-only schema (built with assumeValidSDL, as the CLI does)', () => {
    const sdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])\ntype Query { a: Int @scope(resource: "a", action: "list") }';
    const printed = printSubgraphSchemaWithScopes(buildASTSchema(parse(`${scopeDirectiveTypeDefs}\n${sdl}`), { assumeValidSDL: true }));
    expect(printed).toContain('a: Int @scope(resource: "a", action: "list") @requiresScopes(scopes: [["a.list"]])');
  });

  it.each([
    ['no federation @link', 'extend schema @link(url: "https://specs.apollo.dev/link/v1.0")', 'ERR_INVALID_OPTIONS'],
    ['a Federation 1 version', 'extend schema @link(url: "https://specs.apollo.dev/federation/v1.0")', 'ERR_INVALID_OPTIONS'],
  ])('refuses %s', (_case, link, code) => {
    const schema = buildASTSchema(parse(`${scopeDirectiveTypeDefs}\n${link}\ntype Query { a: Int @scope(resource: "a") }`), { assumeValidSDL: true });
    expect(() => printSubgraphSchemaWithScopes(schema)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a field with both @scope and a hand-written @requiresScopes', () => {
    const schema = subgraph('type Query { a: Int @scope(resource: "a") @requiresScopes(scopes: [["x.y"]]) }', 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requiresScopes"])');
    expect(() => printSubgraphSchemaWithScopes(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE' }));
  });

  it('refuses, naming the coordinate, a hand-made requirement too large for @requiresScopes, rather than printing part of it', () => {
    // (a0 or b0) and … and (a6 or b6): 128 alternatives. The transform refuses it; a hand-made record reaches the printer.
    const allOf = normalizeClauses(Array.from({ length: 7 }, (_unused, index) => [`a${index}.read`, `b${index}.read`]));
    const schema = subgraph('type Query { a: Int }');
    const enforcement = createScopeEnforcement({
      directiveName: 'scope',
      mode: 'field',
      requirements: [{ coordinate: 'Query.a', allOf, scope: undefined, scopes: [] }],
      requiredScope: undefined,
      getPrincipal: principalFromContext,
    });
    Object.assign(schema.extensions, withScopeEnforcement(schema.extensions, enforcement));
    expect(() => printSubgraphSchemaWithScopes(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ coordinate: 'Query.a' }) }));
  });

  describe('dynamic requirements', () => {
    const sdl = 'type Query { orgPosts(org: String!): [String] @scope(resource: "posts") hello: String @scope(resource: "hello") }';
    const build = () => {
      const { scopeDirectiveTransformer } = scopeDirective('scope', { ...quiet, requiredScope: ({ args }) => (typeof args.org === 'string' ? `org-${args.org}.read` : null) });
      return scopeDirectiveTransformer(subgraph(sdl));
    };

    it('are left to the subgraph, with a warning and a comment', () => {
      const warnings: ScopedPermissionsError[] = [];
      const printed = printSubgraphSchemaWithScopes(build(), { onWarning: (warning) => warnings.push(warning) });
      expect(warnings.map((warning) => [warning.code, warning.details])).toEqual([['ERR_DYNAMIC_SCOPES', { coordinates: ['Query.hello', 'Query.orgPosts'] }]]);
      expect(printed).not.toContain('@requiresScopes(');
      expect(printed).toMatch(/^# graphql-scoped-permissions: the gateway does NOT check/);
      expect(printed).toContain('#   Query.orgPosts (posts.read unless requiredScope replaces it)');
      expect(() => compose('apollo', [{ name: 'one', sdl: printed }])).not.toThrow();
    });

    it('only those named in dynamicFields, when given', () => {
      const warnings: ScopedPermissionsError[] = [];
      const printed = printSubgraphSchemaWithScopes(build(), { dynamicFields: ['Query.orgPosts'], onWarning: (warning) => warnings.push(warning) });
      expect(printed).toContain('hello: String @scope(resource: "hello") @requiresScopes(scopes: [["hello.read"]])');
      expect(printed).not.toContain('orgPosts(org: String!): [String] @scope(resource: "posts") @requiresScopes');
      expect(warnings.map((warning) => warning.details)).toEqual([{ coordinates: ['Query.orgPosts'] }]);
    });
  });
});
