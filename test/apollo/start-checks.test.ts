import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { operationScopePlugin, partialResultStatusPlugin, scopesEnforcedPlugin } from '../../src/apollo';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';

const typeDefs = /* GraphQL */ `
  type Query {
    health: String
    posts: [String] @scope(resource: "posts")
  }
`;
const resolvers = { Query: { health: () => 'ok', posts: () => ['p1'] } };

function untransformed(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: [scopeDirective().scopeDirectiveTypeDefs, typeDefs], resolvers });
}

function transformed(options: ScopeDirectiveOptions): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { onWarning: () => undefined, publicFields: ['Query.health'], ...options });
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers }));
}

/** The schema with `Query.posts`'s guard replaced, as `addResolversToSchema` after the transform would. */
function unguarded(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields().posts;
  if (field !== undefined) field.resolve = () => ['leaked'];
  return schema;
}

const PLUGINS: ReadonlyArray<[string, () => ApolloServerPlugin<BaseContext>]> = [
  ['partialResultStatusPlugin', () => partialResultStatusPlugin()],
  ['operationScopePlugin', () => operationScopePlugin({ mode: 'reject' })],
  ['operationScopePlugin({ assertEnforced: false })', () => operationScopePlugin({ mode: 'reject', assertEnforced: false })],
  ['scopesEnforcedPlugin', () => scopesEnforcedPlugin()],
];

async function start(schema: GraphQLSchema, plugin: ApolloServerPlugin<BaseContext>): Promise<void> {
  const server = new ApolloServer({ schema, plugins: [plugin] });
  try {
    await server.start();
  } finally {
    await server.stop().catch(() => undefined);
  }
}

describe.each(PLUGINS)('%s at start-up', (_name, plugin) => {
  it('refuses a schema that uses @scope but was never transformed', async () => {
    await expect(start(untransformed(), plugin())).rejects.toMatchObject({ code: 'ERR_UNGUARDED_FIELDS', details: { directiveName: 'scope', coordinates: ['Query.posts'] } });
  });

  it('refuses a preset: "strict" schema whose scoped field lost its guard', async () => {
    await expect(start(unguarded(transformed({ preset: 'strict' })), plugin())).rejects.toMatchObject({ code: 'ERR_UNGUARDED_FIELDS', details: { coordinates: ['Query.posts'] } });
  });

  it.each(['strict', 'drf'] as const)('starts on a transformed %s schema', async (preset) => {
    await expect(start(transformed({ preset }), plugin())).resolves.toBeUndefined();
  });
});
