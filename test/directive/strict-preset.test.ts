import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, graphql } from 'graphql';
import { assertServableSchema } from '../../src/directive/assert-servable-schema';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode, ScopePreset } from '../../src/requirements/scope-enforcement';

const typeDefs = /* GraphQL */ `
  type Query {
    health: String
    posts: [String] @scope(resource: "posts")
    secret: String @scope(resource: "admin", action: "read")
  }
`;
const resolvers = { Query: { health: () => 'ok', posts: () => ['p1'], secret: () => 's' } };
const quiet = { onWarning: () => undefined };

function build(options: ScopeDirectiveOptions, sdl = typeDefs): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { ...quiet, ...options });
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, sdl], resolvers }));
}

const legacyKey: Principal = { kind: 'apiKey', id: 'AAAAAAAAAAAA', scopes: new Set<string>(), unrestricted: true };
const reader: Principal = { kind: 'apiKey', id: 'BBBBBBBBBBBB', scopes: new Set(['posts.read']) };

async function run(schema: GraphQLSchema, principal: Principal, source: string): Promise<{ data: unknown; codes: unknown[] }> {
  const result = await graphql({ schema, source, contextValue: { principal } });
  return { data: result.data, codes: (result.errors ?? []).map((error) => error.extensions.code) };
}

describe("scopeDirective's preset", () => {
  it('strict refuses a schema with an unscoped root field, naming it, unless it is listed in publicFields', () => {
    expect(() => build({ preset: 'strict' })).toThrow(expect.objectContaining({ code: 'ERR_UNSCOPED_FIELDS', details: { coordinates: ['Query.health'] } }));
    expect(() => build({ preset: 'strict', publicFields: ['Query.health'] })).not.toThrow();
  });

  it('drf (the default) serves unscoped root fields to anyone', async () => {
    for (const options of [{}, { preset: 'drf' as const }]) {
      const schema = build(options);
      await expect(run(schema, { kind: 'anonymous', scopes: new Set() }, '{ health }')).resolves.toEqual({ data: { health: 'ok' }, codes: [] });
    }
  });

  it.each<[ScopePreset, EnforcementMode, unknown, unknown[]]>([
    ['drf', 'field', { posts: ['p1'], secret: 's' }, []],
    ['drf', 'operation', { posts: ['p1'], secret: 's' }, []],
    ['strict', 'field', { posts: null, secret: null }, ['FORBIDDEN', 'FORBIDDEN']],
    // Operation mode reports a refused operation once.
    ['strict', 'operation', { posts: null, secret: null }, ['FORBIDDEN']],
  ])('%s, %s mode: a legacy key without scopes (verifier unscopedKeys "full-access") gets %j', async (preset, enforce, data, codes) => {
    const schema = build({ preset, enforce, publicFields: ['Query.health'] });
    await expect(run(schema, legacyKey, '{ posts secret }')).resolves.toEqual({ data, codes });
  });

  it('strict leaves every other principal as it is', async () => {
    const schema = build({ preset: 'strict', publicFields: ['Query.health'] });
    await expect(run(schema, reader, '{ health posts }')).resolves.toEqual({ data: { health: 'ok', posts: ['p1'] }, codes: [] });
  });

  it('strict also takes a legacy key’s full access away from the credential re-checks of subscriptions', async () => {
    const revalidated: Principal = { ...legacyKey, revalidate: async () => legacyKey };
    const schema = build({ preset: 'strict', publicFields: ['Query.health'] });
    await expect(run(schema, revalidated, '{ posts }')).resolves.toEqual({ data: { posts: null }, codes: ['FORBIDDEN'] });
  });

  it.each([
    ['an unknown preset', { preset: 'lenient' as ScopePreset }],
    ['requireScopes: false with strict', { preset: 'strict' as const, requireScopes: false }],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_label, options) => {
    expect(() => scopeDirective('scope', options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('assertServableSchema', () => {
  it('refuses a schema that uses @scope but was never transformed, naming the fields', () => {
    const { scopeDirectiveTypeDefs } = scopeDirective();
    const untransformed = makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers });
    expect(() => assertServableSchema(untransformed)).toThrow(
      expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS', details: { directiveName: 'scope', coordinates: ['Query.posts', 'Query.secret'] } }),
    );
  });

  it('finds a directive of another name that has the shape of ours', () => {
    const { scopeDirectiveTypeDefs } = scopeDirective('requires');
    const untransformed = makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs.replaceAll('@scope', '@requires')], resolvers });
    expect(() => assertServableSchema(untransformed)).toThrow(expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS', details: expect.objectContaining({ directiveName: 'requires' }) }));
  });

  it('refuses a code-first schema that carries @scope in extensions, without a declared directive, never transformed', () => {
    const codeFirst = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          health: { type: GraphQLString, resolve: () => 'ok' },
          secret: { type: GraphQLString, resolve: () => 's', extensions: { directives: { scope: { resource: 'admin', action: 'read' } } } },
        },
      }),
    });
    expect(() => assertServableSchema(codeFirst)).toThrow(expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS', details: { directiveName: 'scope', coordinates: ['Query.secret'] } }));
    const { scopeDirectiveTransformer } = scopeDirective('scope', quiet);
    expect(() => assertServableSchema(scopeDirectiveTransformer(codeFirst))).not.toThrow();
  });

  it('passes a transformed schema, and a schema without a scope directive', () => {
    expect(() => assertServableSchema(build({}))).not.toThrow();
    expect(() => assertServableSchema(makeExecutableSchema({ typeDefs: 'type Query { health: String }' }))).not.toThrow();
    const other = makeExecutableSchema({ typeDefs: 'directive @auth(requires: String) on FIELD_DEFINITION\ntype Query { health: String @auth(requires: "x") }' });
    expect(() => assertServableSchema(other)).not.toThrow();
  });

  it('checks the guards of a strict schema only: a resolver attached after the transform refuses it', () => {
    const replace = (schema: GraphQLSchema): GraphQLSchema => {
      const field = schema.getQueryType()?.getFields().secret;
      if (field !== undefined) field.resolve = () => 'leaked';
      return schema;
    };
    expect(() => assertServableSchema(replace(build({ preset: 'strict', publicFields: ['Query.health'] })))).toThrow(
      expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS', details: { coordinates: ['Query.secret'] } }),
    );
    expect(() => assertServableSchema(replace(build({ preset: 'drf' })))).not.toThrow(); // scopesEnforcedPlugin catches it there
  });
});
