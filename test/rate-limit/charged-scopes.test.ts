import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { Principal } from '../../src/principal/principal';
import { chargedScopes } from '../../src/rate-limit/charged-scopes';
import { createScopeRateLimits, type RequestRateLimit } from '../../src/rate-limit/scope-rate-limits';

const limited = (...scopes: string[]): RequestRateLimit => ({
  limits: (scope) => scopes.includes(scope),
  limitsAny: (list) => list.some((scope) => scopes.includes(scope)),
  consume: () => Promise.reject(new Error('not called here')),
});
const holding = (...scopes: string[]): Principal => ({ kind: 'apiKey', id: 'k', scopes: new Set(scopes) });

describe('chargedScopes', () => {
  it.each<[string, string[], string[], string[][], Principal, string[]]>([
    ['no choice: the sure scopes', ['a'], ['x.read'], [], holding('x.read'), ['x.read']],
    ['a choice met only by a limited scope uses it', ['a.export'], [], [['a.export', 'b.all']], holding('a.export'), ['a.export']],
    ['a choice the caller can meet without a limit uses nothing', ['a.export'], [], [['a.export', 'b.all']], holding('a.export', 'b.all'), []],
    ['met through the unlimited alternative only: nothing', ['a.export'], [], [['a.export', 'b.all']], holding('b.all'), []],
    ['a wildcard grant holds the limited alternative', ['a.export'], [], [['a.export', 'b.all']], holding('a.*'), ['a.export']],
    ['every alternative limited: the first held, sorted', ['a.export', 'b.all'], [], [['a.export', 'b.all']], holding('b.all', 'a.export'), ['a.export']],
    ['every alternative limited, the second held', ['a.export', 'b.all'], [], [['a.export', 'b.all']], holding('b.all'), ['b.all']],
    ['sure scopes kept, choices added', ['a.export', 'c.read'], ['c.read'], [['a.export', 'b.all']], holding('a.export', 'c.read'), ['c.read', 'a.export']],
    ['an unrestricted key holds the unlimited alternative', ['a.export'], [], [['a.export', 'b.all']], { kind: 'apiKey', id: 'k', scopes: new Set(), unrestricted: true }, []],
  ])('%s', (_case, limits, sure, choices, principal, expected) => {
    expect(chargedScopes(limited(...limits), sure, choices, principal)).toEqual(expected);
  });
});

// A rate limit on a scope that a field names only inside `anyOf` still counts, in both modes, for callers who meet
// the choice with that scope only.
describe.each(['field', 'operation'] as const)('%s mode: a limit on an anyOf alternative', (enforce) => {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce });
  const schema = scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, 'type Query { export: String @scope(anyOf: ["analytics.export", "admin.all"]) other: String }'],
      resolvers: { Query: { export: () => 'x', other: () => 'o' } },
    }),
  );

  it.each<[string, string[], string[]]>([
    ['holding only the limited alternative', ['analytics.export'], ['ok', 'RATE_LIMITED', 'RATE_LIMITED']],
    ['holding the unlimited alternative too', ['analytics.export', 'admin.all'], ['ok', 'ok', 'ok']],
    ['holding only the unlimited alternative', ['admin.all'], ['ok', 'ok', 'ok']],
    ['holding the limited alternative through a wildcard', ['analytics.*'], ['ok', 'RATE_LIMITED', 'RATE_LIMITED']],
  ])('%s', async (_case, scopes, expected) => {
    const limits = createScopeRateLimits({ 'analytics.export': '1/hour' });
    const principal: Principal = { kind: 'apiKey', id: `k-${scopes.join()}`, scopes: new Set(scopes) };
    const codes: string[] = [];
    for (let request = 0; request < 3; request += 1) {
      const result = await graphql({ schema, source: '{ export }', contextValue: { principal, rateLimit: limits?.forRequest(principal) } });
      codes.push(String(result.errors?.[0]?.extensions?.code ?? 'ok'));
    }
    expect(codes).toEqual(expected);
  });
});
