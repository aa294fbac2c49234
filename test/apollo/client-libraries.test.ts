import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeExecutableSchema } from '@graphql-tools/schema';
import * as ApolloClient4 from '@apollo/client';
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import * as ApolloClient3 from 'apollo-client-3/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { type DenialStatusPolicy, partialResultStatusPlugin } from '../../src/apollo';
import { type ScopedContext, createScopedContext } from '../../src/auth/create-scoped-context';
import { scopeDirective } from '../../src/directive/scope-directive';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';

// What an application sees of a denial through the real client libraries, over
// HTTP, under both status policies: the facts behind the README's "Clients" section.

const typeDefs = /* GraphQL */ `
  type Post {
    id: ID!
  }
  type Query {
    posts: [Post!]! @scope(resource: "posts")
    analyticsExport: String @scope(resource: "analytics", action: "export")
  }
  type Mutation {
    createPost(title: String!): Post! @scope(resource: "posts")
  }
`;

function buildSchema() {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  return scopeDirectiveTransformer(
    makeExecutableSchema<ScopedContext>({
      typeDefs: [scopeDirectiveTypeDefs, typeDefs],
      resolvers: {
        Query: { posts: () => [{ id: '1' }], analyticsExport: () => 'id\n1' },
        Mutation: { createPost: () => ({ id: '2' }) },
      },
    }),
  );
}

type Scenario = 'whole denial' | 'partial denial' | 'anonymous' | 'bad credentials';

interface Call {
  readonly operation: string;
  readonly mutation: boolean;
  readonly credential: 'reader' | 'none' | 'bad';
  /** `extensions.code` and `requiredScope` of the one error. */
  readonly error: readonly [string, string | undefined];
  /** What `data` holds: `null` when nothing survived, `undefined` when execution never started. */
  readonly data: Record<string, unknown> | null | undefined;
}

const calls: Record<Scenario, Call> = {
  'whole denial': { operation: 'mutation Create { createPost(title: "x") { id } }', mutation: true, credential: 'reader', error: ['FORBIDDEN', 'posts.write'], data: null },
  'partial denial': {
    operation: 'query Partial { posts { id } analyticsExport }',
    mutation: false,
    credential: 'reader',
    error: ['FORBIDDEN', 'analytics.export'],
    data: { posts: [{ id: '1' }], analyticsExport: null },
  },
  anonymous: { operation: 'query Posts { posts { id } }', mutation: false, credential: 'none', error: ['UNAUTHENTICATED', 'posts.read'], data: null },
  'bad credentials': { operation: 'query Posts { posts { id } }', mutation: false, credential: 'bad', error: ['UNAUTHENTICATED', undefined], data: undefined },
};

/** What the application sees: how the denial arrived, the status when the client exposes it, and the codes it can read. */
interface Seen {
  readonly via: string;
  readonly status?: number;
  readonly data: unknown;
  readonly errors: Array<[unknown, unknown]>;
}

interface ErrorLike {
  readonly extensions?: Readonly<Record<string, unknown>>;
}

const codesOf = (errors: readonly ErrorLike[] | undefined): Array<[unknown, unknown]> =>
  (errors ?? []).map(({ extensions }) => [extensions?.code, extensions?.requiredScope]);

/** Drops `__typename`, which the Apollo caches add. */
const plain = (data: unknown): unknown => (data === undefined ? undefined : JSON.parse(JSON.stringify(data, (key, value: unknown) => (key === '__typename' ? undefined : value))));

type Client = (url: string, call: Call, headers: Record<string, string>) => Promise<Seen>;

const clients: Record<string, Client> = {
  async 'Apollo Client 3'(url, call, headers) {
    const client = new ApolloClient3.ApolloClient({ link: new ApolloClient3.HttpLink({ uri: url, headers }), cache: new ApolloClient3.InMemoryCache() });
    const document = ApolloClient3.gql(call.operation);
    try {
      const result = call.mutation
        ? await client.mutate({ mutation: document, errorPolicy: 'all' })
        : await client.query({ query: document, errorPolicy: 'all' });
      return { via: 'result', data: plain(result.data), errors: codesOf(result.errors) };
    } catch (error) {
      if (!(error instanceof ApolloClient3.ApolloError)) throw error;
      const network = error.networkError as { statusCode?: number; result?: { errors?: ErrorLike[] } } | null;
      expect(error.graphQLErrors).toEqual([]);
      return { via: 'ApolloError.networkError', status: network?.statusCode, data: undefined, errors: codesOf(network?.result?.errors) };
    }
  },

  ...Object.fromEntries(
    [
      ['Apollo Client 4', {}],
      ['Apollo Client 4 (accept: application/json)', { accept: 'application/json' }],
    ].map(([name, extraHeaders]) => [
      name,
      async (url: string, call: Call, headers: Record<string, string>): Promise<Seen> => {
        const client = new ApolloClient4.ApolloClient({ link: new ApolloClient4.HttpLink({ uri: url, headers: { ...headers, ...(extraHeaders as object) } }), cache: new ApolloClient4.InMemoryCache() });
        const document = ApolloClient4.gql(call.operation);
        const { data, error } = call.mutation
          ? await client.mutate({ mutation: document, errorPolicy: 'all' })
          : await client.query({ query: document, errorPolicy: 'all' });
        if (ApolloClient4.CombinedGraphQLErrors.is(error)) return { via: 'CombinedGraphQLErrors', data: plain(data), errors: codesOf(error.errors) };
        if (ApolloClient4.ServerError.is(error)) {
          const body = JSON.parse(error.bodyText) as { errors?: ErrorLike[] };
          return { via: 'ServerError', status: error.statusCode, data: plain(data), errors: codesOf(body.errors) };
        }
        throw new Error(`unexpected Apollo Client 4 outcome: ${String(error)}`);
      },
    ]),
  ) as Record<string, Client>,

  async 'graphql-request 7'(url, call, headers) {
    const client = new GraphQLClient(url, { headers, errorPolicy: 'all' });
    try {
      const { data, errors, status } = await client.rawRequest<Record<string, unknown>>(call.operation);
      return { via: 'result', status, data: plain(data), errors: codesOf(errors) };
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      return { via: 'ClientError', status: error.response.status, data: plain(error.response.data), errors: codesOf(error.response.errors) };
    }
  },

  async urql(url, call, headers) {
    // POST, since Apollo Server's CSRF prevention refuses urql's GET queries.
    const client = new UrqlClient({ url, exchanges: [fetchExchange], fetchOptions: { headers }, preferGetMethod: false, requestPolicy: 'network-only' });
    const result = call.mutation ? await client.mutation(call.operation, {}).toPromise() : await client.query(call.operation, {}).toPromise();
    const status = (result.error?.response as { status?: number } | undefined)?.status;
    return { via: result.error === undefined ? 'result' : 'CombinedError', status, data: plain(result.data), errors: codesOf(result.error?.graphQLErrors) };
  },
};

// What the README's "Clients" section says each client shows, given the HTTP status.
const promised: Record<string, (status: number, call: Call) => Seen> = {
  'Apollo Client 3': (status, call) =>
    status === 200
      ? { via: 'result', data: call.data, errors: [[...call.error]] }
      : { via: 'ApolloError.networkError', status, data: undefined, errors: [[...call.error]] },
  'Apollo Client 4': (_status, call) => ({ via: 'CombinedGraphQLErrors', data: call.data, errors: [[...call.error]] }),
  'Apollo Client 4 (accept: application/json)': (status, call) =>
    status === 200
      ? { via: 'CombinedGraphQLErrors', data: call.data, errors: [[...call.error]] }
      : { via: 'ServerError', status, data: undefined, errors: [[...call.error]] },
  'graphql-request 7': (status, call) => ({ via: status === 200 ? 'result' : 'ClientError', status, data: call.data, errors: [[...call.error]] }),
  urql: (status, call) => ({ via: 'CombinedError', status, data: call.data, errors: [[...call.error]] }),
};

// The HTTP status of each scenario under each policy.
const statuses: Record<DenialStatusPolicy, Record<Scenario, number>> = {
  auto: { 'whole denial': 403, 'partial denial': 200, anonymous: 401, 'bad credentials': 401 },
  200: { 'whole denial': 200, 'partial denial': 200, anonymous: 200, 'bad credentials': 401 },
};

const KEYS = { reader: '' };

describe.each<[DenialStatusPolicy]>([['auto'], [200]])('client libraries against a real server, denialStatus %p', (policy) => {
  let server: ApolloServer<ScopedContext>;
  let url = '';

  beforeAll(async () => {
    const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
    KEYS.reader = (await store.createApiKey({ name: 'reader', scopes: ['posts.read'] })).key;
    server = new ApolloServer<ScopedContext>({ schema: buildSchema(), includeStacktraceInErrorResponses: false, plugins: [partialResultStatusPlugin({ denialStatus: policy })] });
    ({ url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: createScopedContext({ store }) }));
  });
  afterAll(() => server.stop());

  const rows = Object.keys(clients).flatMap((client) => (Object.keys(calls) as Scenario[]).map((scenario) => [client, scenario] as const));

  it.each(rows)('%s: %s', async (client, scenario) => {
    const call = calls[scenario];
    const headers: Record<string, string> =
      call.credential === 'reader' ? { authorization: `Bearer ${KEYS.reader}` } : call.credential === 'bad' ? { authorization: 'Bearer gsp_not_a_key' } : {};
    const raw = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: call.operation }) });
    expect(raw.status).toBe(statuses[policy][scenario]);

    const seen = await (clients[client] as Client)(url, call, headers);
    expect(seen).toEqual((promised[client] as (status: number, call: Call) => Seen)(raw.status, call));
  });
});
