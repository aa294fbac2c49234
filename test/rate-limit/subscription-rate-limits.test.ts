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
});
