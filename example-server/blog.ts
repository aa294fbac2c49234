import { GraphQLError } from 'graphql';
import type { Principal } from 'graphql-scoped-permissions';

/** The example's GraphQL context: what `createScopedContext` returns. */
export interface BlogContext {
  readonly principal: Principal;
}

interface Post {
  id: string;
  title: string;
  body: string;
  published: boolean;
}

interface Comment {
  id: string;
  postId: string;
  body: string;
}

const MAX_TITLE_LENGTH = 200;
const MAX_BODY_LENGTH = 10_000;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function checkText(field: string, value: string, max: number): string {
  if (value.length > max) throw badInput(`${field} is longer than ${max} characters.`);
  return value;
}

/**
 * The blog's data, in process memory (the scope store may be MongoDB; the
 * blog stays a toy), and its resolvers. No resolver checks permissions:
 * the `@scope` directives in `schema.graphql` do.
 */
export function createBlog() {
  const posts = new Map<string, Post>();
  const comments = new Map<string, Comment>();
  let nextId = 1;
  const newId = () => String(nextId++);

  const requirePost = (id: string): Post => {
    const post = posts.get(id);
    if (post === undefined) throw new GraphQLError(`No post ${JSON.stringify(id.slice(0, 40))}.`, { extensions: { code: 'NOT_FOUND' } });
    return post;
  };
  const addPost = (title: string, body: string, published: boolean): Post => {
    const post = { id: newId(), title: checkText('title', title, MAX_TITLE_LENGTH), body: checkText('body', body, MAX_BODY_LENGTH), published };
    posts.set(post.id, post);
    return post;
  };
  const addComment = (postId: string, body: string): Comment => {
    const comment = { id: newId(), postId: requirePost(postId).id, body: checkText('body', body, MAX_BODY_LENGTH) };
    comments.set(comment.id, comment);
    return comment;
  };
  const commentsOf = (postId: string) => [...comments.values()].filter((comment) => comment.postId === postId);

  const welcome = addPost('Hello, scopes', 'Every field of this API needs a scope, except `me`.', true);
  addPost('Draft: wildcards', 'posts.* grants every action on posts.', false);
  addComment(welcome.id, 'First!');

  return {
    Query: {
      me: (_: unknown, __: unknown, { principal }: BlogContext) => ({
        kind: principal.kind,
        id: principal.id ?? null,
        name: principal.name ?? null,
        scopes: [...principal.scopes].sort(),
      }),
      posts: () => [...posts.values()],
      post: (_: unknown, { id }: { id: string }) => posts.get(id) ?? null,
      comments: (_: unknown, { postId }: { postId: string }) => commentsOf(postId),
      analyticsExport: () => ['id,title,published', ...[...posts.values()].map((p) => `${p.id},${JSON.stringify(p.title)},${p.published}`)].join('\n'),
    },
    Mutation: {
      createPost: (_: unknown, { title, body }: { title: string; body?: string | null }) => addPost(title, body ?? '', false),
      updatePost: (_: unknown, { id, title, body }: { id: string; title?: string | null; body?: string | null }) => {
        const post = requirePost(id);
        if (title != null) post.title = checkText('title', title, MAX_TITLE_LENGTH);
        if (body != null) post.body = checkText('body', body, MAX_BODY_LENGTH);
        return post;
      },
      deletePost: (_: unknown, { id }: { id: string }) => {
        for (const comment of commentsOf(id)) comments.delete(comment.id);
        return posts.delete(id);
      },
      publishPost: (_: unknown, { id }: { id: string }) => Object.assign(requirePost(id), { published: true }),
      addComment: (_: unknown, { postId, body }: { postId: string; body: string }) => addComment(postId, body),
      deleteComment: (_: unknown, { id }: { id: string }) => comments.delete(id),
    },
    Post: {
      comments: (post: Post) => commentsOf(post.id),
    },
  };
}
