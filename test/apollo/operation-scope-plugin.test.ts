import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { addResolversToSchema } from '@graphql-tools/schema';
import { operationScopePlugin, partialResultStatusPlugin, scopesEnforcedPlugin, type OperationDeniedEvent } from '../../src/apollo';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { buildLibrarySchema, key, type SideEffects } from '../operation/library-schema';

interface Context extends BaseContext {
  principal?: Principal;
}

interface HttpAnswer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
}

const quiet = { onWarning: () => undefined };
const mutation = 'mutation { createPost(title: "x") { id } deleteUser(id: "u1") }';

async function startServer(mode: EnforcementMode, plugins: ApolloServerPlugin<Context>[], effects: SideEffects) {
  let principal: Principal | undefined;
  const server = new ApolloServer<Context>({ schema: buildLibrarySchema({ ...quiet, enforce: mode }, effects), plugins });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: async () => ({ principal }) });
  const post = async (caller: Principal | undefined, query: string, variables?: Record<string, unknown>): Promise<HttpAnswer> => {
    principal = caller;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: (await response.json()) as HttpAnswer['body'] };
  };
  return { server, post };
}

describe.each<EnforcementMode>(['field', 'operation'])('operationScopePlugin({ mode: "reject" }) over a schema in %s mode', (mode) => {
  const effects: SideEffects = { createPost: 0, deleteUser: 0 };
  const denied: OperationDeniedEvent<Context>[] = [];
  let harness: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    harness = await startServer(mode, [operationScopePlugin<Context>({ mode: 'reject', onDenied: (event) => denied.push(event) })], effects);
  });
  afterAll(() => harness.server.stop());
  beforeEach(() => {
    effects.createPost = 0;
    effects.deleteUser = 0;
    denied.length = 0;
  });

  it('answers 403 before execution: no resolver runs, one error lists every missing scope', async () => {
    const answer = await harness.post(key('posts.write', 'posts.read'), mutation);
    expect(answer.status).toBe(403);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', requiredScope: 'users.delete', missingScopes: ['users.delete'] }]);
    expect(effects).toEqual({ createPost: 0, deleteUser: 0 });
    expect(denied.map((event) => [event.operationName, event.check.denied.map((d) => d.coordinate)])).toEqual([[null, ['Mutation.deleteUser']]]);
  });

  it('answers 401 to a caller without credentials', async () => {
    const answer = await harness.post(undefined, 'query Feed { hello posts { title } }');
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(denied[0]?.operationName).toBe('Feed');
  });

  it('lets an allowed operation run', async () => {
    const answer = await harness.post(key('posts.write', 'posts.read', 'users.delete'), mutation);
    expect(answer).toEqual({ status: 200, body: { data: { createPost: { id: 'p2' }, deleteUser: true } } });
    expect(effects).toEqual({ createPost: 1, deleteUser: 1 });
    expect(denied).toEqual([]);
  });

  it('leaves variables that do not coerce to execution, which refuses them before any resolver', async () => {
    const answer = await harness.post(key('posts.write'), 'mutation ($t: String!) { createPost(title: $t) { id } }', { t: 42 });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(effects.createPost).toBe(0);
  });
});

describe('operationScopePlugin({ mode: "report" })', () => {
  const effects: SideEffects = { createPost: 0, deleteUser: 0 };
  const reported: OperationDeniedEvent<Context>[] = [];
  let harness: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    harness = await startServer('field', [operationScopePlugin<Context>({ mode: 'report', onDenied: (event) => reported.push(event) }), partialResultStatusPlugin<Context>()], effects);
  });
  afterAll(() => harness.server.stop());

  it('calls onDenied with what reject would refuse, and lets field mode answer as before', async () => {
    const answer = await harness.post(key('posts.write', 'posts.read'), mutation);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ createPost: { id: 'p2' }, deleteUser: null });
    expect(answer.body.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
    expect(effects.createPost).toBe(1);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.check).toEqual({
      required: ['posts.read', 'posts.write', 'users.delete'],
      denied: [{ path: ['deleteUser'], coordinate: 'Mutation.deleteUser', requiredScope: 'users.delete', code: 'FORBIDDEN' }],
      allowed: false,
    });
    expect(reported[0]?.principal?.scopes.has('posts.write')).toBe(true);
  });

  it('reports nothing for an allowed operation', async () => {
    reported.length = 0;
    await harness.post(key('posts.read'), '{ posts { title } }');
    expect(reported).toEqual([]);
  });
});

describe('operationScopePlugin at start-up and its options', () => {
  it('refuses to start a server whose guards were replaced after the transform (finding 3)', async () => {
    const schema = addResolversToSchema({ schema: buildLibrarySchema(quiet), resolvers: { Query: { posts: () => [] } } });
    const server = new ApolloServer({ schema, plugins: [operationScopePlugin({ mode: 'reject' })] });
    await expect(server.start()).rejects.toMatchObject({ code: 'ERR_UNGUARDED_FIELDS', details: { coordinates: ['Query.posts'] } });
  });

  it('starts with assertEnforced: false, and then still needs a transformed schema', async () => {
    const schema = addResolversToSchema({ schema: buildLibrarySchema(quiet), resolvers: { Query: { posts: () => [] } } });
    const server = new ApolloServer({ schema, plugins: [operationScopePlugin({ mode: 'reject', assertEnforced: false })] });
    await server.start();
    await server.stop();
    const untransformed = makeExecutableSchema({ typeDefs: 'type Query { hello: String }' });
    const refused = new ApolloServer({ schema: untransformed, plugins: [operationScopePlugin({ mode: 'reject', assertEnforced: false })] });
    await expect(refused.start()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });

  it('scopesEnforcedPlugin refuses to start a field-mode server with replaced guards, and starts a sound one', async () => {
    const schema = addResolversToSchema({ schema: buildLibrarySchema(quiet), resolvers: { Post: { title: () => 'late' } } });
    const broken = new ApolloServer({ schema, plugins: [scopesEnforcedPlugin()] });
    await expect(broken.start()).rejects.toMatchObject({ code: 'ERR_UNGUARDED_FIELDS', details: { coordinates: ['Post.title'] } });
    const sound = new ApolloServer({ schema: buildLibrarySchema(quiet), plugins: [scopesEnforcedPlugin()] });
    await sound.start();
    await sound.stop();
  });

  it.each([
    ['an unknown mode', { mode: 'block' }],
    ['report without onDenied', { mode: 'report' }],
    ['an onDenied that is not a function', { mode: 'reject', onDenied: 'log' }],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_label, options) => {
    expect(() => operationScopePlugin(options as unknown as Parameters<typeof operationScopePlugin>[0])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});
