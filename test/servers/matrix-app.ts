import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { type ScopedContextFunction, type ScopedContextStore, createScopedContext } from '../../src/auth/create-scoped-context';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import type { ScopeStore } from '../../src/store/scope-store';
import { Channel } from '../support/channel';

// The one application every server of the behaviour matrix serves: the same
// SDL, resolvers, store and context function, so that what differs between
// servers is only what the server itself does.

/** The SDL without the directive's definition (see {@link MatrixApp.typeDefs}). */
export const MATRIX_SDL = /* GraphQL */ `
  type Post {
    id: ID!
    title: String!
    secret: String @scope(resource: "secrets")
  }
  type Query {
    hello: String
    posts: [Post!]! @scope(resource: "posts")
    stats: String @scope(resource: "stats")
  }
  type Mutation {
    createPost(title: String!): Post @scope(resource: "posts", action: "write")
  }
  type Subscription {
    postAdded: Post @scope(resource: "posts")
  }
`;

export interface MatrixPost {
  readonly id: string;
  readonly title: string;
  readonly secret: string;
}

/** The first post; `createPost` makes others. */
export const FIRST_POST: MatrixPost = Object.freeze({ id: 'p1', title: 'Hello', secret: 's3cret' });

/** Publishes `postAdded` events to every open subscription. */
export class PostEvents {
  private readonly channels = new Set<Channel<{ postAdded: MatrixPost }>>();

  /** A new subscription's event source. */
  subscribe(): Channel<{ postAdded: MatrixPost }> {
    const channel = new Channel<{ postAdded: MatrixPost }>();
    this.channels.add(channel);
    return channel;
  }

  publish(post: MatrixPost): void {
    for (const channel of this.channels) if (channel.returned === 0) channel.push({ postAdded: post });
  }

  /** Open subscriptions: subscribed and not yet returned. */
  get open(): number {
    return [...this.channels].filter((channel) => channel.returned === 0).length;
  }
}

/** How many times each resolver ran: an attack test asserts that a refused mutation ran none. */
export type ResolverCalls = Record<'hello' | 'posts' | 'stats' | 'createPost' | 'postAdded', number>;

/** A store whose credential lookups fail while `outage.on` is set, as a database that stops answering. */
export interface OutageSwitch {
  on: boolean;
}

/** Which operation check the server adds at its edge: none (the schema's mode alone), or the plugin's `reject`. */
export type EdgeCheck = 'none' | 'reject';

/** Everything a server of the matrix needs; a `StartServer` serves it as its server does. */
export interface MatrixApp {
  /** The schema's enforcement mode. */
  readonly mode: EnforcementMode;
  /** Whether the server also checks whole operations at its edge (`operationScopePlugin`/`useScopedPermissions` `reject`). */
  readonly edgeCheck: EdgeCheck;
  /** The SDL with the `@scope` directive's definition, for servers that build their own schema. */
  readonly typeDefs: string;
  /** The resolvers, for servers that build their own schema; they count their calls in `calls`. */
  readonly resolvers: ReturnType<typeof matrixResolvers>;
  /** The executable schema, transformed by `scopeDirectiveTransformer` in `mode`. */
  readonly schema: GraphQLSchema;
  /** Transforms a schema the server built itself from `typeDefs` and `resolvers`. */
  readonly transform: (schema: GraphQLSchema) => GraphQLSchema;
  /** The store behind `context` (a `MemoryScopeStore` unless the server brings its own). */
  readonly store: ScopeStore;
  /** `createScopedContext` on the store, through the outage switch. */
  readonly context: ScopedContextFunction;
  readonly outage: OutageSwitch;
  readonly events: PostEvents;
  readonly calls: ResolverCalls;
}

function matrixResolvers(events: PostEvents, calls: ResolverCalls) {
  return {
    Query: {
      hello: () => ((calls.hello += 1), 'world'),
      posts: () => ((calls.posts += 1), [FIRST_POST]),
      stats: () => ((calls.stats += 1), '42 posts'),
    },
    Mutation: {
      createPost: (_source: unknown, { title }: { title: string }) => ((calls.createPost += 1), { ...FIRST_POST, id: 'p2', title }),
    },
    Subscription: {
      postAdded: { subscribe: () => ((calls.postAdded += 1), events.subscribe()) },
    },
  };
}

const FAILING: ReadonlySet<PropertyKey> = new Set(['findApiKeyCredential', 'getUserScopes']);

/** The store as `createScopedContext` sees it: lookups reject while the switch is on. */
function behindSwitch(store: ScopedContextStore, outage: OutageSwitch): ScopedContextStore {
  return new Proxy(store, {
    get(target, property) {
      if (outage.on && FAILING.has(property)) return () => Promise.reject(new Error('connection lost'));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Argon2 parameters low enough for tests. */
export const TEST_HASH_OPTIONS = Object.freeze({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** Builds the application for one server and one variant, on `store` (default: a new `MemoryScopeStore`). */
export function createMatrixApp(
  mode: EnforcementMode,
  edgeCheck: EdgeCheck,
  store: ScopeStore = new MemoryScopeStore({ hashOptions: TEST_HASH_OPTIONS }),
  calls: ResolverCalls = { hello: 0, posts: 0, stats: 0, createPost: 0, postAdded: 0 },
): MatrixApp {
  const events = new PostEvents();
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: mode });
  const typeDefs = `${scopeDirectiveTypeDefs}\n${MATRIX_SDL}`;
  const resolvers = matrixResolvers(events, calls);
  const outage: OutageSwitch = { on: false };
  return {
    mode,
    edgeCheck,
    typeDefs,
    resolvers,
    schema: scopeDirectiveTransformer(makeExecutableSchema({ typeDefs, resolvers })),
    transform: scopeDirectiveTransformer,
    store,
    context: createScopedContext({ store: behindSwitch(store, outage) }),
    outage,
    events,
    calls,
  };
}

/** A server of the matrix, listening. */
export interface RunningServer {
  /** The server's name in test titles and in the table of expected differences. */
  readonly name: string;
  /** Where GraphQL requests are POSTed. */
  readonly url: string;
  /** The graphql-ws (`graphql-transport-ws`) endpoint, when the server has one. */
  readonly wsUrl?: string;
  close(): Promise<void>;
}

/** Starts one server of the matrix on port 0, serving `app`. */
export type StartServer = (app: MatrixApp) => Promise<RunningServer>;
