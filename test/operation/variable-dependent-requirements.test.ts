import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { checkOperation } from '../../src/operation/check-operation';
import { explainOperation } from '../../src/operation/explain-operation';
import type { Principal } from '../../src/principal/principal';

// Issue 15, finding 6: without the variables, checkOperation used to judge a
// dynamic requirement with the argument's default and answer `allowed: true`
// for an operation that execution then refuses.
function build(dynamic: boolean) {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', {
    ...(dynamic ? { requiredScope: ({ args }: { args: Readonly<Record<string, unknown>> }) => (args.org === 'root' ? 'reports.admin' : null) } : {}),
  });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [
        scopeDirectiveTypeDefs,
        /* GraphQL */ `
          interface Node { id: ID! }
          type Report implements Node { id: ID! rows(org: ID): Int @scope(resource: "rows") }
          type Query {
            orgReports(org: ID = "acme"): [Report!]! @scope(resource: "reports")
            node(id: ID!): Node
            health(echo: String): String
          }
        `,
      ],
      resolvers: { Node: { __resolveType: () => 'Report' } },
    }),
  );
}

const reader: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(['reports.read', 'rows.read']) };

describe('checkOperation without variables, under a dynamic requiredScope', () => {
  const schema = build(true);

  it.each([
    ['a variable argument of a scoped field', 'query ($org: ID) { orgReports(org: $org) { id } }', ['Query.orgReports']],
    ['variables read by a scoped field and a nested one', 'query ($org: ID) { orgReports(org: $org) { id rows(org: $org) } }', ['Query.orgReports', 'Report.rows']],
    ['a variable in a fragment on an interface', 'query ($org: ID) { node(id: "1") { ...R } } fragment R on Node { ... on Report { rows(org: $org) } }', ['Report.rows']],
  ])('is never allowed when %s decides the requirement: %s', (_label, query, undetermined) => {
    const check = checkOperation({ schema, document: parse(query), principal: reader });
    expect(check).toMatchObject({ allowed: false, undetermined });
    // With the variables, the answer is known: what execution does.
    expect(checkOperation({ schema, document: parse(query), principal: reader, variableValues: { org: 'acme' } })).toMatchObject({ allowed: true });
    expect(checkOperation({ schema, document: parse(query), principal: reader, variableValues: { org: 'root' } }).allowed).toBe(false);
    expect(checkOperation({ schema, document: parse(query), principal: reader, variableValues: { org: 'acme' } })).not.toHaveProperty('undetermined');
  });

  it.each([
    ['literal arguments', '{ orgReports(org: "acme") { id } }'],
    ['variables only on unscoped fields', 'query ($echo: String) { health(echo: $echo) orgReports { id } }'],
  ])('answers as before with %s', (_label, query) => {
    const check = checkOperation({ schema, document: parse(query), principal: reader });
    expect(check).toMatchObject({ allowed: true });
    expect(check).not.toHaveProperty('undetermined');
  });

  it('leaves schemas without a dynamic requiredScope as they were', () => {
    const check = checkOperation({ schema: build(false), document: parse('query ($org: ID) { orgReports(org: $org) { id } }'), principal: reader });
    expect(check.allowed).toBe(true);
    expect(check).not.toHaveProperty('undetermined');
  });

  it('explainOperation names the same selections', () => {
    expect(explainOperation({ schema, document: parse('query ($org: ID) { orgReports(org: $org) { id } }') })).toMatchObject({ undetermined: ['Query.orgReports'] });
    expect(explainOperation({ schema, document: parse('{ orgReports(org: "x") { id } }') })).not.toHaveProperty('undetermined');
  });
});

// Review of issue 19: an expression is static (the hook is never asked for it), yet a variable argument of a field
// with an expression made the operation undetermined, so checkOperation without variables refused it.
describe('an expression field with a variable argument, under a dynamic requiredScope', () => {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { requiredScope: () => 'reports.admin' });
  const schema = scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [
        scopeDirectiveTypeDefs,
        `type Query {
           either(org: ID): Int @scope(anyOf: ["reports.read", "reports.audit"])
           both(org: ID): Int @scope(resource: "reports") @scope(resource: "rows")
         }`,
      ],
    }),
  );

  it.each([
    ['anyOf', 'query ($org: ID) { either(org: $org) }', ['reports.audit']],
    ['a repeated directive', 'query ($org: ID) { both(org: $org) }', ['reports.read', 'rows.read']],
  ])('is decided without the variables for %s', (_label, query, scopes) => {
    const principal: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(scopes) };
    const check = checkOperation({ schema, document: parse(query), principal });
    expect(check).toMatchObject({ allowed: true });
    expect(check).not.toHaveProperty('undetermined');
    expect(explainOperation({ schema, document: parse(query) })).not.toHaveProperty('undetermined');
  });
});
