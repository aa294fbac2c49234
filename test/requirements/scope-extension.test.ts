import { makeExecutableSchema } from '@graphql-tools/schema';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  graphql,
  parse,
  printSchema,
  specifiedDirectives,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
} from 'graphql';
import { assertScopesEnforced } from '../../src/directive/assert-scopes-enforced';
import { scopeDirective } from '../../src/directive/scope-directive';
import { createScopeDirectiveDefinition } from '../../src/directive/scope-directive-definition';
import { checkOperation } from '../../src/operation/check-operation';
import type { Principal } from '../../src/principal/principal';
import { collectRequirements } from '../../src/requirements/collect-requirements';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import type { ScopeExtension } from '../../src/requirements/scope-extension';
import { discoverScopes } from '../../src/scopes/discover-scopes';

const quiet = { onWarning: () => undefined };
const post = { id: 'p1', title: 'Hello', note: 'internal' };

/** The same schema as {@link sdlTypeDefs}, built by hand with requirements in `extensions`. */
function handBuiltSchema(scope: (value: ScopeExtension) => Record<string, unknown> = (value) => ({ scope: value })): GraphQLSchema {
  const Node = new GraphQLInterfaceType({
    name: 'Node',
    fields: { id: { type: GraphQLID, extensions: scope({ resource: 'nodes' }) } },
  });
  const Post = new GraphQLObjectType({
    name: 'Post',
    interfaces: [Node],
    extensions: scope({ resource: 'posts' }),
    fields: {
      id: { type: GraphQLID },
      title: { type: GraphQLString },
      note: { type: GraphQLString, extensions: scope({ resource: 'notes' }) },
    },
  });
  const field = (type: GraphQLFieldConfig<unknown, unknown>['type'], resolve: () => unknown, extension?: ScopeExtension): GraphQLFieldConfig<unknown, unknown> => ({
    type,
    resolve,
    ...(extension ? { extensions: scope(extension) } : {}),
  });
  const queryFields: GraphQLFieldConfigMap<unknown, unknown> = {
    posts: field(new GraphQLList(Post), () => [post], { resource: 'posts' }),
    hello: field(GraphQLString, () => 'world'),
  };
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: queryFields }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: {
        createPost: field(Post, () => post, { resource: 'posts' }),
        deletePost: field(GraphQLBoolean, () => true, { resource: 'posts' }),
        publishPost: field(GraphQLBoolean, () => true, { resource: 'posts', action: 'publish' }),
      },
    }),
    types: [Node],
  });
}

const sdlTypeDefs = /* GraphQL */ `
  interface Node { id: ID @scope(resource: "nodes") }
  type Post implements Node @scope(resource: "posts") { id: ID title: String note: String @scope(resource: "notes") }
  type Query { posts: [Post] @scope(resource: "posts") hello: String }
  type Mutation {
    createPost: Post @scope(resource: "posts")
    deletePost: Boolean @scope(resource: "posts")
    publishPost: Boolean @scope(resource: "posts", action: "publish")
  }
`;

function key(...scopes: string[]): { principal: Principal } {
  return { principal: { kind: 'apiKey', id: 'k1', scopes: new Set(scopes) } as Principal };
}

describe('requirements in extensions (code-first)', () => {
  it('give the same requirements, defaults and precedence as the same directives in SDL', () => {
    const fromSdl = collectRequirements(makeExecutableSchema({ typeDefs: [scopeDirective().scopeDirectiveTypeDefs, sdlTypeDefs] }));
    const fromExtensions = collectRequirements(handBuiltSchema());
    expect(fromExtensions).toEqual(fromSdl);
    // defaults: read, write, delete verb; explicit action; the interface field's requirement over the type's
    expect(Object.fromEntries([...fromExtensions].map(([coordinate, { scope, scopes }]) => [coordinate, `${scope} ${scopes[0]?.actionSource}`]))).toEqual({
      'Node.id': 'nodes.read default-read',
      'Post.id': 'nodes.read default-read',
      'Post.title': 'posts.read default-read',
      'Post.note': 'notes.read default-read',
      'Query.posts': 'posts.read default-read',
      'Mutation.createPost': 'posts.write default-write',
      'Mutation.deletePost': 'posts.delete delete-verb',
      'Mutation.publishPost': 'posts.publish explicit',
    });
  });

  it('are discovered as the directive is, under a custom directive name too', () => {
    const sdl = discoverScopes(makeExecutableSchema({ typeDefs: [scopeDirective().scopeDirectiveTypeDefs, sdlTypeDefs] }));
    expect(discoverScopes(handBuiltSchema())).toEqual(sdl);
    const custom = handBuiltSchema((value) => ({ perm: value }));
    expect(discoverScopes(custom, { directiveName: 'perm' })).toEqual(sdl);
    expect(discoverScopes(custom).resources).toEqual([]);
  });

  describe.each<EnforcementMode>(['field', 'operation'])('enforced in %s mode', (enforce) => {
    const schema = scopeDirective('scope', { ...quiet, enforce }).scopeDirectiveTransformer(handBuiltSchema());

    it('passes assertScopesEnforced', () => {
      expect(() => assertScopesEnforced(schema)).not.toThrow();
    });

    it.each([
      ['every scope', key('posts.read', 'notes.read', 'nodes.read'), '{ posts { id title note } }', { data: { posts: [{ id: 'p1', title: 'Hello', note: 'internal' }] }, codes: [] }],
      ['no principal', {}, '{ posts { title } }', { data: { posts: null }, codes: ['UNAUTHENTICATED posts.read'] }],
      ['an unscoped field', {}, '{ hello }', { data: { hello: 'world' }, codes: [] }],
      ['write but not publish', key('posts.write'), 'mutation { publishPost }', { data: { publishPost: null }, codes: ['FORBIDDEN posts.publish'] }],
    ])('%s', async (_label, context, source, expected) => {
      const result = await graphql({ schema, source, contextValue: context });
      expect({
        data: result.data,
        codes: (result.errors ?? []).map((error) => `${String(error.extensions.code)} ${String(error.extensions.requiredScope)}`),
      }).toEqual(expected);
    });

    it('denies a field whose own extension the caller lacks: null beside data in field mode, the whole operation in operation mode', async () => {
      const result = await graphql({ schema, source: '{ posts { title note } }', contextValue: key('posts.read') });
      expect(result.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
      if (enforce === 'field') {
        expect(result.data).toEqual({ posts: [{ title: 'Hello', note: null }] });
        expect(result.errors?.[0]?.extensions.requiredScope).toBe('notes.read');
      } else {
        expect(result.data).toEqual({ posts: null });
        expect(result.errors?.[0]?.extensions.missingScopes).toEqual(['notes.read']);
      }
    });

    it('feeds checkOperation', () => {
      const document = parse('{ posts { note } }');
      const check = checkOperation({ schema, document, principal: key('posts.read').principal });
      expect(check.denied.map((denied) => `${denied.coordinate} ${denied.requiredScope}`)).toEqual(['Post.note notes.read']);
    });
  });
});

describe('malformed requirements in extensions', () => {
  /** A one-field schema whose `Query.posts` carries `extensions`. */
  function withExtensions(extensions: Record<string, unknown>, typeExtensions?: Record<string, unknown>): GraphQLSchema {
    return new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', extensions: typeExtensions, fields: { posts: { type: GraphQLString, extensions } } }),
    });
  }
  const transform = (schema: GraphQLSchema) => scopeDirective('scope', quiet).scopeDirectiveTransformer(schema);

  class Scope {
    resource = 'posts';
  }

  it.each<[string, unknown]>([
    ['a string', 'posts.read'],
    ['an array', [{ resource: 'posts' }]],
    ['a number', 3],
    ['a class instance', new Scope()],
    ['no resource', {}],
    ['a numeric resource', { resource: 1 }],
    ['a numeric action', { resource: 'posts', action: 3 }],
    ['an unknown key', { resource: 'posts', actoin: 'write' }],
  ])('%s is ERR_INVALID_DIRECTIVE naming the coordinate, as the directive', (_label, value) => {
    expect(() => transform(withExtensions({ scope: value }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ coordinate: 'Query.posts' }) }),
    );
    expect(() => discoverScopes(withExtensions({ scope: value }))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE' }));
  });

  it.each([
    ['a bad resource', { resource: 'Posts' }],
    ['a dotted resource', { resource: 'posts.read' }],
    ['a wildcard action', { resource: 'posts', action: '*' }],
  ])('%s is ERR_INVALID_SCOPE', (_label, value) => {
    expect(() => transform(withExtensions({ scope: value }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_SCOPE', details: expect.objectContaining({ coordinate: 'Query.posts' }) }),
    );
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('%s is no requirement', (_label, value) => {
    expect(collectRequirements(withExtensions({ scope: value })).size).toBe(0);
  });

  it('refuses an extension and a directive on one field, even when they agree', () => {
    const schema = makeExecutableSchema({
      typeDefs: [scopeDirective().scopeDirectiveTypeDefs, 'type Query { posts: String @scope(resource: "posts") }'],
    });
    const field = schema.getQueryType()!.getFields().posts!;
    (field as { extensions: object }).extensions = { scope: { resource: 'posts' } };
    expect(() => transform(schema)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: { coordinate: 'Query.posts', sources: ['directive', 'extension'] } }),
    );
  });

  it('refuses an extension beside a code-first directive in extensions.directives', () => {
    expect(() => transform(withExtensions({ scope: { resource: 'posts' }, directives: { scope: [{ resource: 'posts' }] } }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ sources: ['directive', 'extension'] }) }),
    );
  });

  it('refuses both on a type', () => {
    const schema = makeExecutableSchema({ typeDefs: [scopeDirective().scopeDirectiveTypeDefs, 'type Query @scope(resource: "posts") { posts: String }'] });
    (schema.getQueryType() as { extensions: object }).extensions = { scope: { resource: 'posts' } };
    expect(() => transform(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ coordinate: 'Query' }) }));
  });

  it.each([
    [
      'an argument',
      () =>
        new GraphQLObjectType({
          name: 'Query',
          fields: { posts: { type: GraphQLString, args: { id: { type: GraphQLID, extensions: { scope: { resource: 'posts' } } } } } },
        }),
      'Query.posts(id:)',
      'ARGUMENT_DEFINITION',
    ],
    [
      'an enum value',
      () =>
        new GraphQLObjectType({
          name: 'Query',
          fields: { status: { type: new GraphQLEnumType({ name: 'Status', values: { OPEN: { extensions: { scope: { resource: 'posts' } } } } }) } },
        }),
      'Status.OPEN',
      'ENUM_VALUE',
    ],
    [
      'an input field',
      () =>
        new GraphQLObjectType({
          name: 'Query',
          fields: {
            posts: {
              type: GraphQLString,
              args: { where: { type: new GraphQLInputObjectType({ name: 'Where', fields: { id: { type: GraphQLID, extensions: { scope: { resource: 'posts' } } } } }) } },
            },
          },
        }),
      'Where.id',
      'INPUT_FIELD_DEFINITION',
    ],
  ])('refuses an extension on %s, where it would enforce nothing', (_label, query, coordinate, location) => {
    expect(() => transform(new GraphQLSchema({ query: query() }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: { coordinate, location } }),
    );
  });
});

describe('createScopeDirectiveDefinition', () => {
  it('is the definition scopeDirectiveTypeDefs prints, under any name', () => {
    for (const name of ['scope', 'perm']) {
      const { scopeDirectiveTypeDefs, scopeDirectiveDefinition } = scopeDirective(name);
      const printed = printSchema(new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { a: { type: GraphQLString } } }), directives: [createScopeDirectiveDefinition(name)] }));
      expect(printed).toContain(scopeDirectiveTypeDefs);
      expect(scopeDirectiveDefinition.toConfig()).toEqual(createScopeDirectiveDefinition(name).toConfig());
    }
  });

  it('is accepted by the transformer when a code-first schema declares it', () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { posts: { type: GraphQLString, extensions: { scope: { resource: 'posts' } } } } }),
      directives: [...specifiedDirectives, scopeDirective().scopeDirectiveDefinition],
    });
    expect(collectRequirements(schema).get('Query.posts')?.scope).toBe('posts.read');
  });
});

// Review of issue 19: the extension reads `anyOf` as the directive does, but its public type had no `anyOf`, so a
// typed code-first schema could not write an OR there.
describe('an anyOf in extensions (code-first)', () => {
  const either: ScopeExtension = { anyOf: ['posts.read', 'posts.moderate'] };
  const schema = (enforce: 'field' | 'operation'): GraphQLSchema =>
    scopeDirective('scope', { ...quiet, enforce }).scopeDirectiveTransformer(
      new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { feed: { type: GraphQLString, resolve: () => 'feed', extensions: { scope: either } } } }) }),
    );

  it('requires the same as @scope(anyOf: …)', () => {
    expect(collectRequirements(schema('field')).get('Query.feed')?.allOf).toEqual([['posts.moderate', 'posts.read']]);
  });

  it.each<['field' | 'operation', string[], unknown]>([
    ['field', ['posts.moderate'], { data: { feed: 'feed' } }],
    ['operation', ['posts.*'], { data: { feed: 'feed' } }],
    ['field', ['posts.write'], expect.objectContaining({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] })],
    ['operation', ['posts.write'], expect.objectContaining({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] })],
  ])('is enforced in %s mode for %j', async (enforce, scopes, expected) => {
    await expect(graphql({ schema: schema(enforce), source: '{ feed }', contextValue: key(...scopes) })).resolves.toEqual(expected);
  });
});
