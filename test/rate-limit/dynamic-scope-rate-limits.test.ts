import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { createScopeRateLimits } from '../../src/rate-limit/scope-rate-limits';
it.each(['field', 'operation'] as const)('%s mode: a limit applies to the scope a dynamic requiredScope picks', async (enforce) => {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce, requiredScope: ({ args }) => (args.big ? 'analytics.export' : null) });
  const schema = scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, 'type Query { report(big: Boolean): String @scope(resource: "reports") }'], resolvers: { Query: { report: () => 'r' } } }));
  const principal = { kind: 'apiKey' as const, id: 'k', scopes: new Set(['*']) };
  const limits = createScopeRateLimits({ 'analytics.export': '1/hour' });
  const out = [];
  for (let i = 0; i < 2; i++) {
    const r = await graphql({ schema, source: '{ report(big: true) }', contextValue: { principal, rateLimit: limits?.forRequest(principal) } });
    out.push(r.errors?.[0]?.extensions?.code ?? 'ok');
  }
  expect(out).toEqual(['ok', 'RATE_LIMITED']);
});
