import { makeExecutableSchema } from '@graphql-tools/schema';
import { type ExecutionResult, type GraphQLSchema, parse, subscribe } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { Principal } from '../../src/principal/principal';
import { createScopeRateLimits } from '../../src/rate-limit/scope-rate-limits';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { Channel } from '../support/channel';

const typeDefs = /* GraphQL */ `
  type Tick {
    n: Int
  }
  type Query {
    hello: String
  }
  type Subscription {
    ticks: Tick @scope(resource: "ticks", action: "read")
  }
`;

function buildSchema(mode: EnforcementMode, channels: Array<Channel<{ ticks: { n: number } }>>): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: mode });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, typeDefs],
      resolvers: {
        Subscription: {
          ticks: {
            subscribe: () => {
              const channel = new Channel<{ ticks: { n: number } }>();
              channels.push(channel);
              return channel;
            },
          },
        },
      },
    }),
  );
}

const reader: Principal = { kind: 'apiKey', id: 'AAAAAAAAAAAA', scopes: new Set(['ticks.read']) };

// graphql-ws calls its `context` per subscribe message, but an application may
// build it once per connection (authenticated in onConnect) and hand the same
// object to every subscription of the connection.
describe.each<EnforcementMode>(['field', 'operation'])('per-scope rate limits of subscriptions that share one context, %s mode', (mode) => {
  it('charges each subscription when it starts, and none of its events', async () => {
    const channels: Array<Channel<{ ticks: { n: number } }>> = [];
    const schema = buildSchema(mode, channels);
    const limits = createScopeRateLimits({ 'ticks.read': '2/hour' });
    const contextValue = { principal: reader, rateLimit: limits?.forRequest(reader) };
    const start = () => subscribe({ schema, document: parse('subscription { ticks { n } }'), contextValue });

    const first = (await start()) as AsyncGenerator<ExecutionResult>;
    expect(Symbol.asyncIterator in first).toBe(true);
    for (let n = 0; n < 5; n += 1) {
      channels[0]?.push({ ticks: { n } });
      await expect(first.next()).resolves.toMatchObject({ value: { data: { ticks: { n } } } });
    }
    const second = (await start()) as AsyncGenerator<ExecutionResult>;
    expect(Symbol.asyncIterator in second).toBe(true);
    const third = (await start()) as ExecutionResult;
    expect(third.errors?.map((error) => error.extensions.code)).toEqual(['RATE_LIMITED']);
    await first.return(undefined);
    await second.return(undefined);
  });

  it('lets a refused subscription start again on the same context and document once its window ends', async () => {
    const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
    jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const channels: Array<Channel<{ ticks: { n: number } }>> = [];
      const schema = buildSchema(mode, channels);
      const limits = createScopeRateLimits({ 'ticks.read': '1/minute' });
      // Another connection of the same key uses the minute's unit.
      const elsewhere = (await subscribe({ schema, document: parse('subscription { ticks { n } }'), contextValue: { principal: reader, rateLimit: limits?.forRequest(reader) } })) as AsyncGenerator<ExecutionResult>;
      await elsewhere.return(undefined);

      const contextValue = { principal: reader, rateLimit: limits?.forRequest(reader) };
      const document = parse('subscription { ticks { n } }');
      const start = () => subscribe({ schema, document, contextValue });
      const refused = (await start()) as ExecutionResult;
      expect(refused.errors?.map((error) => error.extensions.code)).toEqual(['RATE_LIMITED']);
      jest.setSystemTime(T0 + 60_000);
      const again = (await start()) as AsyncGenerator<ExecutionResult>;
      expect(Symbol.asyncIterator in again).toBe(true);
      await again.return(undefined);
    } finally {
      jest.useRealTimers();
    }
  });
});
