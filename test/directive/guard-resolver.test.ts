import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { guardResolver, principalFromContext } from '../../src/directive/guard-resolver';
import { scopeDirective } from '../../src/directive/scope-directive';
import { join } from 'node:path';
import { runCommand } from '../support/run-command';

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

describe('issue 15, finding 6: an async requiredScope that rejects', () => {
  it.each(['field', 'operation'])('is refused with ERR_INVALID_SCOPE in %s mode, and the process lives', async (mode) => {
    const script = join(__dirname, '..', 'support', 'async-required-scope-process.ts');
    const result = await runCommand(process.execPath, ['--import', 'tsx', script, mode], { timeoutMs: 20_000 });
    expect({ ok: result.ok, failure: result.failure, stderr: result.stderr }).toEqual({ ok: true, failure: '', stderr: '' });
    expect(JSON.parse(result.stdout.trim())).toEqual({ alive: true, codes: ['ERR_INVALID_SCOPE', 'ERR_INVALID_SCOPE', 'ERR_INVALID_SCOPE'] });
  });
});
