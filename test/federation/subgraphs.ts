import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { type GraphQLSchema, parse } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';

/** The federation `@link` both subgraphs start with. */
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])';

/** The posts subgraph: Post is its entity, User is referenced and extended with `posts`. */
export const postsTypeDefs = /* GraphQL */ `
  type Query {
    posts: [Post!]! @scope(resource: "posts")
    hello: String!
  }
  type Mutation {
    postDelete(id: ID!): Boolean! @scope(resource: "posts")
  }
  type Post @key(fields: "id") {
    id: ID!
    title: String! @scope(resource: "posts")
    author: User!
  }
  type User @key(fields: "id") {
    id: ID!
    posts: [Post!]! @scope(resource: "posts")
  }
`;

/** The users subgraph: User is its entity, with scoped fields. */
export const usersTypeDefs = /* GraphQL */ `
  type Query {
    users: [User!]! @scope(resource: "users")
  }
  type User @key(fields: "id") {
    id: ID!
    name: String! @scope(resource: "users")
    email: String @scope(resource: "users", action: "email")
  }
`;

export const POSTS = [
  { id: 'p1', title: 'Hello', authorId: 'u1' },
  { id: 'p2', title: 'World', authorId: 'u2' },
];
export const USERS = [
  { id: 'u1', name: 'Ada', email: 'ada@example.com' },
  { id: 'u2', name: 'Grace', email: 'grace@example.com' },
];

type Row = Record<string, unknown>;

/** Counts what each subgraph resolved, so that a test can see which resolvers ran. */
export interface SubgraphCalls {
  resolveReference: number;
}

/** The posts subgraph, built with `buildSubgraphSchema` and transformed last. */
export function buildPostsSubgraph(options: ScopeDirectiveOptions = {}, calls: SubgraphCalls = { resolveReference: 0 }): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
  const resolvers = {
    Query: { posts: () => POSTS, hello: () => 'hi' },
    Mutation: { postDelete: () => true },
    Post: {
      __resolveReference: (reference: Row) => {
        calls.resolveReference += 1;
        return POSTS.find((post) => post.id === reference.id) ?? null;
      },
      author: (post: Row) => ({ id: post.authorId }),
    },
    User: {
      __resolveReference: (reference: Row) => {
        calls.resolveReference += 1;
        return { id: reference.id };
      },
      posts: (user: Row) => POSTS.filter((post) => post.authorId === user.id),
    },
  } as unknown as GraphQLResolverMap<unknown>;
  return scopeDirectiveTransformer(buildSubgraphSchema({ typeDefs: parse(`${LINK}\n${scopeDirectiveTypeDefs}\n${postsTypeDefs}`), resolvers }));
}

/** The users subgraph, built with `buildSubgraphSchema` and transformed last. */
export function buildUsersSubgraph(options: ScopeDirectiveOptions = {}, calls: SubgraphCalls = { resolveReference: 0 }): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
  const resolvers = {
    Query: { users: () => USERS },
    User: {
      __resolveReference: (reference: Row) => {
        calls.resolveReference += 1;
        return USERS.find((user) => user.id === reference.id) ?? null;
      },
    },
  } as unknown as GraphQLResolverMap<unknown>;
  return scopeDirectiveTransformer(buildSubgraphSchema({ typeDefs: parse(`${LINK}\n${scopeDirectiveTypeDefs}\n${usersTypeDefs}`), resolvers }));
}
