import { addResolversToSchema, makeExecutableSchema, mergeSchemas } from '@graphql-tools/schema';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { graphql, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { assertScopesEnforced } from '../../src/directive/assert-scopes-enforced';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';
import type { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';

const typeDefs = /* GraphQL */ `
  type Post @scope(resource: "posts") {
    id: ID
    title: String
  }
  type Query {
    posts: [Post] @scope(resource: "posts")
    secret: String @scope(resource: "secrets")
    hello: String
  }
  type Mutation {
    createPost(title: String!): Post @scope(resource: "posts")
  }
  type Subscription {
    postAdded: Post @scope(resource: "posts")
  }
`;
const post = { id: 'p1', title: 'Hello' };
const resolvers = {
  Query: { posts: () => [post], secret: () => 's3cret', hello: () => 'world' },
  Mutation: { createPost: () => post },
  Subscription: { postAdded: { subscribe: async function* events() {} } },
};
/** Resolvers an app might attach after the transform. */
const lateResolvers = { Query: { secret: () => 'leaked', posts: () => [post] }, Post: { title: () => 'late title' } };
const reader = { principal: { kind: 'apiKey', id: 'k', scopes: new Set(['posts.read']) } };

function transformed(options: ScopeDirectiveOptions = {}, withResolvers = true): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], ...(withResolvers ? { resolvers } : {}) }));
}

function unguarded(schema: GraphQLSchema): unknown {
  try {
    assertScopesEnforced(schema);
  } catch (error) {
    return { code: (error as ScopedPermissionsError).code, coordinates: (error as ScopedPermissionsError).details?.coordinates };
  }
  return 'enforced';
}

describe.each<EnforcementMode>(['field', 'operation'])('finding 3: guards silently lost after the transform (%s mode)', (enforce) => {
  const allRoots = ['Mutation.createPost', 'Query.hello', 'Query.posts', 'Query.secret', 'Subscription.postAdded'];

  it('accepts a freshly transformed schema, and one that later transforms leave alone', () => {
    expect(unguarded(transformed({ enforce }))).toBe('enforced');
    const renamedDescriptions = mapSchema(transformed({ enforce }), {
      [MapperKind.OBJECT_FIELD]: (config) => ({ ...config, description: 'checked' }),
    });
    expect(unguarded(renamedDescriptions)).toBe('enforced');
  });

  it('detects addResolversToSchema on the transformed schema, which replaces the guards', async () => {
    const attacked = addResolversToSchema({ schema: transformed({ enforce }), resolvers: lateResolvers });
    // The attack works: the late resolver serves the secret without `secrets.read`.
    const leaked = await graphql({ schema: attacked, source: '{ secret }', contextValue: reader });
    expect(leaked).toEqual({ data: { secret: 'leaked' } });
    expect(unguarded(attacked)).toEqual({
      code: 'ERR_UNGUARDED_FIELDS',
      coordinates: enforce === 'field' ? ['Post.title', 'Query.posts', 'Query.secret'] : ['Query.posts', 'Query.secret'],
    });
  });

  it('detects mergeSchemas({ schemas: [transformed], resolvers })', () => {
    const merged = mergeSchemas({ schemas: [transformed({ enforce })], resolvers: lateResolvers });
    expect(unguarded(merged)).toEqual(expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS' }));
  });

  it('detects a resolver-less schema transformed first, its resolvers added afterwards', () => {
    const early = addResolversToSchema({ schema: transformed({ enforce }, false), resolvers });
    const result = unguarded(early) as { code: string; coordinates: string[] };
    expect(result.code).toBe('ERR_UNGUARDED_FIELDS');
    expect(result.coordinates).toEqual(expect.arrayContaining(['Query.posts', 'Query.secret', 'Mutation.createPost', 'Subscription.postAdded']));
  });

  it('detects a guard wrapped by a later middleware: the guard must be outermost (transform last)', () => {
    const logged = applyMiddleware(transformed({ enforce }), async (resolve, parent, args, context, info) => resolve(parent, args, context, info));
    expect(unguarded(logged)).toEqual(expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS' }));
  });

  it('detects a later transform that drops the recorded requirements and mode', () => {
    const schema = transformed({ enforce });
    const dropped = new GraphQLSchema({ ...schema.toConfig(), extensions: {} });
    // The guards are still there, but nothing says what they enforce: every scoped field and every guarded one is listed.
    const scoped = ['Mutation.createPost', 'Post.id', 'Post.title', 'Query.posts', 'Query.secret', 'Subscription.postAdded'];
    expect(unguarded(dropped)).toEqual({ code: 'ERR_UNGUARDED_FIELDS', coordinates: enforce === 'field' ? scoped : [...new Set([...scoped, ...allRoots])].sort() });
  });

  it('detects scoped fields merged in after the transform', () => {
    const merged = mergeSchemas({
      schemas: [transformed({ enforce })],
      typeDefs: 'extend type Query { audit: String @scope(resource: "audit") }',
      resolvers: { Query: { audit: () => 'all the logs' } },
    });
    expect((unguarded(merged) as { coordinates: string[] }).coordinates).toContain('Query.audit');
  });
});

describe('finding 3: guards silently lost after the transform (what each mode guards)', () => {
  it('accepts late resolvers on nested fields in operation mode, where the root check still covers them', async () => {
    const schema = addResolversToSchema({ schema: transformed({ enforce: 'operation' }), resolvers: { Post: { title: () => 'late title' } } });
    expect(unguarded(schema)).toBe('enforced');
    const stranger = { principal: { kind: 'apiKey', id: 'k', scopes: new Set(['misc.read']) } };
    const result = await graphql({ schema, source: '{ hello posts { title } }', contextValue: stranger });
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it('requires a guard on every root field in operation mode, scoped or not', () => {
    const schema = addResolversToSchema({ schema: transformed({ enforce: 'operation' }), resolvers: { Query: { hello: () => 'late' } } });
    expect(unguarded(schema)).toEqual({ code: 'ERR_UNGUARDED_FIELDS', coordinates: ['Query.hello'] });
  });

  it('refuses a schema that was never transformed', () => {
    const plain = makeExecutableSchema({ typeDefs: [scopeDirective().scopeDirectiveTypeDefs, typeDefs], resolvers });
    expect(unguarded(plain)).toEqual({
      code: 'ERR_UNGUARDED_FIELDS',
      coordinates: ['Mutation.createPost', 'Post.id', 'Post.title', 'Query.posts', 'Query.secret', 'Subscription.postAdded'],
    });
    expect(unguarded(makeExecutableSchema({ typeDefs: 'type Query { hello: String }' }))).toEqual({ code: 'ERR_UNGUARDED_FIELDS', coordinates: [] });
  });

  it('checks every directive copy, in its own mode', () => {
    const scope = scopeDirective('scope', { enforce: 'operation' });
    const tenant = scopeDirective('tenantScope');
    const build = () =>
      tenant.scopeDirectiveTransformer(
        scope.scopeDirectiveTransformer(
          makeExecutableSchema({
            typeDefs: [scope.scopeDirectiveTypeDefs, tenant.scopeDirectiveTypeDefs, 'type Query { a: String @scope(resource: "posts") b: String @tenantScope(resource: "tenants") }'],
            resolvers: { Query: { a: () => 'A', b: () => 'B' } },
          }),
        ),
      );
    expect(unguarded(build())).toBe('enforced');
    expect(unguarded(addResolversToSchema({ schema: build(), resolvers: { Query: { b: () => 'late' } } }))).toEqual({
      code: 'ERR_UNGUARDED_FIELDS',
      coordinates: ['Query.b'],
    });
  });
});

describe('finding 3: a schema that declares @scope but applies it nowhere', () => {
  const stitched = () => makeExecutableSchema({ typeDefs: [scopeDirective().scopeDirectiveTypeDefs, 'type Query { hello: String }'] });

  it('is reported through onWarning with ERR_NO_SCOPES', () => {
    const warnings: ScopedPermissionsError[] = [];
    scopeDirective('scope', { onWarning: (warning) => warnings.push(warning) }).scopeDirectiveTransformer(stitched());
    expect(warnings.map((warning) => [warning.name, warning.code, warning.details])).toEqual([['ScopedPermissionsError', 'ERR_NO_SCOPES', { directiveName: 'scope' }]]);
  });

  it('is refused in strict mode', () => {
    expect(() => scopeDirective('scope', { requireScopes: true, publicFields: ['Query.hello'] }).scopeDirectiveTransformer(stitched())).toThrow(
      expect.objectContaining({ code: 'ERR_NO_SCOPES' }),
    );
  });

  it('goes to process.emitWarning by default', () => {
    const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      scopeDirective().scopeDirectiveTransformer(stitched());
      expect(emitted).toHaveBeenCalledWith(expect.stringContaining('@scope'), { type: 'ScopedPermissionsWarning', code: 'ERR_NO_SCOPES' });
    } finally {
      emitted.mockRestore();
    }
  });

  it('is not reported when a field has a requirement', () => {
    const onWarning = jest.fn();
    transformed({ onWarning });
    expect(onWarning).not.toHaveBeenCalled();
  });
});

describe('review-2 finding R8: assertScopesEnforced counts only the guards of the requirements it reads', () => {
  // A guard was recognised by its directive name and mode alone. Two schemas transformed on their
  // own and merged afterwards (a module per team, say) carry guards whose requirements are not
  // the ones recorded on the merged schema: in operation mode a root guard walks the operation
  // with its own schema's requirements only, so a scoped field of the other schema was served
  // below it, while assertScopesEnforced answered that everything was enforced.
  function merged(enforce: EnforcementMode): GraphQLSchema {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce, onWarning: () => undefined });
    const accounts = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [scopeDirectiveTypeDefs, 'type User { id: ID } type Query { me: User @scope(resource: "profile") }'],
        resolvers: { Query: { me: () => ({ id: 'u1', ssn: '078-05-1120' }) } },
      }),
    );
    const payroll = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [scopeDirectiveTypeDefs, 'type User { id: ID ssn: String @scope(resource: "pii") } type Query { user(id: ID!): User @scope(resource: "users") }'],
        resolvers: { Query: { user: () => ({ id: 'u1', ssn: '078-05-1120' }) } },
      }),
    );
    return mergeSchemas({ schemas: [accounts, payroll] });
  }

  it('is a merge that serves the other schema’s scoped field in operation mode', async () => {
    const result = await graphql({ schema: merged('operation'), source: '{ me { id ssn } }', contextValue: { principal: { kind: 'apiKey', id: 'k', scopes: new Set(['profile.read']) } } });
    expect(result.data).toEqual({ me: { id: 'u1', ssn: '078-05-1120' } });
  });

  it.each<EnforcementMode>(['field', 'operation'])('is refused in %s mode: transform the merged schema instead', (enforce) => {
    expect(unguarded(merged(enforce))).toMatchObject({ code: 'ERR_UNGUARDED_FIELDS' });
  });

  it('still accepts a schema transformed twice by the same directive, and one mergeSchemas copies', () => {
    const first = scopeDirective('scope', { enforce: 'operation' });
    const second = scopeDirective('scope');
    const twice = second.scopeDirectiveTransformer(
      first.scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [first.scopeDirectiveTypeDefs, typeDefs], resolvers })),
    );
    expect(unguarded(twice)).toBe('enforced');
    expect(unguarded(mergeSchemas({ schemas: [transformed({ enforce: 'operation' })] }))).toBe('enforced');
  });
});

describe('review-2 finding R7: the per-event guard of every field-mode Subscription root field is checked too', () => {
  it('detects a later subscribe resolver on a public Subscription root field, whose events re-check the fields below it', () => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { onWarning: () => undefined });
    const schema = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [scopeDirectiveTypeDefs, 'type Salary { amount: Int @scope(resource: "salaries") } type Query { a: String } type Subscription { payroll: Salary }'],
        resolvers: { Subscription: { payroll: { subscribe: async function* events() {} } } },
      }),
    );
    expect(unguarded(schema)).toBe('enforced');
    const late = addResolversToSchema({ schema, resolvers: { Subscription: { payroll: { subscribe: async function* late() {} } } } });
    expect(unguarded(late)).toEqual({ code: 'ERR_UNGUARDED_FIELDS', coordinates: ['Subscription.payroll'] });
  });
});

describe.each<EnforcementMode>(['field', 'operation'])('issue 19: expression-guarded fields (%s mode)', (enforce) => {
  const expressionTypeDefs = /* GraphQL */ `
    type Report @scope(anyOf: ["reports.read", "reports.admin"]) {
      body: String
      raw: String @scope(resource: "reports", action: "raw") @scope(resource: "audit")
    }
    type Query {
      report: Report @scope(anyOf: ["reports.read", "reports.admin"]) @scope(resource: "analytics")
      either: String @scope(anyOf: ["a.read", "b.read"])
      both: String @scope(resource: "a") @scope(resource: "b")
      hello: String
    }
  `;
  const expressionResolvers = { Query: { report: () => ({ body: 'B', raw: 'R' }), either: () => 'E', both: () => 'AB', hello: () => 'hi' } };
  const build = (): GraphQLSchema => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce });
    return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, expressionTypeDefs], resolvers: expressionResolvers }));
  };
  const onlyB = { principal: { kind: 'apiKey', id: 'k', scopes: new Set(['b.read']) } };

  it('passes for correctly transformed anyOf, AND and mixed fields, on fields and types', () => {
    expect(unguarded(build())).toBe('enforced');
  });

  it('detects an anyOf field and an AND field whose resolvers were replaced after the transform', async () => {
    const attacked = addResolversToSchema({ schema: build(), resolvers: { Query: { either: () => 'leaked', both: () => 'leaked' } } });
    // The attack works: `both` needs a.read and b.read, yet the late resolver serves it to a holder of b.read alone.
    await expect(graphql({ schema: attacked, source: '{ both }', contextValue: onlyB })).resolves.toEqual({ data: { both: 'leaked' } });
    expect(unguarded(attacked)).toEqual({ code: 'ERR_UNGUARDED_FIELDS', coordinates: ['Query.both', 'Query.either'] });
  });

  it('detects the nested fields of a type-level anyOf, and a repeated directive on a nested field, losing their guards', () => {
    const attacked = addResolversToSchema({ schema: build(), resolvers: { Report: { body: () => 'late', raw: () => 'late' } } });
    // Operation mode guards only root fields, whose check still covers the nested ones.
    expect(unguarded(attacked)).toEqual(enforce === 'field' ? { code: 'ERR_UNGUARDED_FIELDS', coordinates: ['Report.body', 'Report.raw'] } : 'enforced');
  });

  it('detects an expression-scoped field merged in after the transform', () => {
    const merged = mergeSchemas({
      schemas: [build()],
      typeDefs: 'type Query { extra: String @scope(anyOf: ["x.read", "y.read"]) @scope(resource: "z") }',
      resolvers: { Query: { extra: () => 'unguarded' } },
    });
    expect(unguarded(merged)).toEqual({ code: 'ERR_UNGUARDED_FIELDS', coordinates: ['Query.extra'] });
  });
});
