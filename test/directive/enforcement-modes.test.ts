import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql, parse, subscribe, type ExecutionResult, type GraphQLError } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import type { Principal } from '../../src/principal/principal';
import { buildLibrarySchema, ITEM_COUNT, key, type SideEffects } from '../operation/library-schema';

const quiet = { onWarning: () => undefined };
const schemas: Record<EnforcementMode, ReturnType<typeof buildLibrarySchema>> = {
  field: buildLibrarySchema({ ...quiet, enforce: 'field' }),
  operation: buildLibrarySchema({ ...quiet, enforce: 'operation' }),
};

const principals = {
  none: undefined,
  stranger: key('misc.read'),
  postsReader: key('posts.read'),
  full: key('posts.read', 'comments.read', 'users.email', 'images.read', 'items.read'),
};
type PrincipalName = keyof typeof principals;

/** [path, code, requiredScope] of each error, in order. */
type ErrorRow = [string, string, string | undefined];
interface Outcome {
  data: unknown;
  errors: ErrorRow[];
}
interface Request {
  variableValues?: Record<string, unknown>;
  operationName?: string;
}

const FORBID = 'FORBIDDEN';
const UNAUTH = 'UNAUTHENTICATED';

function describeError(error: GraphQLError): ErrorRow {
  return [(error.path ?? []).join('.'), String(error.extensions.code), error.extensions.requiredScope as string | undefined];
}

async function run(mode: EnforcementMode, principal: PrincipalName, source: string, request: Request = {}): Promise<Outcome> {
  const result = await graphql({ schema: schemas[mode], source, contextValue: { principal: principals[principal] }, ...request });
  return { data: result.data ?? null, errors: (result.errors ?? []).map(describeError) };
}

const fragments = `
  query Parts { posts { ...PostParts } }
  fragment PostParts on Post { title ... on Post { author { ...UserParts } } }
  fragment UserParts on User { name email }
`;
const include = 'query Me($v: Boolean = false) { hello me @include(if: $v) { email } }';
const twoOperations = 'query Public { hello } query Private { me { email } }';
const union = '{ search { __typename ... on Node { id } ... on Titled { title } } }';

// [case, principal, query, request, field mode, operation mode ('same' where the modes agree)]
const matrix: Array<[string, PrincipalName, string, Request, Outcome, Outcome | 'same']> = [
  ['aliases, allowed', 'postsReader', '{ first: posts { heading: title } }', {}, { data: { first: [{ heading: 'Hello' }] }, errors: [] }, 'same'],
  [
    'aliases, a nested field denied',
    'postsReader',
    '{ p: posts { t: title c: comments { b: body } } }',
    {},
    { data: { p: [{ t: 'Hello', c: [{ b: null }] }] }, errors: [['p.0.c.0.b', FORBID, 'comments.read']] },
    { data: { p: null }, errors: [['p', FORBID, 'comments.read']] },
  ],
  [
    'nested named and inline fragments, denied below',
    'postsReader',
    fragments,
    {},
    { data: { posts: [{ title: 'Hello', author: { name: 'Ada', email: null } }] }, errors: [['posts.0.author.email', FORBID, 'users.email']] },
    { data: { posts: null }, errors: [['posts', FORBID, 'users.email']] },
  ],
  ['nested named and inline fragments, allowed', 'full', fragments, {}, { data: { posts: [{ title: 'Hello', author: { name: 'Ada', email: 'ada@example.com' } }] }, errors: [] }, 'same'],
  [
    'an interface fragment inside a union, denied',
    'stranger',
    union,
    {},
    {
      data: { search: [{ __typename: 'Post', id: null, title: null }, { __typename: 'User', id: 'u1' }, { __typename: 'Comment' }] },
      errors: [['search.0.id', FORBID, 'posts.read'], ['search.0.title', FORBID, 'posts.read']],
    },
    { data: { search: null }, errors: [['search', FORBID, 'posts.read']] },
  ],
  [
    'an interface fragment inside a union, allowed',
    'postsReader',
    union,
    {},
    { data: { search: [{ __typename: 'Post', id: 'p1', title: 'Hello' }, { __typename: 'User', id: 'u1' }, { __typename: 'Comment' }] }, errors: [] },
    'same',
  ],
  [
    'an interface with only one scoped implementation',
    'stranger',
    '{ media { url } }',
    {},
    { data: { media: [{ url: null }, { url: 'v.mp4' }] }, errors: [['media.0.url', FORBID, 'images.read']] },
    { data: { media: null }, errors: [['media', FORBID, 'images.read']] },
  ],
  ['the same interface, narrowed to the unscoped type', 'stranger', '{ media { ... on Video { url } } }', {}, { data: { media: [{}, { url: 'v.mp4' }] }, errors: [] }, 'same'],
  [
    '@include(if: $v) with $v true',
    'stranger',
    include,
    { variableValues: { v: true } },
    { data: { hello: 'world', me: { email: null } }, errors: [['me.email', FORBID, 'users.email']] },
    { data: { hello: null, me: null }, errors: [['hello', FORBID, 'users.email']] },
  ],
  ['@include(if: $v) with $v false', 'stranger', include, { variableValues: { v: false } }, { data: { hello: 'world' }, errors: [] }, 'same'],
  ['@include(if: $v) with $v defaulted (false)', 'stranger', include, {}, { data: { hello: 'world' }, errors: [] }, 'same'],
  ['a multi-operation document, the public operation', 'none', twoOperations, { operationName: 'Public' }, { data: { hello: 'world' }, errors: [] }, 'same'],
  [
    'a multi-operation document, the scoped operation',
    'none',
    twoOperations,
    { operationName: 'Private' },
    { data: { me: { email: null } }, errors: [['me.email', UNAUTH, 'users.email']] },
    { data: { me: null }, errors: [['me', UNAUTH, 'users.email']] },
  ],
  [
    'introspection',
    'none',
    '{ __typename __type(name: "Post") { name } __schema { queryType { name } } }',
    {},
    { data: { __typename: 'Query', __type: { name: 'Post' }, __schema: { queryType: { name: 'Query' } } }, errors: [] },
    'same',
  ],
];

describe('the same operations in field mode and in operation mode', () => {
  it.each(matrix)('%s (%s)', async (_label, principal, source, request, field, operation) => {
    await expect(run('field', principal, source, request)).resolves.toEqual(field);
    await expect(run('operation', principal, source, request)).resolves.toEqual(operation === 'same' ? field : operation);
  });

  it(`a list of ${ITEM_COUNT} items: one check per item in field mode, one per operation in operation mode`, async () => {
    const field = await run('field', 'postsReader', '{ items { n } }');
    expect(field.data).toEqual({ items: Array.from({ length: ITEM_COUNT }, () => ({ n: null })) });
    expect(field.errors).toHaveLength(ITEM_COUNT);
    expect(field.errors[ITEM_COUNT - 1]).toEqual([`items.${ITEM_COUNT - 1}.n`, FORBID, 'items.read']);

    await expect(run('operation', 'postsReader', '{ items { n } }')).resolves.toEqual({ data: { items: null }, errors: [['items', FORBID, 'items.read']] });

    const allowed = { data: { items: Array.from({ length: ITEM_COUNT }, (_, n) => ({ n })) }, errors: [] };
    await expect(run('field', 'full', '{ items { n } }')).resolves.toEqual(allowed);
    await expect(run('operation', 'full', '{ items { n } }')).resolves.toEqual(allowed);
  });
});

describe('operation mode', () => {
  it('refuses the operation with one error listing every missing scope, the first as requiredScope, and every root field null', async () => {
    const result = await graphql({
      schema: schemas.operation,
      source: '{ hello posts { comments { body } author { email } } media { url } }',
      contextValue: { principal: principals.postsReader },
    });
    expect(result.data).toEqual({ hello: null, posts: null, media: null });
    // One error, at the first root field resolved: not one per root field (issue 15, finding 1).
    expect(result.errors?.map((error) => error.path)).toEqual([['hello']]);
    for (const error of result.errors ?? []) {
      expect(error.extensions).toEqual({
        code: FORBID,
        requiredScope: 'comments.read',
        missingScopes: ['comments.read', 'users.email', 'images.read'],
        http: { status: 403 },
      });
    }
  });

  it('answers UNAUTHENTICATED (401) without a principal', async () => {
    const result = await graphql({ schema: schemas.operation, source: '{ posts { id } }', contextValue: {} });
    expect(result.errors?.[0]?.extensions).toEqual({ code: UNAUTH, requiredScope: 'posts.read', missingScopes: ['posts.read'], http: { status: 401 } });
  });

  it('runs the check once per operation, whatever the size of the result', async () => {
    let calls = 0;
    const counting = buildLibrarySchema({ ...quiet, enforce: 'operation', requiredScope: () => ((calls += 1), null) });
    const result = await graphql({ schema: counting, source: '{ hello items { n } posts { id } }', contextValue: { principal: principals.full } });
    expect(result.errors).toBeUndefined();
    expect(calls).toBe(3); // Item.n, Query.posts, Post.id: once per selection, not once per item or per root field
  });

  it('checks again for a new execution that reuses the context with other variables', async () => {
    const contextValue = { principal: principals.stranger };
    const first = await graphql({ schema: schemas.operation, source: include, contextValue, variableValues: { v: false } });
    expect(first.errors).toBeUndefined();
    const second = await graphql({ schema: schemas.operation, source: include, contextValue, variableValues: { v: true } });
    expect(second.errors?.map(describeError)).toEqual([['hello', FORBID, 'users.email']]);
  });

  it('checks with a context that is not an object', async () => {
    const result = await graphql({ schema: schemas.operation, source: '{ hello posts { id } }', contextValue: undefined });
    expect(result.errors?.map(describeError)).toEqual([['hello', UNAUTH, 'posts.read']]);
  });
});

describe('a mutation whose second field is denied', () => {
  const source = 'mutation { createPost(title: "x") { id } deleteUser(id: "u1") }';

  it.each<[EnforcementMode, SideEffects, Outcome]>([
    [
      'field',
      { createPost: 1, deleteUser: 0 },
      { data: { createPost: { id: 'p2' }, deleteUser: null }, errors: [['deleteUser', FORBID, 'users.delete']] },
    ],
    [
      'operation',
      { createPost: 0, deleteUser: 0 },
      { data: { createPost: null, deleteUser: null }, errors: [['createPost', FORBID, 'users.delete']] },
    ],
  ])('%s mode: resolvers run %j', async (mode, ran, outcome) => {
    const effects: SideEffects = { createPost: 0, deleteUser: 0 };
    const schema = buildLibrarySchema({ ...quiet, enforce: mode }, effects);
    const result = await graphql({ schema, source, contextValue: { principal: key('posts.write', 'posts.read') } });
    expect({ data: result.data, errors: (result.errors ?? []).map(describeError) }).toEqual(outcome);
    expect(effects).toEqual(ran);
  });

  it('operation mode runs both when both are allowed', async () => {
    const effects: SideEffects = { createPost: 0, deleteUser: 0 };
    const schema = buildLibrarySchema({ ...quiet, enforce: 'operation' }, effects);
    const result = await graphql({ schema, source, contextValue: { principal: key('posts.write', 'posts.read', 'users.delete') } });
    expect(result).toEqual({ data: { createPost: { id: 'p2' }, deleteUser: true } });
    expect(effects).toEqual({ createPost: 1, deleteUser: 1 });
  });
});

describe.each<EnforcementMode>(['field', 'operation'])('subscriptions in %s mode', (mode) => {
  const subscribeAs = (principal: Principal | undefined, source = 'subscription { postAdded { id title } }') =>
    subscribe({ schema: schemas[mode], document: parse(source), contextValue: { principal } });

  it('checks at subscribe time, before any event', async () => {
    const result = (await subscribeAs(undefined)) as ExecutionResult;
    expect(Symbol.asyncIterator in result).toBe(false);
    expect(result.errors?.map(describeError)).toEqual([['postAdded', UNAUTH, 'posts.read']]);
    const nested = (await subscribeAs(key('posts.read'), 'subscription { postAdded { comments { body } } }')) as ExecutionResult;
    // Field mode finds the nested denial per event; operation mode refuses the subscription itself.
    expect(Symbol.asyncIterator in nested).toBe(mode === 'field');
  });

  it('re-checks each event against the principal’s current scopes', async () => {
    const scopes = new Set(['posts.read']);
    const iterator = (await subscribeAs({ kind: 'apiKey', id: 'k', scopes })) as AsyncGenerator<ExecutionResult>;
    expect((await iterator.next()).value).toEqual({ data: { postAdded: { id: 'p1', title: 'Hello' } } });
    scopes.delete('posts.read'); // revoked while subscribed
    const second = (await iterator.next()).value as ExecutionResult;
    expect(second.data).toEqual({ postAdded: null });
    expect(second.errors?.map(describeError)).toEqual([['postAdded', FORBID, 'posts.read']]);
  });
});

describe.each<EnforcementMode>(['field', 'operation'])('a dynamic requiredScope in %s mode', (mode) => {
  const calls: Array<[string, unknown]> = [];
  const schema = buildLibrarySchema({
    ...quiet,
    enforce: mode,
    requiredScope: ({ coordinate, args, context }) => {
      calls.push([coordinate, args]);
      if (coordinate !== 'Query.org') return null;
      return (context as { broken?: boolean }).broken === true ? 'org.*' : `org-${String(args.id)}.read`;
    },
  });
  const run = (principal: Principal, source: string, extra: Record<string, unknown> = {}) =>
    graphql({ schema, source, contextValue: { principal, ...extra }, variableValues: { id: 'acme' } });

  beforeEach(() => {
    calls.length = 0;
  });

  it('replaces the scope from the coerced arguments', async () => {
    const allowed = await run(key('org-acme.read'), 'query ($id: ID!) { org(id: $id) { name } }');
    expect(allowed).toEqual({ data: { org: { name: 'Org acme' } } });
    const denied = await run(key('org-acme.read'), '{ org(id: "beta") { name } }');
    expect(denied.errors?.map(describeError)).toEqual([['org', FORBID, 'org-beta.read']]);
    // The directive's own scope no longer grants it.
    expect((await run(key('orgs.read'), '{ org(id: "acme") { name } }')).errors?.map(describeError)).toEqual([['org', FORBID, 'org-acme.read']]);
  });

  it(`is evaluated ${mode === 'field' ? 'once per resolved field, so once per list item' : 'once per selection, whatever the size of the result'}`, async () => {
    const result = await run(key('items.read'), '{ items { n } }');
    expect(result.errors).toBeUndefined();
    expect(calls.filter(([coordinate]) => coordinate === 'Item.n')).toHaveLength(mode === 'field' ? ITEM_COUNT : 1);
  });

  it('fails closed with ERR_INVALID_SCOPE when it returns a wildcard', async () => {
    const result = await run(key('*'), '{ hello org(id: "acme") { name } }', { broken: true });
    expect(result.data).toEqual(mode === 'field' ? { hello: 'world', org: null } : { hello: null, org: null });
    expect(result.errors?.map((error) => (error.originalError as { code?: string } | undefined)?.code)).toEqual(['ERR_INVALID_SCOPE']);
  });
});

describe.each<EnforcementMode>(['field', 'operation'])('a subscription field without a subscribe resolver, in %s mode', (mode) => {
  it('is still checked when it subscribes, before the root value’s stream is read', async () => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { ...quiet, enforce: mode });
    const schema = scopeDirectiveTransformer(
      makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, 'type Query { a: String } type Subscription { ticks: Int @scope(resource: "ticks") }'] }),
    );
    let streamsRead = 0;
    const rootValue = {
      get ticks() {
        streamsRead += 1;
        return (async function* ticks() {
          yield { ticks: 1 };
        })();
      },
    };
    const refused = (await subscribe({ schema, document: parse('subscription { ticks }'), rootValue, contextValue: {} })) as ExecutionResult;
    expect(refused.errors?.map(describeError)).toEqual([['ticks', UNAUTH, 'ticks.read']]);
    expect(streamsRead).toBe(0);
    const allowed = await subscribe({ schema, document: parse('subscription { ticks }'), rootValue, contextValue: { principal: key('ticks.read') } });
    expect(Symbol.asyncIterator in allowed).toBe(true);
    expect(streamsRead).toBe(1);
  });
});
