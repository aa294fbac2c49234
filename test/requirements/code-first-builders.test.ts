import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import SchemaBuilder from '@pothos/core';
import { graphql, type GraphQLSchema } from 'graphql';
import { assertScopesEnforced } from '../../src/directive/assert-scopes-enforced';
import { scopeDirective } from '../../src/directive/scope-directive';
import type { Principal } from '../../src/principal/principal';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { discoverScopes } from '../../src/scopes/discover-scopes';

interface Post {
  id: string;
  title: string;
  note: string;
}
const post: Post = { id: 'p1', title: 'Hello', note: 'internal' };

/** A Pothos schema whose requirements sit in Pothos' own `extensions` on fields and on a type. */
function pothosSchema(): GraphQLSchema {
  const builder = new SchemaBuilder<{ Objects: { Post: Post } }>({});
  builder.objectType('Post', {
    extensions: { scope: { resource: 'posts' } },
    fields: (t) => ({
      id: t.exposeID('id'),
      title: t.exposeString('title'),
      note: t.exposeString('note', { extensions: { scope: { resource: 'notes' } } }),
    }),
  });
  builder.queryType({
    fields: (t) => ({
      posts: t.field({ type: ['Post'], extensions: { scope: { resource: 'posts' } }, resolve: () => [post] }),
      hello: t.string({ resolve: () => 'world' }),
    }),
  });
  builder.mutationType({
    fields: (t) => ({
      deletePost: t.boolean({ extensions: { scope: { resource: 'posts' } }, resolve: () => true }),
      publishPost: t.boolean({ extensions: { scope: { resource: 'posts', action: 'publish' } }, resolve: () => true }),
    }),
  });
  return builder.toSchema();
}

const key = (...scopes: string[]): { principal: Principal } => ({ principal: { kind: 'apiKey', id: 'k1', scopes: new Set(scopes) } as Principal });

describe('Pothos: requirements in field and type extensions', () => {
  it('are discovered with the directive defaults', () => {
    const scopes = discoverScopes(pothosSchema()).resources.flatMap(({ scopes: list }) => list.filter((scope) => scope.used).map((scope) => `${scope.scope} ${scope.coordinates.join(',')}`));
    expect(scopes).toEqual(['notes.read Post.note', 'posts.read Post.id,Post.title,Query.posts', 'posts.delete Mutation.deletePost', 'posts.publish Mutation.publishPost']);
  });

  describe.each<EnforcementMode>(['field', 'operation'])('%s mode', (enforce) => {
    const schema = scopeDirective('scope', { enforce, onWarning: () => undefined }).scopeDirectiveTransformer(pothosSchema());

    it('keeps Pothos resolvers guarded', () => {
      expect(() => assertScopesEnforced(schema)).not.toThrow();
    });

    it.each([
      ['every scope', key('posts.read', 'notes.read'), '{ posts { id note } }', { posts: [{ id: 'p1', note: 'internal' }] }, []],
      ['anonymous', {}, '{ posts { id } }', { posts: null }, ['UNAUTHENTICATED posts.read']],
      ['a public field, anonymous', {}, '{ hello }', { hello: 'world' }, []],
      ['delete by its verb', key('posts.write'), 'mutation { deletePost }', { deletePost: null }, ['FORBIDDEN posts.delete']],
      ['publish', key('posts.publish'), 'mutation { publishPost }', { publishPost: true }, []],
    ])('%s', async (_label, contextValue, source, data, errors) => {
      const result = await graphql({ schema, source, contextValue });
      expect(result.data).toEqual(data);
      expect((result.errors ?? []).map((error) => `${String(error.extensions.code)} ${String(error.extensions.requiredScope)}`)).toEqual(errors);
    });
  });
});
