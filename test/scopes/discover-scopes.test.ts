import { makeExecutableSchema } from '@graphql-tools/schema';
import { scopeDirective } from '../../src/directive/scope-directive';
import { discoverScopes } from '../../src/scopes/discover-scopes';
import { formatScopes } from '../../src/scopes/format-scopes';
import { blogTypeDefs } from '../directive/blog-schema';

const { scopeDirectiveTypeDefs } = scopeDirective();
const schema = makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, blogTypeDefs] });

describe('discoverScopes', () => {
  const catalog = discoverScopes(schema);

  it('groups scopes by resource, standard actions first, then custom ones alphabetically', () => {
    expect(catalog.resources.map(({ resource, scopes }) => [resource, scopes.map((s) => s.scope)])).toEqual([
      ['analytics', ['analytics.read', 'analytics.write', 'analytics.delete', 'analytics.export']],
      ['comments', ['comments.read', 'comments.write', 'comments.delete']],
      ['content', ['content.read', 'content.write', 'content.delete']],
      ['finance', ['finance.read', 'finance.write', 'finance.delete']],
      ['items', ['items.read', 'items.write', 'items.delete']],
      ['misc', ['misc.read', 'misc.write', 'misc.delete']],
      ['posts', ['posts.read', 'posts.write', 'posts.delete', 'posts.publish']],
      ['secrets', ['secrets.read', 'secrets.write', 'secrets.delete']],
      ['users', ['users.read', 'users.write', 'users.delete']],
    ]);
  });

  it('carries the coordinates that need each scope and marks unused ones', () => {
    const posts = catalog.resources.find((r) => r.resource === 'posts')!;
    const read = ['Post.comments', 'Post.id', 'Post.title', 'Query.asyncPosts', 'Query.broken', 'Query.post', 'Query.posts', 'Query.requiredPost', 'Subscription.postAdded'];
    expect(posts.scopes).toEqual([
      {
        scope: 'posts.read',
        action: 'read',
        used: true,
        coordinates: read,
        fields: read.map((coordinate) => ({ coordinate, action: 'read', actionSource: 'default-read' })),
      },
      { scope: 'posts.write', action: 'write', used: true, coordinates: ['Mutation.createPost'], fields: [{ coordinate: 'Mutation.createPost', action: 'write', actionSource: 'default-write' }] },
      { scope: 'posts.delete', action: 'delete', used: true, coordinates: ['Mutation.deletePost'], fields: [{ coordinate: 'Mutation.deletePost', action: 'delete', actionSource: 'delete-verb' }] },
      { scope: 'posts.publish', action: 'publish', used: true, coordinates: ['Mutation.publishPost'], fields: [{ coordinate: 'Mutation.publishPost', action: 'publish', actionSource: 'explicit' }] },
    ]);
    const content = catalog.resources.find((r) => r.resource === 'content')!;
    expect(content.scopes[0]).toMatchObject({ scope: 'content.read', action: 'read', used: true, coordinates: ['Content.id', 'Content.title', 'Page.id', 'Page.title'] });
    expect(content.scopes[1]).toEqual({ scope: 'content.write', action: 'write', used: false, coordinates: [], fields: [] });
  });

  it('returns no resources for a schema without the directive', () => {
    expect(discoverScopes(makeExecutableSchema({ typeDefs: 'type Query { a: String }' }))).toEqual({ resources: [] });
  });

  it('honours a custom directive name', () => {
    const custom = scopeDirective('perm');
    const customSchema = makeExecutableSchema({ typeDefs: [custom.scopeDirectiveTypeDefs, 'type Query { a: String @perm(resource: "docs") }'] });
    expect(discoverScopes(customSchema, { directiveName: 'perm' }).resources.map((r) => r.resource)).toEqual(['docs']);
    expect(discoverScopes(customSchema).resources).toEqual([]);
  });
});

describe('formatScopes', () => {
  it("renders drf-scoped-permissions' list_scopes output, Total line included", () => {
    const small = makeExecutableSchema({
      typeDefs: [
        scopeDirectiveTypeDefs,
        `type Query { posts: String @scope(resource: "posts") comments: String @scope(resource: "comments") }
         type Mutation { publishPost: String @scope(resource: "posts", action: "publish") }`,
      ],
    });
    expect(formatScopes(discoverScopes(small))).toBe(
      ['Available API Scopes:', '', 'comments:', '  - comments.read', '  - comments.write', '  - comments.delete', '', 'posts:', '  - posts.read', '  - posts.write', '  - posts.delete', '  - posts.publish', '', 'Total: 2 resources, 7 scopes', ''].join('\n'),
    );
  });
});
