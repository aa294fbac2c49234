import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';
import type { Principal } from '../../src/principal/principal';

/**
 * The SDL of the operation tests: abstract types (an interface inside a
 * union, an interface with only one scoped implementation), fragments'
 * targets, a public root that leads to scoped fields, and a long list.
 */
export const libraryTypeDefs = /* GraphQL */ `
  interface Node {
    id: ID
  }
  interface Titled {
    title: String
  }
  type Post implements Node & Titled @scope(resource: "posts") {
    id: ID
    title: String
    author: User
    comments: [Comment!]
  }
  type User implements Node {
    id: ID
    name: String
    email: String @scope(resource: "users", action: "email")
    posts: [Post!]
  }
  type Comment @scope(resource: "comments") {
    id: ID
    body: String
  }
  union SearchResult = Post | User | Comment
  interface Media {
    url: String
  }
  type Image implements Media {
    url: String @scope(resource: "images")
  }
  type Video implements Media {
    url: String
  }
  type Item {
    n: Int @scope(resource: "items")
  }
  type Org {
    name: String
  }
  type Query {
    search: [SearchResult]
    media: [Media]
    posts: [Post!] @scope(resource: "posts")
    me: User
    org(id: ID!): Org @scope(resource: "orgs")
    items: [Item!]
    hello: String
  }
  type Mutation {
    createPost(title: String!): Post @scope(resource: "posts")
    deleteUser(id: ID!): Boolean @scope(resource: "users")
  }
  type Subscription {
    postAdded: Post @scope(resource: "posts")
  }
`;

/** How many items `Query.items` returns. */
export const ITEM_COUNT = 1000;

const user = { id: 'u1', name: 'Ada', email: 'ada@example.com' };
const comment = { id: 'c1', body: 'Nice' };
/** The one post every list returns. */
export const post = { id: 'p1', title: 'Hello', author: user, comments: [comment] };

/** Counts the resolvers with side effects that ran. */
export interface SideEffects {
  createPost: number;
  deleteUser: number;
}

/** A principal holding `scopes`, from an API key. */
export const key = (...scopes: string[]): Principal => ({ kind: 'apiKey', id: 'k1', scopes: new Set(scopes) });

/** Builds the library schema through the transformer; `effects` counts the mutations that ran. */
export function buildLibrarySchema(options: ScopeDirectiveOptions = {}, effects: SideEffects = { createPost: 0, deleteUser: 0 }): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, libraryTypeDefs],
      resolvers: {
        SearchResult: { __resolveType: (value: { body?: unknown; name?: unknown }) => (value.body ? 'Comment' : value.name ? 'User' : 'Post') },
        Media: { __resolveType: (value: { url: string }) => (value.url.endsWith('.png') ? 'Image' : 'Video') },
        Node: { __resolveType: (value: { name?: unknown }) => (value.name ? 'User' : 'Post') },
        Titled: { __resolveType: () => 'Post' },
        User: { posts: () => [post] },
        Query: {
          search: () => [post, user, comment],
          media: () => [{ url: 'i.png' }, { url: 'v.mp4' }],
          posts: () => [post],
          me: () => user,
          org: (_: unknown, { id }: { id: string }) => ({ name: `Org ${id}` }),
          items: () => Array.from({ length: ITEM_COUNT }, (_, n) => ({ n })),
          hello: () => 'world',
        },
        Mutation: {
          createPost: (_: unknown, { title }: { title: string }) => {
            effects.createPost += 1;
            return { ...post, id: 'p2', title };
          },
          deleteUser: () => {
            effects.deleteUser += 1;
            return true;
          },
        },
        Subscription: {
          postAdded: {
            subscribe: async function* postAdded() {
              yield { postAdded: post };
              yield { postAdded: { ...post, id: 'p3' } };
            },
          },
        },
      },
    }),
  );
}
