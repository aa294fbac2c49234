import { makeExecutableSchema } from '@graphql-tools/schema';
import { type ExecutionResult, type GraphQLSchema, parse, subscribe } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';

// Issue 19: subscriptions' per-event re-check applies to whole expressions, an OR (`anyOf`) and an AND (the directive repeated).
const typeDefs = /* GraphQL */ `
  type Post {
    id: ID
  }
  type Query {
    hello: String
  }
  type Subscription {
    either: Post @scope(anyOf: ["a.read", "b.read"])
    both: Post @scope(resource: "a") @scope(resource: "b")
  }
`;

function events(field: string) {
  return async function* stream() {
    for (let n = 1; ; n += 1) yield { [field]: { id: `p${n}` } };
  };
}

function buildSchema(enforce: EnforcementMode): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, typeDefs],
      resolvers: { Query: { hello: () => 'hi' }, Subscription: { either: { subscribe: events('either') }, both: { subscribe: events('both') } } },
    }),
  );
}

const describeError = (error: { path?: readonly (string | number)[]; extensions: Record<string, unknown> }) => ({
  path: error.path,
  code: error.extensions.code,
  requiredScope: error.extensions.requiredScope,
  anyOf: error.extensions.anyOf,
  missingScopes: error.extensions.missingScopes,
  missingAnyOf: error.extensions.missingAnyOf,
});

async function start(schema: GraphQLSchema, field: string, principal: Principal, selection = `${field} { id }`): Promise<AsyncGenerator<ExecutionResult>> {
  const result = await subscribe({ schema, document: parse(`subscription { ${selection} }`), contextValue: { principal } });
  if (!(Symbol.asyncIterator in result)) throw new Error(`subscribe refused: ${JSON.stringify(result)}`);
  return result as AsyncGenerator<ExecutionResult>;
}

describe.each<EnforcementMode>(['field', 'operation'])('per-event re-check of an expression (%s mode)', (enforce) => {
  const schema = buildSchema(enforce);

  // A principal whose scopes (a Set the guards read) are narrowed while subscribed: the next event is refused, the stream ends.
  it.each<[string, string, string[], string, number, (mode: EnforcementMode) => Record<string, unknown>]>([
    [
      'anyOf: a principal holding only b keeps receiving events, and is refused FORBIDDEN once it holds neither',
      'either',
      ['b.read'],
      'b.read',
      2,
      (mode) =>
        mode === 'field'
          ? { path: ['either'], code: 'FORBIDDEN', requiredScope: undefined, anyOf: ['a.read', 'b.read'], missingScopes: undefined, missingAnyOf: undefined }
          : // One alternative is enough: none is claimed to be needed.
            { path: ['either'], code: 'FORBIDDEN', requiredScope: undefined, anyOf: undefined, missingScopes: [], missingAnyOf: [['a.read', 'b.read']] },
    ],
    [
      'AND: a principal holding a and b is refused FORBIDDEN once it loses a',
      'both',
      ['a.read', 'b.read'],
      'a.read',
      1,
      (mode) =>
        mode === 'field'
          ? { path: ['both'], code: 'FORBIDDEN', requiredScope: 'a.read', anyOf: undefined, missingScopes: undefined, missingAnyOf: undefined }
          : { path: ['both'], code: 'FORBIDDEN', requiredScope: 'a.read', anyOf: undefined, missingScopes: ['a.read'], missingAnyOf: undefined },
    ],
  ])('%s', async (_label, field, held, lost, delivered, expected) => {
    const scopes = new Set(held);
    const stream = await start(schema, field, { kind: 'apiKey', id: 'k', scopes });
    for (let n = 1; n <= delivered; n += 1) await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { [field]: { id: `p${n}` } } } });
    scopes.delete(lost); // narrowed while subscribed
    const refused = await stream.next();
    expect(refused.done).toBe(false);
    const value = refused.value as ExecutionResult;
    expect(value.data).toEqual({ [field]: null });
    expect(JSON.stringify(value)).not.toContain(`p${delivered + 1}`);
    expect(value.errors?.map(describeError)).toEqual([expected(enforce)]);
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('anyOf: moving from b to a keeps the stream going (any one alternative meets it)', async () => {
    const scopes = new Set(['b.read']);
    const stream = await start(schema, 'either', { kind: 'user', id: 'u', scopes });
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { either: { id: 'p1' } } } });
    scopes.delete('b.read');
    scopes.add('a.*');
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { either: { id: 'p2' } } } });
    await stream.return?.(undefined);
  });

  it('AND: holding only one of the two scopes is refused at subscribe time, before any event', async () => {
    const result = (await subscribe({ schema, document: parse('subscription { both { id } }'), contextValue: { principal: { kind: 'apiKey', id: 'k', scopes: new Set(['b.read']) } } })) as ExecutionResult;
    expect(Symbol.asyncIterator in result).toBe(false);
    expect(result.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
  });
});

/** A key whose credential the test changes: `revalidate` answers what `state.current` says now (as a verifier would). */
function liveKey(scopes: string[]) {
  const state: { current: Principal | null } = { current: null };
  const principal: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(scopes), revalidate: async () => state.current };
  state.current = principal;
  return { principal, state };
}

describe.each<EnforcementMode>(['field', 'operation'])('per-event re-check of an expression, credential re-validated (%s mode)', (enforce) => {
  const schema = buildSchema(enforce);

  it.each<[string, string, string[], string[], Record<string, unknown>]>([
    ['anyOf, b narrowed away', 'either', ['b.read'], ['c.read'], { code: 'FORBIDDEN' }],
    ['AND, a narrowed away', 'both', ['a.read', 'b.read'], ['b.read'], { code: 'FORBIDDEN', requiredScope: 'a.read' }],
  ])('%s: the next event is refused', async (_label, field, before, after, extensions) => {
    const { principal, state } = liveKey(before);
    const stream = await start(schema, field, principal);
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { [field]: { id: 'p1' } } } });
    state.current = { ...principal, scopes: new Set(after) };
    const refused = (await stream.next()).value as ExecutionResult;
    expect(refused.data).toEqual({ [field]: null });
    expect(refused.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining(extensions)]);
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('anyOf, b swapped for a: the stream goes on', async () => {
    const { principal, state } = liveKey(['b.read']);
    const stream = await start(schema, 'either', principal);
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { either: { id: 'p1' } } } });
    state.current = { ...principal, scopes: new Set(['a.read']) };
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { either: { id: 'p2' } } } });
    await stream.return?.(undefined);
  });
});

// Field mode, below a public root field: the per-event judge looked for a clause the subscriber held among the
// operation's sure scopes and choices, which leave out a choice that a sure scope meets. A subscriber lacking `a.read`
// (a partial result) and meeting `a.read | b.read` with `b.read` got no judge, and kept receiving the choice's field,
// judged with its subscribe-time principal, after `b.read` was narrowed away.
describe('field mode: a choice whose alternative is a scope the subscriber lacks elsewhere', () => {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { onWarning: () => undefined });
  const schema = scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [
        scopeDirectiveTypeDefs,
        `type Feed { a: String @scope(resource: "a") either: String @scope(anyOf: ["a.read", "b.read"]) }
         type Query { hello: String }
         type Subscription { feed: Feed }`,
      ],
      resolvers: { Subscription: { feed: { subscribe: events('feed'), resolve: () => ({ a: 'A', either: 'E' }) } } },
    }),
  );

  it('ends the stream once b.read is narrowed away, before delivering the choice’s field', async () => {
    const { principal, state } = liveKey(['b.read']);
    const stream = await start(schema, 'feed', principal, 'feed { a either }');
    const first = (await stream.next()).value as ExecutionResult;
    expect(first.data).toEqual({ feed: { a: null, either: 'E' } });
    expect(first.errors?.map((error) => error.extensions.requiredScope)).toEqual(['a.read']);
    state.current = { ...principal, scopes: new Set(['c.read']) };
    const refused = (await stream.next()).value as ExecutionResult;
    expect(JSON.stringify(refused.data)).not.toContain('"E"');
    expect(refused.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', anyOf: ['a.read', 'b.read'] })]);
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
