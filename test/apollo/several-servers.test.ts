import { ApolloServer, type BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { operationScopePlugin, scopesEnforcedPlugin } from '../../src/apollo';
import { isApolloInstrumented } from '../../src/directive/apollo-wrapper';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { buildBlogSchema } from '../directive/blog-schema';

// Issue 15, finding 7: Apollo Server wraps every resolver of a schema in place (for
// `willResolveField`) the first time one of its servers executes on it. A second ApolloServer on the
// same schema object then failed to start with ERR_UNGUARDED_FIELDS under scopesEnforcedPlugin or
// operationScopePlugin, though every guard still ran inside Apollo's wrapper.

interface Context extends BaseContext {
  principal?: Principal;
}

const stranger: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(['comments.read']) };
const reader: Principal = { kind: 'apiKey', id: 'k2', scopes: new Set(['posts.read']) };

type PluginSet = [string, () => ConstructorParameters<typeof ApolloServer<Context>>[0]['plugins']];
const pluginSets: PluginSet[] = [
  ['scopesEnforcedPlugin', () => [scopesEnforcedPlugin<Context>()]],
  ["operationScopePlugin({ mode: 'reject' })", () => [operationScopePlugin<Context>({ mode: 'reject' })]],
];

async function started(schema: GraphQLSchema, plugins: PluginSet[1]): Promise<ApolloServer<Context>> {
  const server = new ApolloServer<Context>({ schema, plugins: plugins() });
  await server.start();
  return server;
}

async function codesOf(server: ApolloServer<Context>, principal: Principal): Promise<unknown[]> {
  const response = await server.executeOperation({ query: '{ posts { id } }' }, { contextValue: { principal } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return (response.body.singleResult.errors ?? []).map((error) => error.extensions?.code);
}

describe.each<EnforcementMode>(['field', 'operation'])('several Apollo Servers on one schema, %s mode', (mode) => {
  describe.each(pluginSets)('with %s', (_label, plugins) => {
    it.each([2, 3])('%i servers start one after another, and each enforces the scopes', async (count) => {
      const schema = buildBlogSchema({ enforce: mode });
      const servers: ApolloServer<Context>[] = [];
      try {
        for (let index = 0; index < count; index += 1) {
          const server = await started(schema, plugins);
          servers.push(server);
          expect(await codesOf(server, stranger)).toEqual(['FORBIDDEN']);
          expect(await codesOf(server, reader)).toEqual([]);
          // Apollo has wrapped the schema's resolvers after the first execution.
          expect(isApolloInstrumented(schema)).toBe(true);
        }
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
      }
    });

    it('still refuses a resolver that replaced a guard after Apollo wrapped the schema', async () => {
      const schema = buildBlogSchema({ enforce: mode });
      const first = await started(schema, plugins);
      try {
        expect(await codesOf(first, stranger)).toEqual(['FORBIDDEN']);
        const posts = schema.getQueryType()?.getFields().posts;
        if (posts === undefined) throw new Error('no Query.posts');
        posts.resolve = () => [{ id: 'p1' }];
        await expect(started(schema, plugins)).rejects.toMatchObject({ code: 'ERR_UNGUARDED_FIELDS', details: { coordinates: ['Query.posts'] } });
      } finally {
        await first.stop();
      }
    });

    it('still refuses a resolver that replaced a guard before a server without the check wrapped it', async () => {
      const schema = buildBlogSchema({ enforce: mode });
      const posts = schema.getQueryType()?.getFields().posts;
      if (posts === undefined) throw new Error('no Query.posts');
      posts.resolve = () => [{ id: 'p1' }];
      const unchecked = new ApolloServer<Context>({ schema });
      await unchecked.start();
      try {
        await unchecked.executeOperation({ query: '{ hello }' }, { contextValue: {} });
        expect(isApolloInstrumented(schema)).toBe(true);
        await expect(started(schema, plugins)).rejects.toMatchObject({ code: 'ERR_UNGUARDED_FIELDS', details: { coordinates: ['Query.posts'] } });
      } finally {
        await unchecked.stop();
      }
    });
  });
});
