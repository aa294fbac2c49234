import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { addResolversToSchema } from '@graphql-tools/schema';
import { operationScopePlugin, partialResultStatusPlugin, scopesEnforcedPlugin, type OperationDeniedEvent } from '../../src/apollo';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Principal } from '../../src/principal/principal';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';
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

async function startServer(mode: EnforcementMode, plugins: ApolloServerPlugin<Context>[], effects: SideEffects, options: ScopeDirectiveOptions = quiet) {
  let principal: Principal | undefined;
  const server = new ApolloServer<Context>({ schema: buildLibrarySchema({ ...options, enforce: mode }, effects), plugins });
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
      anyOf: [],
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

describe('review-2 finding R9: operationScopePlugin in report mode never changes an answer, and onDenied never replaces a refusal', () => {
  // Report mode is a dry run, yet anything that threw inside the plugin's check (a dynamic
  // requiredScope, a getPrincipal, the walk's limits) or inside onDenied (a logger) turned the
  // request into a 500 carrying that error's text; in reject mode a throwing onDenied replaced
  // the 403 with that 500.
  const failingRequirement = {
    ...quiet,
    requiredScope: ({ args }: { args: Readonly<Record<string, unknown>> }) => {
      if (args.id === 'boom') throw new Error('tenant lookup failed: mongodb://ops:hunter2@db');
      return null;
    },
  };
  // More selections than the walk makes (20,000), cheap to execute.
  const wide = `{ hello ${Array.from({ length: 20_001 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
  const cases: [string, string][] = [
    ['a denied operation', '{ hello posts { title } }'],
    ['a requiredScope that throws', '{ hello org(id: "boom") { name } }'],
    ['a document past the walk’s limits', wide],
  ];
  let warnings: jest.SpyInstance;
  beforeEach(() => {
    warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => warnings.mockRestore());

  async function answers(plugins: ApolloServerPlugin<Context>[]): Promise<HttpAnswer[]> {
    const harness = await startServer('field', plugins, { createPost: 0, deleteUser: 0 }, failingRequirement);
    try {
      const results: HttpAnswer[] = [];
      for (const [, query] of cases) results.push(await harness.post(key('orgs.read', 'users.read'), query));
      return results;
    } finally {
      await harness.server.stop();
    }
  }

  it.each(cases.map(([label], index) => [label, index] as const))('answers %s as the server without the plugin does', async (_label, index) => {
    const throwingLogger = operationScopePlugin<Context>({
      mode: 'report',
      onDenied: () => {
        throw new Error('logger down: token=abc');
      },
    });
    const [withPlugin, withoutPlugin] = [await answers([throwingLogger]), await answers([])];
    expect(withPlugin[index]).toEqual(withoutPlugin[index]);
    expect(JSON.stringify(withPlugin[index])).not.toMatch(/logger down/);
  });

  it('reports a throwing onDenied as a process warning, never to the client', async () => {
    const throwingLogger = operationScopePlugin<Context>({
      mode: 'reject',
      onDenied: () => {
        throw new Error('logger down: token=abc');
      },
    });
    const harness = await startServer('field', [throwingLogger], { createPost: 0, deleteUser: 0 });
    try {
      const answer = await harness.post(key('misc.read'), '{ hello posts { title } }');
      expect(answer.status).toBe(403);
      expect(answer.body.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
      expect(warnings).toHaveBeenCalledWith(expect.objectContaining({ message: 'logger down: token=abc' }));
      expect(JSON.stringify(answer)).not.toMatch(/logger down/);
    } finally {
      await harness.server.stop();
    }
  });
});
