import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';
import * as walkModule from '../../src/operation/walk-operation';

/**
 * A schema whose Query type is reachable below a root field (`viewer:
 * Query`, a mutation payload's `query: Query`), so that one execution
 * resolves root-type fields at several depths: the shape of issue 15,
 * finding 1.
 */
export const rootTypeDefs = /* GraphQL */ `
  type Post {
    id: ID
  }
  type Query {
    health: String
    viewer: Query
    required: String!
    posts: [Post!] @scope(resource: "posts")
  }
  type Payload {
    query: Query
  }
  type Mutation {
    touch: Payload @scope(resource: "posts", action: "write")
  }
`;

/** Builds the schema through the transformer; `requiredScope` makes its requirements dynamic (no plan is cached). */
export function buildRootTypeSchema(options: ScopeDirectiveOptions): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { onWarning: () => undefined, ...options });
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, rootTypeDefs],
      resolvers: {
        Query: { health: () => 'ok', viewer: () => ({}), required: () => 'here', posts: () => [{ id: 'p1' }] },
        Mutation: { touch: () => ({ query: {} }) },
      },
    }),
  );
}

/** `count` selections `alias<i>: field`, space separated. */
export const aliased = (field: string, count: number, alias = 'a'): string => Array.from({ length: count }, (_, index) => `${alias}${index}: ${field}`).join(' ');

/** A valid document of `roots` root fields, each spreading a fragment of `width` fields: `roots * (width + 1)` selections. */
export function manyRootFields(roots: number, width: number): string {
  return `{ ${aliased('viewer { ...F }', roots, 'r')} } fragment F on Query { ${aliased('health', width, 'h')} }`;
}

/** Counts the operation walks (`walkOperation` calls) from now on; restore with `mockRestore()`. */
export function countWalks(): jest.SpiedFunction<typeof walkModule.walkOperation> {
  return jest.spyOn(walkModule, 'walkOperation');
}
