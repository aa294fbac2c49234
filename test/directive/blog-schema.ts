import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';

/** The SDL used by the directive tests: every GraphQL shape the transformer must handle. */
export const blogTypeDefs = /* GraphQL */ `
  interface Content @scope(resource: "content") {
    id: ID!
    title: String
  }
  type Post implements Content @scope(resource: "posts") {
    id: ID!
    title: String
    comments: [Comment!]!
    secret: String @scope(resource: "secrets")
  }
  type Page implements Content {
    id: ID!
    title: String
  }
  type Comment @scope(resource: "comments") {
    id: ID!
    body: String
  }
  type Item {
    n: Int @scope(resource: "items")
  }
  interface HasBalance {
    balance: Int @scope(resource: "finance")
  }
  type Account implements HasBalance @scope(resource: "users") {
    name: String
    balance: Int
  }
  type Query {
    posts: [Post!]! @scope(resource: "posts")
    post(id: ID!): Post @scope(resource: "posts")
    requiredPost: Post! @scope(resource: "posts")
    asyncPosts: [Post!]! @scope(resource: "posts")
    contents: [Content!]!
    noResolver: String @scope(resource: "misc")
    broken: String @scope(resource: "posts")
    items: [Item!]!
    account: Account
    analyticsExport: String @scope(resource: "analytics", action: "export")
    hello: String
  }
  type Mutation {
    createPost(title: String!): Post @scope(resource: "posts")
    deletePost(id: ID!): Boolean @scope(resource: "posts")
    removeComment(id: ID!): Boolean @scope(resource: "comments")
    publishPost(id: ID!): Boolean @scope(resource: "posts", action: "publish")
  }
  type Subscription {
    postAdded: Post @scope(resource: "posts")
  }
`;

export const ITEM_COUNT = 1000;

/** Thrown by `Query.broken`: the app's own error, which must pass through unchanged. */
export const appError = (): GraphQLError => new GraphQLError('database exploded', { extensions: { code: 'APP_DOWN' } });

const post = { id: 'p1', title: 'Hello', secret: 's3cret', comments: [{ id: 'c1', body: 'Nice' }] };

async function* postEvents(): AsyncGenerator<{ postAdded: typeof post }> {
  yield { postAdded: post };
  yield { postAdded: { ...post, id: 'p2' } };
}

/** Builds the blog schema through the transformer, with the given options. */
export function buildBlogSchema(options?: ScopeDirectiveOptions): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', options);
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, blogTypeDefs],
      resolvers: {
        Content: { __resolveType: (obj: { comments?: unknown }) => (obj.comments ? 'Post' : 'Page') },
        Query: {
          posts: () => [post],
          post: (_: unknown, { id }: { id: string }) => (id === post.id ? post : null),
          requiredPost: () => post,
          asyncPosts: async () => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            return [post];
          },
          contents: () => [post, { id: 'g1', title: 'About' }],
          // noResolver: intentionally absent; the default resolver reads rootValue.noResolver
          broken: () => {
            throw appError();
          },
          items: () => Array.from({ length: ITEM_COUNT }, (_, n) => ({ n })),
          account: () => ({ name: 'Ada', balance: 1000 }),
          analyticsExport: () => 'csv',
          hello: () => 'world',
        },
        Mutation: {
          createPost: (_: unknown, { title }: { title: string }) => ({ ...post, id: 'p9', title }),
          deletePost: () => true,
          removeComment: () => true,
          publishPost: () => true,
        },
        Subscription: {
          postAdded: { subscribe: () => postEvents() },
        },
      },
    }),
  );
}
