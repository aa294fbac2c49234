import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';

/**
 * The SDL of the expression tests: an OR (`anyOf`), an AND (the directive
 * repeated), both mixed, an OR on a type that a field overrides, and an AND
 * on an interface type.
 */
export const expressionTypeDefs = /* GraphQL */ `
  type Post {
    id: ID
    title: String
    secret: String @scope(anyOf: ["posts.moderate", "admin.read"])
  }
  type Invoice {
    total: Int
  }
  type Audit @scope(anyOf: ["audit.read", "admin.read"]) {
    entry: String
    raw: String @scope(resource: "audit", action: "raw")
  }
  interface Owned @scope(resource: "owners") @scope(resource: "teams") {
    owner: String
  }
  type Asset implements Owned {
    owner: String
  }
  type Query {
    feed: [Post] @scope(anyOf: ["posts.read", "posts.moderate"])
    invoice: Invoice @scope(resource: "billing") @scope(resource: "customers")
    report: String @scope(anyOf: ["reports.read", "reports.admin"]) @scope(resource: "analytics")
    audit: Audit
    asset: Asset
    hello: String
  }
  type Subscription {
    feedAdded: Post @scope(anyOf: ["posts.read", "posts.moderate"])
  }
`;

/** Builds the expression schema through the transformer. */
export function buildExpressionSchema(options: ScopeDirectiveOptions = {}): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
  const post = { id: 'p1', title: 'T', secret: 'S' };
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, expressionTypeDefs],
      resolvers: {
        Query: {
          feed: () => [post],
          invoice: () => ({ total: 5 }),
          report: () => 'R',
          audit: () => ({ entry: 'E', raw: 'X' }),
          asset: () => ({ owner: 'O' }),
          hello: () => 'hi',
        },
        Subscription: {
          feedAdded: {
            subscribe: async function* feedAdded() {
              yield { feedAdded: post };
              yield { feedAdded: { ...post, id: 'p2' } };
            },
          },
        },
      },
    }),
  );
}
