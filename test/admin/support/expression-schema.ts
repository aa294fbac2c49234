import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { scopeDirective } from '../../../src/directive/scope-directive';

/** SDL with every kind of requirement: one scope, AND (`@scope` repeated), OR (`anyOf`), and both. */
export const EXPRESSION_TYPE_DEFS = /* GraphQL */ `
  type Query {
    posts: [String!]! @scope(resource: "posts")
    report: String @scope(resource: "billing") @scope(resource: "customers")
    feed: [String!]! @scope(anyOf: ["posts.read", "posts.moderate"])
    invoice: String @scope(anyOf: ["billing.read", "billing.audit"]) @scope(resource: "customers")
  }
`;

/** A transformed schema of {@link EXPRESSION_TYPE_DEFS}, for the admin page's catalogue. */
export function expressionSchema(): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, EXPRESSION_TYPE_DEFS] }));
}
