import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { guardResolver, principalFromContext } from '../../src/directive/guard-resolver';
import { scopeDirective } from '../../src/directive/scope-directive';

const info = {} as GraphQLResolveInfo;
const context = { principal: { kind: 'apiKey' as const, scopes: new Set(['posts.read']) } };

describe('guardResolver', () => {
  it('returns the resolver value itself, adding no promise', () => {
    const value = { id: 'p1' };
    const guarded = guardResolver(() => value, 'posts.read', principalFromContext);
    expect(guarded(null, {}, context, info)).toBe(value);
  });

  it('returns the resolver promise itself', () => {
    const promise = Promise.resolve('later');
    const guarded = guardResolver(() => promise, 'posts.read', principalFromContext);
    expect(guarded(null, {}, context, info)).toBe(promise);
  });

  it('never calls the resolver when the check fails', () => {
    const resolver = jest.fn<unknown, Parameters<GraphQLFieldResolver<unknown, unknown>>>(() => 'secret');
    const guarded = guardResolver(resolver, 'posts.write', principalFromContext);
    expect(() => guarded(null, {}, context, info)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(() => guarded(null, {}, null, info)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
    expect(resolver).not.toHaveBeenCalled();
  });

  it('uses the default resolver when the field has none', () => {
    const guarded = guardResolver(undefined, 'posts.read', principalFromContext);
    expect(guarded({ title: 'from source' }, {}, context, { fieldName: 'title' } as GraphQLResolveInfo)).toBe('from source');
  });
});

describe('the transformer wraps only fields with a requirement', () => {
  it('keeps the original resolver of unscoped fields', () => {
    const hello = () => 'world';
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
    const original = makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, 'type Query { hello: String posts: String @scope(resource: "posts") }'],
      resolvers: { Query: { hello, posts: () => 'p' } },
    });
    const schema = scopeDirectiveTransformer(original);
    const fields = schema.getQueryType()!.getFields();
    expect(fields.hello!.resolve).toBe(original.getQueryType()!.getFields().hello!.resolve);
    expect(fields.posts!.resolve).not.toBeUndefined();
    expect(fields.posts!.resolve!.name).toBe('scopedResolver');
  });
});
