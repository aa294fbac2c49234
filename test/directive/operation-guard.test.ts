import { makeExecutableSchema } from '@graphql-tools/schema';
import { type ExecutionResult, type GraphQLSchema, parse, subscribe } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { Channel } from '../support/channel';

const NOW_MS = Date.parse('2030-01-01T00:00:00Z');

type Event = { postAdded: { id: string; comments: { body: string }[] } };
const event = (id: string): Event => ({ postAdded: { id, comments: [{ body: 'Nice' }] } });

function buildSchema(mode: EnforcementMode, channel: () => Channel<Event>): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: mode });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [
        scopeDirectiveTypeDefs,
        `type Comment @scope(resource: "comments") { body: String }
         type Post { id: ID! comments: [Comment!] }
         type Query { a: String }
         type Subscription { postAdded: Post @scope(resource: "posts") }`,
      ],
      resolvers: { Subscription: { postAdded: { subscribe: () => channel() } } },
    }),
  );
}

/** A principal whose credential the test changes: `revalidate` answers what `current` says now. */
function liveKey(scopes: string[], options: { expiresAtMs?: number } = {}) {
  const state: { current: Principal | null | Error } = { current: null };
  const principal: Principal = {
    kind: 'apiKey',
    id: 'k1',
    scopes: new Set(scopes),
    ...(options.expiresAtMs === undefined ? {} : { expiresAtMs: options.expiresAtMs }),
    revalidate: async () => {
      if (state.current instanceof Error) throw state.current;
      return state.current;
    },
  };
  state.current = principal;
  return { principal, state };
}

const ALL = ['posts.read', 'comments.read'];
const SELECTION = 'subscription { postAdded { id comments { body } } }';

describe.each<EnforcementMode>(['field', 'operation'])('the per-event credential check of a subscription in %s mode', (mode) => {
  let source: Channel<Event>;
  let schema: GraphQLSchema;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW_MS, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    schema = buildSchema(mode, () => {
      source = new Channel<Event>();
      return source;
    });
  });
  afterEach(() => jest.useRealTimers());

  async function open(principal: Principal): Promise<AsyncGenerator<ExecutionResult>> {
    const result = await subscribe({ schema, document: parse(SELECTION), contextValue: { principal } });
    if (!(Symbol.asyncIterator in result)) throw new Error(`subscribe refused: ${JSON.stringify(result)}`);
    return result as AsyncGenerator<ExecutionResult>;
  }

  async function delivered(stream: AsyncGenerator<ExecutionResult>, id: string): Promise<void> {
    source.push(event(id));
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { postAdded: { id, comments: [{ body: 'Nice' }] } } } });
  }

  /** The next event is refused, the stream ends, and its source is closed; returns the last payload's error extensions. */
  async function ended(stream: AsyncGenerator<ExecutionResult>): Promise<Record<string, unknown> | undefined> {
    source.push(event('after'));
    const last = await stream.next();
    expect(last.done).toBe(false);
    expect((last.value as ExecutionResult).data).toEqual({ postAdded: null });
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
    expect(source.returned).toBe(1);
    return (last.value as ExecutionResult).errors?.[0]?.extensions;
  }

  it('ends the stream when the credential is revoked', async () => {
    const { principal, state } = liveKey(ALL);
    const stream = await open(principal);
    await delivered(stream, 'p1');
    state.current = null;
    expect(await ended(stream)).toMatchObject({ code: 'UNAUTHENTICATED', requiredScope: 'posts.read' });
  });

  it('ends the stream when the credential passes its expiry', async () => {
    const { principal } = liveKey(ALL, { expiresAtMs: NOW_MS + 60_000 });
    const stream = await open(principal);
    await delivered(stream, 'p1');
    jest.setSystemTime(NOW_MS + 60_000);
    expect(await ended(stream)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('ends the stream with FORBIDDEN when the root scope is narrowed away', async () => {
    const { principal, state } = liveKey(ALL);
    const stream = await open(principal);
    await delivered(stream, 'p1');
    state.current = { ...principal, scopes: new Set(['comments.read']) };
    const extensions = await ended(stream);
    expect(extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'posts.read' });
    if (mode === 'operation') expect(extensions?.missingScopes).toEqual(['posts.read']);
  });

  it('ends the stream with ERR_STORE_UNAVAILABLE when the credential cannot be re-checked', async () => {
    const { principal, state } = liveKey(ALL);
    const stream = await open(principal);
    await delivered(stream, 'p1');
    state.current = new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'down');
    expect(await ended(stream)).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });

  it('ends the stream when a nested scope is narrowed away (in field mode since review-2 finding R7)', async () => {
    const { principal, state } = liveKey(ALL);
    const stream = await open(principal);
    await delivered(stream, 'p1');
    state.current = { ...principal, scopes: new Set(['posts.read']) };
    // Field mode's guards judge the payload with the principal in the context, which still holds
    // comments.read: the event must not reach them.
    const extensions = await ended(stream);
    expect(extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'comments.read' });
    if (mode === 'operation') expect(extensions?.missingScopes).toEqual(['comments.read']);
  });
});

describe('the per-event credential check of a subscription with a dynamic requiredScope (field mode)', () => {
  it('checks the scope worked out from the arguments at subscribe time, and before every event', async () => {
    jest.useFakeTimers({ now: NOW_MS, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    let source = new Channel<{ orgEvents: string }>();
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', {
      requiredScope: ({ args }) => (typeof args.org === 'string' ? `org-${args.org}.read` : null),
    });
    const schema = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [scopeDirectiveTypeDefs, 'type Query { a: String } type Subscription { orgEvents(org: String!): String @scope(resource: "orgs") }'],
        resolvers: {
          Subscription: {
            orgEvents: {
              subscribe: () => {
                source = new Channel<{ orgEvents: string }>();
                return source;
              },
            },
          },
        },
      }),
    );
    const { principal, state } = liveKey(['org-acme.read']);
    const refused = (await subscribe({ schema, document: parse('subscription { orgEvents(org: "beta") }'), contextValue: { principal } })) as ExecutionResult;
    expect(refused.errors?.map((error) => error.extensions.requiredScope)).toEqual(['org-beta.read']);

    const stream = (await subscribe({ schema, document: parse('subscription { orgEvents(org: "acme") }'), contextValue: { principal } })) as AsyncGenerator<ExecutionResult>;
    source.push({ orgEvents: 'e1' });
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { orgEvents: 'e1' } } });
    state.current = { ...principal, scopes: new Set(['orgs.read']) };
    source.push({ orgEvents: 'e2' });
    const last = (await stream.next()).value as ExecutionResult;
    expect(last.errors?.map((error) => [error.extensions.code, error.extensions.requiredScope])).toEqual([['FORBIDDEN', 'org-acme.read']]);
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
    jest.useRealTimers();
  });
});
