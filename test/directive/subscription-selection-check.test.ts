import { makeExecutableSchema } from '@graphql-tools/schema';
import { type ExecutionResult, type GraphQLSchema, parse, subscribe } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { Principal } from '../../src/principal/principal';
import { Channel } from '../support/channel';

type Payroll = { id: string; salary: { amount: number } };

/** A key whose credential the test changes: `revalidate` answers what `state.current` says now. */
function liveKey(scopes: string[]) {
  const state: { current: Principal | null } = { current: null };
  const principal: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(scopes), revalidate: async () => state.current };
  state.current = principal;
  return { principal, state };
}

// Field mode, where the nested guards judge each event with the principal in the context (the one
// from subscribe time). The per-event credential check looked only at a scoped root field, so a
// key that lost a nested field's scope kept receiving that field, and under a public root field
// a revoked key kept receiving every scoped field below it, for as long as the stream lived.
describe.each([
  ['a public root field', ''],
  ['a scoped root field', '@scope(resource: "events")'],
])('review-2 finding R7: a field-mode subscription on %s re-checks every scope its selection needs', (_label, rootDirective) => {
  let source: Channel<{ payroll: Payroll }>;
  let schema: GraphQLSchema;
  beforeEach(() => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { onWarning: () => undefined });
    schema = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [
          scopeDirectiveTypeDefs,
          `type Salary { amount: Int @scope(resource: "salaries") }
           type Payroll { id: ID salary: Salary }
           type Query { a: String }
           type Subscription { payroll: Payroll ${rootDirective} }`,
        ],
        resolvers: {
          Subscription: {
            payroll: {
              subscribe: () => {
                source = new Channel();
                return source;
              },
            },
          },
        },
      }),
    );
  });

  const event = (id: string) => ({ payroll: { id, salary: { amount: 5000 } } });

  async function open(principal: Principal): Promise<AsyncGenerator<ExecutionResult>> {
    const result = await subscribe({ schema, document: parse('subscription { payroll { id salary { amount } } }'), contextValue: { principal } });
    if (!(Symbol.asyncIterator in result)) throw new Error(`subscribe refused: ${JSON.stringify(result)}`);
    return result as AsyncGenerator<ExecutionResult>;
  }

  async function next(stream: AsyncGenerator<ExecutionResult>, id: string): Promise<IteratorResult<ExecutionResult>> {
    source.push(event(id));
    return stream.next();
  }

  /** The refused event's payload carries the error and no data; then the stream ends and its source is closed. */
  async function endsWith(stream: AsyncGenerator<ExecutionResult>, extensions: Record<string, unknown>): Promise<void> {
    const last = (await next(stream, 'after')).value as ExecutionResult;
    expect(last.data).toEqual({ payroll: null });
    expect(last.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining(extensions)]);
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
    expect(source.returned).toBe(1);
  }

  it('ends the stream when a nested field’s scope is narrowed away, before delivering that field', async () => {
    const { principal, state } = liveKey(['events.read', 'salaries.read']);
    const stream = await open(principal);
    await expect(next(stream, 'e1')).resolves.toEqual({ done: false, value: { data: event('e1') } });
    state.current = { ...principal, scopes: new Set(['events.read']) };
    await endsWith(stream, { code: 'FORBIDDEN', requiredScope: 'salaries.read' });
  });

  it('ends the stream when the credential is revoked', async () => {
    const { principal, state } = liveKey(['events.read', 'salaries.read']);
    const stream = await open(principal);
    await expect(next(stream, 'e1')).resolves.toEqual({ done: false, value: { data: event('e1') } });
    state.current = null;
    await endsWith(stream, { code: 'UNAUTHENTICATED' });
  });

  it('keeps partial results for a scope the caller never had, and keeps the stream while nothing it had is lost', async () => {
    const { principal, state } = liveKey(['events.read']);
    const stream = await open(principal);
    const first = (await next(stream, 'e1')).value as ExecutionResult;
    expect(first.data).toEqual({ payroll: { id: 'e1', salary: { amount: null } } });
    expect(first.errors?.map((error) => error.extensions.requiredScope)).toEqual(['salaries.read']);
    state.current = { ...principal, scopes: new Set(['events.read', 'other.read']) };
    expect((await next(stream, 'e2')).value?.data).toEqual({ payroll: { id: 'e2', salary: { amount: null } } });
    expect(source.returned).toBe(0);
  });
});

describe('review-2 finding R7: a field-mode subscription whose selection needs no scope', () => {
  it('keeps its stream whatever becomes of the credential', async () => {
    let source = new Channel<{ ticks: number }>();
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { onWarning: () => undefined });
    const schema = scopeDirectiveTransformer(
      makeExecutableSchema({
        typeDefs: [scopeDirectiveTypeDefs, 'type Query { a: String @scope(resource: "a") } type Subscription { ticks: Int }'],
        resolvers: { Subscription: { ticks: { subscribe: () => (source = new Channel()) } } },
      }),
    );
    const { principal, state } = liveKey(['a.read']);
    const stream = (await subscribe({ schema, document: parse('subscription { ticks }'), contextValue: { principal } })) as AsyncGenerator<ExecutionResult>;
    state.current = null;
    source.push({ ticks: 1 });
    await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { ticks: 1 } } });
  });
});
