import { makeExecutableSchema } from '@graphql-tools/schema';
import { type GraphQLSchema, graphql } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { Principal } from '../../src/principal/principal';
import { createScopeRateLimits } from '../../src/rate-limit/scope-rate-limits';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';

const typeDefs = /* GraphQL */ `
  interface Node {
    id: ID!
  }
  type Report implements Node {
    id: ID!
    csv: String @scope(resource: "analytics", action: "export")
  }
  type Note implements Node {
    id: ID!
  }
  type Query {
    nodes: [Node!]!
    analyticsExport: String @scope(resource: "analytics", action: "export")
    secret: String @scope(resource: "admin", action: "read")
  }
`;

function buildSchema(mode: EnforcementMode): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: mode, onWarning: () => undefined });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, typeDefs],
      resolvers: {
        Node: { __resolveType: (node: { csv?: string }) => (node.csv === undefined ? 'Note' : 'Report') },
        Query: {
          nodes: () => [{ id: '1', csv: 'a,b' }, { id: '2' }],
          analyticsExport: () => 'csv',
          secret: () => 's',
        },
      },
    }),
  );
}

const exporter: Principal = { kind: 'apiKey', id: 'EXPORTER0001', scopes: new Set(['analytics.export']) };
const wildcard: Principal = { kind: 'apiKey', id: 'WILDCARD0001', scopes: new Set(['*']) };
const legacy: Principal = { kind: 'apiKey', id: 'LEGACYKEY001', scopes: new Set<string>(), unrestricted: true };

// Ways a caller might try to get two operations' worth of a limited scope for one unit ('1/hour').
const attacks: ReadonlyArray<[string, Principal, string, (context: object) => object]> = [
  ['aliases of the limited field', exporter, '{ a: analyticsExport b: analyticsExport }', (context) => context],
  ['a fragment', exporter, 'fragment F on Query { analyticsExport } { ...F }', (context) => context],
  ['an inline fragment on an interface implementation', exporter, '{ nodes { id ... on Report { csv } } }', (context) => context],
  ['a wildcard key', wildcard, '{ analyticsExport }', (context) => context],
  ['a legacy unrestricted key', legacy, '{ analyticsExport }', (context) => context],
  ['a context the application spreads', exporter, '{ analyticsExport }', (context) => ({ ...context, db: {} })],
];

describe.each<EnforcementMode>(['field', 'operation'])('per-scope rate limits against bypass attempts, %s mode', (mode) => {
  const schema = buildSchema(mode);

  it.each(attacks)('%s: the second operation is RATE_LIMITED', async (_label, principal, source, shape) => {
    const limits = createScopeRateLimits({ 'analytics.export': '1/hour' });
    const run = () => graphql({ schema, source, contextValue: shape({ principal, rateLimit: limits?.forRequest(principal) }) });
    const first = await run();
    expect(first.errors).toBeUndefined();
    const second = await run();
    expect(second.errors?.map((error) => error.extensions.code)).toContain('RATE_LIMITED');
    // No limited value is served: neither the export ('csv') nor the report's ('a,b').
    expect(JSON.stringify(second.data ?? null)).not.toMatch(/"(csv|a,b)"(?!:)/);
  });

  it('a refused operation (a missing scope) uses no unit', async () => {
    const limits = createScopeRateLimits({ 'analytics.export': '1/hour' });
    const context = () => ({ principal: exporter, rateLimit: limits?.forRequest(exporter) });
    const refused = await graphql({ schema, source: mode === 'operation' ? '{ analyticsExport secret }' : '{ secret }', contextValue: context() });
    expect(refused.errors?.map((error) => error.extensions.code)).toContain('FORBIDDEN');
    const allowed = await graphql({ schema, source: '{ analyticsExport }', contextValue: context() });
    expect(allowed.errors).toBeUndefined();
  });
});
