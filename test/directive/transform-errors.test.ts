import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLSchema, buildSchema, graphql } from 'graphql';
import { discoverScopes } from '../../src/scopes/discover-scopes';
import type { Principal } from '../../src/principal/principal';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';

function transform(typeDefs: string, options?: ScopeDirectiveOptions) {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs] }));
}

describe('transform-time errors', () => {
  it.each([
    ['a bad resource name', 'type Query { posts: String @scope(resource: "Posts") }', 'Query.posts'],
    ['a resource with a dot', 'type Query { posts: String @scope(resource: "posts.read") }', 'Query.posts'],
    ['an empty resource', 'type Query { posts: String @scope(resource: "") }', 'Query.posts'],
    ['a bad action', 'type Mutation { publishPost: String @scope(resource: "posts", action: "Publish!") } type Query { a: String }', 'Mutation.publishPost'],
    ['a wildcard action', 'type Mutation { publishPost: String @scope(resource: "posts", action: "*") } type Query { a: String }', 'Mutation.publishPost'],
    ['a bad name on a type', 'type Query @scope(resource: "9lives") { posts: String }', 'Query.posts'],
  ])('%s is ERR_INVALID_SCOPE naming the coordinate', (_label, typeDefs, coordinate) => {
    expect(() => transform(typeDefs)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE', details: expect.objectContaining({ coordinate }) }));
  });

  it('rejects an unknown directive argument with ERR_INVALID_DIRECTIVE', () => {
    // graphql refuses unknown arguments in SDL it validates, so declare a wider directive by hand.
    const schema = buildSchema(`
      directive @scope(resource: String!, action: String, level: Int) on OBJECT | INTERFACE | FIELD_DEFINITION
      type Query { posts: String @scope(resource: "posts", level: 3) }
    `);
    expect(() => scopeDirective().scopeDirectiveTransformer(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE' }));
  });

  it('rejects unknown arguments carried in extensions (code-first schemas)', () => {
    const schema = buildSchema('type Query { posts: String }');
    const field = schema.getQueryType()!.getFields().posts!;
    (field as { extensions: object }).extensions = { directives: { scope: [{ resource: 'posts', actoin: 'write' }] } };
    expect(() => scopeDirective().scopeDirectiveTransformer(schema)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: { coordinate: 'Query.posts' } }),
    );
  });

  it('rejects a directive declared with other argument types', () => {
    const schema = buildSchema(`
      directive @scope(resource: String, action: String) on FIELD_DEFINITION
      type Query { posts: String @scope(resource: "posts") }
    `);
    expect(() => scopeDirective().scopeDirectiveTransformer(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE' }));
  });

  it('rejects a field that inherits different scopes from two interfaces', () => {
    const typeDefs = `
      interface A { title: String @scope(resource: "a") }
      interface B { title: String @scope(resource: "b") }
      type Both implements A & B { title: String }
      type Query { both: Both }
    `;
    expect(() => transform(typeDefs)).toThrow(expect.objectContaining({ code: 'ERR_CONFLICTING_SCOPES', details: expect.objectContaining({ coordinate: 'Both.title' }) }));
    // a directive on the implementing type is less specific than the interfaces' field directives: still a conflict
    expect(() => transform(typeDefs.replace('type Both implements A & B {', 'type Both implements A & B @scope(resource: "both") {'))).toThrow(
      expect.objectContaining({ code: 'ERR_CONFLICTING_SCOPES' }),
    );
    // the field's own directive settles it
    expect(() => transform(typeDefs.replace('type Both implements A & B { title: String }', 'type Both implements A & B { title: String @scope(resource: "both") }'))).not.toThrow();
  });

  it('rejects an invalid directive name', () => {
    expect(() => scopeDirective('not-a-name')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe.each(['field', 'operation'] as const)('strict mode (requireScopes) in %s mode', (enforce) => {
  const typeDefs = `
    type Query { posts: String @scope(resource: "posts") me: String health: String }
    type Mutation { createPost: String @scope(resource: "posts") ping: String }
    type Subscription { ticks: Int }
    type Post { title: String }
  `;

  it('throws ERR_UNSCOPED_FIELDS listing every unscoped root field', () => {
    expect(() => transform(typeDefs, { requireScopes: true, enforce })).toThrow(
      expect.objectContaining({
        code: 'ERR_UNSCOPED_FIELDS',
        details: { coordinates: ['Query.me', 'Query.health', 'Mutation.ping', 'Subscription.ticks'] },
      }),
    );
  });

  it('accepts fields listed as public, and root types with a type-level directive', () => {
    expect(() =>
      transform(typeDefs.replace('type Subscription', 'type Subscription @scope(resource: "ticks")'), {
        requireScopes: true,
        enforce,
        publicFields: ['Query.me', 'Query.health', 'Mutation.ping'],
      }),
    ).not.toThrow();
  });

  it('is off by default', () => {
    expect(() => transform(typeDefs, { enforce })).not.toThrow();
  });

  it('throws ERR_NO_SCOPES when no field ends up with a requirement, even with every root field public', () => {
    const unscoped = 'type Query { me: String } type Post { title: String }';
    expect(() => transform(unscoped, { requireScopes: true, enforce, publicFields: ['Query.me'] })).toThrow(
      expect.objectContaining({ code: 'ERR_NO_SCOPES', details: { directiveName: 'scope' } }),
    );
  });
});

describe('default actions', () => {
  const typeDefs = `
    type Query { a: String }
    type Mutation @scope(resource: "posts") {
      createPost: String
      deletePost: String
      remove_post: String
      destroy: String
      deleted: String
      archivePost: String
      removablePost: String
    }
  `;
  const resolvers = {
    Mutation: Object.fromEntries(['createPost', 'deletePost', 'remove_post', 'destroy', 'deleted', 'archivePost', 'removablePost'].map((name) => [name, () => 'ok'])),
  };

  async function requiredScopeOf(field: string, options?: ScopeDirectiveOptions): Promise<unknown> {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
    const schema = scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers }));
    const principal: Principal = { kind: 'apiKey', scopes: new Set() };
    const result = await graphql({ schema, source: `mutation { ${field} }`, contextValue: { principal } });
    return result.errors?.[0]?.extensions.requiredScope;
  }

  it.each([
    ['createPost', 'posts.write'],
    ['deletePost', 'posts.delete'],
    ['remove_post', 'posts.delete'],
    ['destroy', 'posts.delete'],
    ['deleted', 'posts.write'],
    ['archivePost', 'posts.write'],
    ['removablePost', 'posts.write'],
  ])('Mutation.%s needs %s', async (field, scope) => {
    await expect(requiredScopeOf(field)).resolves.toBe(scope);
  });

  it('takes configurable delete verbs', async () => {
    await expect(requiredScopeOf('archivePost', { deleteVerbs: ['archive'] })).resolves.toBe('posts.delete');
    await expect(requiredScopeOf('deletePost', { deleteVerbs: ['archive'] })).resolves.toBe('posts.write');
  });
});

describe('finding 4: a deleting mutation needs delete wherever its delete verb stands', () => {
  const names: Array<[string, string]> = [
    ['deletePost', 'posts.delete'],
    ['postDelete', 'posts.delete'],
    ['bulkDeletePosts', 'posts.delete'],
    ['DeletePost', 'posts.delete'],
    ['POST_DELETE', 'posts.delete'],
    ['post_delete', 'posts.delete'],
    ['softDelete', 'posts.delete'],
    ['removeAllComments', 'posts.delete'],
    ['commentsRemove', 'posts.delete'],
    ['destroy_everything', 'posts.delete'],
    ['HTTPDeleteRequest', 'posts.delete'],
    ['deletePost2', 'posts.delete'],
    ['deleted', 'posts.write'],
    ['deletedPosts', 'posts.write'],
    ['undelete', 'posts.write'],
    ['undeletePost', 'posts.write'],
    ['removablePost', 'posts.write'],
    ['destroyer', 'posts.write'],
    ['createPost', 'posts.write'],
  ];
  const typeDefs = `type Query { a: String } type Mutation @scope(resource: "posts") { ${names.map(([name]) => `${name}: String`).join(' ')} }`;
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  const schema = scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs] }));

  it.each(names)('Mutation.%s needs %s', async (name, scope) => {
    const principal: Principal = { kind: 'apiKey', scopes: new Set(['posts.write']) };
    const result = await graphql({ schema, source: `mutation { ${name} }`, rootValue: { [name]: 'done' }, contextValue: { principal } });
    if (scope === 'posts.write') expect(result).toEqual({ data: { [name]: 'done' } });
    else expect(result.errors?.map((error) => error.extensions.requiredScope)).toEqual([scope]);
  });

  it('shows the inferred action of each coordinate in discoverScopes', () => {
    const fields = discoverScopes(schema).resources[0]!.scopes.flatMap((scope) => scope.fields ?? []);
    expect(fields.find((field) => field.coordinate === 'Mutation.postDelete')).toEqual({ coordinate: 'Mutation.postDelete', action: 'delete', actionSource: 'delete-verb' });
    expect(fields.find((field) => field.coordinate === 'Mutation.undelete')).toEqual({ coordinate: 'Mutation.undelete', action: 'write', actionSource: 'default-write' });
  });

  it('matches configured verbs as words too, multi-word ones in a row', async () => {
    const deleteVerbs = ['purge', 'hardDelete'];
    const custom = scopeDirective('scope', { deleteVerbs });
    const customSchema = custom.scopeDirectiveTransformer(
      makeExecutableSchema({ typeDefs: [custom.scopeDirectiveTypeDefs, 'type Query { a: String } type Mutation @scope(resource: "posts") { postsPurge: String hard_delete_post: String deletePost: String hardPost: String }'] }),
    );
    const actions = Object.fromEntries(discoverScopes(customSchema, { deleteVerbs }).resources[0]!.scopes.flatMap((scope) => (scope.fields ?? []).map((field) => [field.coordinate, field.action])));
    expect(actions).toEqual({ 'Mutation.postsPurge': 'delete', 'Mutation.hard_delete_post': 'delete', 'Mutation.deletePost': 'write', 'Mutation.hardPost': 'write' });
  });

  it('refuses a delete verb with no word in it', () => {
    expect(() => transform('type Query { a: String }', { deleteVerbs: ['__'] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('finding 5: the most specific directive wins', () => {
  const interfaces = `
    interface HasBalance { balance: Int @scope(resource: "finance") owner: String }
    interface Named @scope(resource: "directory") { name: String owner: String }
  `;
  const requirementsOf = (typeDefs: string) => {
    const { scopeDirectiveTypeDefs } = scopeDirective();
    const catalog = discoverScopes(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, interfaces, typeDefs, 'type Query { a: String }'] }));
    return Object.fromEntries(catalog.resources.flatMap((resource) => resource.scopes.flatMap((scope) => scope.coordinates.map((coordinate) => [coordinate, scope.scope]))));
  };

  it.each<[string, string, Record<string, string>]>([
    ['the field’s own directive beats everything', 'type Account implements HasBalance & Named @scope(resource: "users") { balance: Int @scope(resource: "ledger") name: String owner: String }', { 'Account.balance': 'ledger.read' }],
    ['an interface field’s directive beats the type’s', 'type Account implements HasBalance & Named @scope(resource: "users") { balance: Int name: String owner: String }', { 'Account.balance': 'finance.read' }],
    ['the type’s directive beats an interface type’s', 'type Account implements HasBalance & Named @scope(resource: "users") { balance: Int name: String owner: String }', { 'Account.name': 'users.read', 'Account.owner': 'users.read' }],
    ['an interface type’s directive applies last', 'type Account implements HasBalance & Named { balance: Int name: String owner: String }', { 'Account.name': 'directory.read', 'Account.owner': 'directory.read', 'Account.balance': 'finance.read' }],
  ])('%s', (_label, typeDefs, expected) => {
    expect(requirementsOf(typeDefs)).toMatchObject(expected);
  });

  it('a broad type directive no longer hands a specific interface field to its holders (users.read cannot read balances)', async () => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
    const schema = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [scopeDirectiveTypeDefs, interfaces, 'type Account implements HasBalance & Named @scope(resource: "users") { balance: Int name: String owner: String } type Query { account: Account }'],
        resolvers: { Query: { account: () => ({ balance: 1000, name: 'Ada', owner: 'Ada' }) } },
      }),
    );
    const asKey = (...scopes: string[]) => ({ principal: { kind: 'apiKey', scopes: new Set(scopes) } as Principal });
    const usersOnly = await graphql({ schema, source: '{ account { name balance } }', contextValue: asKey('users.read') });
    expect(usersOnly.data).toEqual({ account: { name: 'Ada', balance: null } });
    expect(usersOnly.errors?.map((error) => error.extensions.requiredScope)).toEqual(['finance.read']);
    const both = await graphql({ schema, source: '{ account { name balance } }', contextValue: asKey('users.read', 'finance.read') });
    expect(both).toEqual({ data: { account: { name: 'Ada', balance: 1000 } } });
  });
});

describe('finding 9: @scope where it would enforce nothing is refused', () => {
  it.each([
    ['ARGUMENT_DEFINITION', 'ARGUMENT_DEFINITION', 'type Query { posts(id: ID @scope(resource: "posts")): String }', 'Query.posts(id:)'],
    ['ENUM_VALUE', 'ENUM_VALUE', 'enum Color { RED @scope(resource: "colors") BLUE } type Query { color: Color }', 'Color.RED'],
    ['ENUM', 'ENUM', 'enum Color @scope(resource: "colors") { RED } type Query { color: Color }', 'Color'],
    ['UNION', 'UNION', 'type A { a: String } union U @scope(resource: "u") = A type Query { u: U }', 'U'],
    ['SCALAR', 'SCALAR', 'scalar Money @scope(resource: "finance") type Query { m: Money }', 'Money'],
    ['SCHEMA', 'SCHEMA', 'schema @scope(resource: "all") { query: Query } type Query { a: String }', 'schema'],
    ['INPUT_OBJECT', 'INPUT_OBJECT', 'input In @scope(resource: "in") { a: String } type Query { q(i: In): String }', 'In'],
    ['INPUT_FIELD_DEFINITION', 'INPUT_FIELD_DEFINITION', 'input In { a: String @scope(resource: "in") } type Query { q(i: In): String }', 'In.a'],
  ])('a use on %s is ERR_INVALID_DIRECTIVE naming the coordinate', (_label, location, typeDefs, coordinate) => {
    const wide = `directive @scope(resource: String!, action: String) on OBJECT | INTERFACE | FIELD_DEFINITION | ${location}`;
    const schema = buildSchema(`${wide}\n${typeDefs}`);
    // The definition alone is refused first; without it (code-first, stitched), the use itself is.
    expect(() => scopeDirective().scopeDirectiveTransformer(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ coordinate: '@scope', locations: [location] }) }));
    const withoutDefinition = new GraphQLSchema({ ...schema.toConfig(), directives: schema.getDirectives().filter((directive) => directive.name !== 'scope') });
    expect(() => scopeDirective().scopeDirectiveTransformer(withoutDefinition)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ coordinate, location }) }));
  });

  it('refuses a use carried in extensions on an argument (code-first schemas)', () => {
    const schema = buildSchema('type Query { posts(id: ID): String }');
    const arg = schema.getQueryType()!.getFields().posts!.args[0]!;
    (arg as { extensions: object }).extensions = { directives: { scope: [{ resource: 'posts' }] } };
    expect(() => scopeDirective().scopeDirectiveTransformer(schema)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE', details: expect.objectContaining({ coordinate: 'Query.posts(id:)' }) }));
  });

  it('accepts a definition on a subset of the supported locations, and the usual uses', () => {
    const schema = buildSchema(`
      directive @scope(resource: String!, action: String) on FIELD_DEFINITION
      enum Color { RED }
      type Query { posts(color: Color): String @scope(resource: "posts") }
    `);
    expect(() => scopeDirective().scopeDirectiveTransformer(schema)).not.toThrow();
  });
});

describe('two directive copies coexist', () => {
  it('enforces both names independently', async () => {
    const scope = scopeDirective();
    const tenant = scopeDirective('tenantScope');
    const schema = tenant.scopeDirectiveTransformer(
      scope.scopeDirectiveTransformer(
        makeExecutableSchema({
          typeDefs: [scope.scopeDirectiveTypeDefs, tenant.scopeDirectiveTypeDefs, 'type Query { a: String @scope(resource: "posts") b: String @tenantScope(resource: "tenants") }'],
          resolvers: { Query: { a: () => 'A', b: () => 'B' } },
        }),
      ),
    );
    const result = await graphql({ schema, source: '{ a b }', contextValue: { principal: { kind: 'apiKey', scopes: new Set(['posts.read']) } } });
    expect(result.data).toEqual({ a: 'A', b: null });
    expect(result.errors?.map((error) => error.extensions.requiredScope)).toEqual(['tenants.read']);
  });
});
