import { makeExecutableSchema } from '@graphql-tools/schema';
import { buildSchema } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { collectRequirements } from '../../src/requirements/collect-requirements';

const quiet = { onWarning: () => undefined };

function transform(typeDefs: string, options: Parameters<typeof scopeDirective>[1] = {}) {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { ...quiet, ...options });
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs] }));
}

describe('scope expressions at transform time', () => {
  it.each([
    ['an empty anyOf', 'type Query { a: String @scope(anyOf: []) }', 'ERR_INVALID_DIRECTIVE'],
    ['anyOf with resource', 'type Query { a: String @scope(anyOf: ["posts.read"], resource: "posts") }', 'ERR_INVALID_DIRECTIVE'],
    ['anyOf with action', 'type Query { a: String @scope(anyOf: ["posts.read"], action: "read") }', 'ERR_INVALID_DIRECTIVE'],
    ['neither resource nor anyOf', 'type Query { a: String @scope(action: "read") }', 'ERR_INVALID_DIRECTIVE'],
    ['a resource wildcard in anyOf', 'type Query { a: String @scope(anyOf: ["posts.*"]) }', 'ERR_INVALID_SCOPE'],
    ['an action wildcard in anyOf', 'type Query { a: String @scope(anyOf: ["posts.read", "*.read"]) }', 'ERR_INVALID_SCOPE'],
    ['the full wildcard in anyOf', 'type Query { a: String @scope(anyOf: ["*"]) }', 'ERR_INVALID_SCOPE'],
    ['a wildcard resource', 'type Query { a: String @scope(resource: "*") }', 'ERR_INVALID_SCOPE'],
    ['a wildcard action in a repeated directive', 'type Query { a: String @scope(resource: "posts") @scope(resource: "tags", action: "*") }', 'ERR_INVALID_SCOPE'],
    ['a name that is not a scope in anyOf', 'type Query { a: String @scope(anyOf: ["posts"]) }', 'ERR_INVALID_SCOPE'],
  ])('%s is refused with the code given, naming the coordinate', (_label, typeDefs, code) => {
    expect(() => transform(typeDefs)).toThrow(expect.objectContaining({ code, details: expect.objectContaining({ coordinate: 'Query.a' }) }));
  });

  it('refuses an expression that expands to too many alternatives', () => {
    const usage = '@scope(anyOf: ["a.read", "b.read", "c.read", "d.read"])';
    const typeDefs = `type Query { a: String ${usage.replace(/"(\w)\./g, '"x$1.')} ${usage.replace(/"(\w)\./g, '"y$1.')} ${usage.replace(/"(\w)\./g, '"z$1.')} ${usage} }`;
    expect(() => transform(typeDefs)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DIRECTIVE' }));
  });

  it.each([
    ['a resource', 'type Query { a: String @scope(resource: "pots") }', 'pots.read', 'posts.read'],
    ['an anyOf entry', 'type Query { a: String @scope(anyOf: ["posts.read", "post.moderate"]) }', 'post.moderate', 'posts.moderate'],
    ['a repeated directive', 'type Query { a: String @scope(resource: "posts") @scope(resource: "billing") }', 'billing.read', null],
    // Never a wildcard (`*.read` is two edits away), which a requirement cannot name.
    ['an anyOf entry close only to a wildcard', 'type Query { a: String @scope(anyOf: ["posts.read", "zz.read"]) }', 'zz.read', null],
  ])('with a strict catalogue (knownScopes), an unknown scope in %s is ERR_UNKNOWN_SCOPE', (_label, typeDefs, scope, suggestion) => {
    expect(() => transform(typeDefs, { knownScopes: ['posts.read', 'posts.moderate'] })).toThrow(
      expect.objectContaining({ code: 'ERR_UNKNOWN_SCOPE', details: expect.objectContaining({ coordinate: 'Query.a', scope, suggestion }) }),
    );
  });

  it('accepts what a strict catalogue lists, and refuses a catalogue that lists a wildcard', () => {
    expect(() => transform('type Query { a: String @scope(anyOf: ["posts.read", "posts.moderate"]) }', { knownScopes: ['posts.read', 'posts.moderate'] })).not.toThrow();
    expect(() => scopeDirective('scope', { knownScopes: ['posts.*'] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it('normalises a requirement: sorted clauses, repeats dropped, a choice a required scope meets dropped', () => {
    const schema = buildSchema(`
      ${scopeDirective().scopeDirectiveTypeDefs}
      type Query {
        a: String @scope(anyOf: ["posts.read", "posts.moderate"]) @scope(resource: "billing") @scope(resource: "billing")
        b: String @scope(resource: "posts") @scope(anyOf: ["posts.read", "admin.read"])
        c: String @scope(anyOf: ["posts.read"])
      }
    `);
    const requirements = collectRequirements(schema);
    expect(requirements.get('Query.a')).toMatchObject({ allOf: [['billing.read'], ['posts.moderate', 'posts.read']], scope: undefined });
    expect(requirements.get('Query.b')).toMatchObject({ allOf: [['posts.read']], scope: 'posts.read' });
    expect(requirements.get('Query.c')).toMatchObject({ allOf: [['posts.read']], scope: 'posts.read' });
    expect(requirements.get('Query.a')?.scopes.map((entry) => [entry.scope, entry.actionSource])).toEqual([
      ['billing.read', 'default-read'],
      ['posts.moderate', 'explicit'],
      ['posts.read', 'explicit'],
    ]);
  });

  it('applies precedence to whole expressions: a field-level expression replaces the type-level one', () => {
    const schema = buildSchema(`
      ${scopeDirective().scopeDirectiveTypeDefs}
      interface Node @scope(resource: "nodes") @scope(resource: "graph") { id: ID }
      type Post implements Node @scope(anyOf: ["posts.read", "posts.moderate"]) { id: ID title: String @scope(resource: "titles") }
      type Tag implements Node { id: ID }
      type Query { post: Post tag: Tag }
    `);
    const requirements = collectRequirements(schema);
    expect(requirements.get('Post.id')?.allOf).toEqual([['posts.moderate', 'posts.read']]);
    expect(requirements.get('Post.title')?.allOf).toEqual([['titles.read']]);
    expect(requirements.get('Tag.id')?.allOf).toEqual([['graph.read'], ['nodes.read']]);
  });

  it('treats two interfaces with different expressions for one field as a conflict', () => {
    const typeDefs = `
      interface A { x: String @scope(resource: "a") @scope(resource: "b") }
      interface B { x: String @scope(resource: "a") }
      type T implements A & B { x: String }
      type Query { t: T }
    `;
    expect(() => transform(typeDefs)).toThrow(expect.objectContaining({ code: 'ERR_CONFLICTING_SCOPES' }));
  });

  // Review of issue 19: interfaces were compared by how their directives were written, not by what they require.
  it.each<[string, string, string, string[][]]>([
    ['a repeated anyOf entry', '@scope(anyOf: ["a.read", "a.read"])', '@scope(anyOf: ["a.read"])', [['a.read']]],
    ['anyOf of one scope and resource', '@scope(anyOf: ["a.read"])', '@scope(resource: "a")', [['a.read']]],
    ['the default action spelled out', '@scope(resource: "a", action: "read")', '@scope(resource: "a")', [['a.read']]],
    ['a repeated directive', '@scope(resource: "a") @scope(resource: "a")', '@scope(resource: "a")', [['a.read']]],
    ['a choice the other clause meets', '@scope(anyOf: ["a.read", "b.read"]) @scope(resource: "a")', '@scope(resource: "a")', [['a.read']]],
    ['the same clauses in another order', '@scope(anyOf: ["b.read", "a.read"]) @scope(resource: "c")', '@scope(resource: "c") @scope(anyOf: ["a.read", "b.read"])', [['a.read', 'b.read'], ['c.read']]],
  ])('accepts two interfaces that write one requirement two ways (%s), on fields and on types', (_label, first, second, allOf) => {
    const onFields = buildSchema(`
      ${scopeDirective().scopeDirectiveTypeDefs}
      interface A { x: String ${first} }
      interface B { x: String ${second} }
      type T implements A & B { x: String }
      type Query { t: T }
    `);
    expect(collectRequirements(onFields).get('T.x')?.allOf).toEqual(allOf);
    const onTypes = buildSchema(`
      ${scopeDirective().scopeDirectiveTypeDefs}
      interface A ${first} { x: String }
      interface B ${second} { x: String }
      type T implements A & B { x: String }
      type Query { t: T }
    `);
    expect(collectRequirements(onTypes).get('T.x')?.allOf).toEqual(allOf);
  });

  it('still treats interfaces whose defaults differ on a Mutation field as a conflict only when the requirement differs', () => {
    const typeDefs = (second: string) => `
      interface A { removePost: String @scope(resource: "posts") }
      interface B { removePost: String ${second} }
      type Mutation implements A & B { removePost: String }
      type Query { a: String }
    `;
    expect(() => transform(typeDefs('@scope(resource: "posts", action: "delete")'))).not.toThrow();
    expect(() => transform(typeDefs('@scope(resource: "posts", action: "write")'))).toThrow(expect.objectContaining({ code: 'ERR_CONFLICTING_SCOPES' }));
  });

  it('still accepts the single-scope definition of earlier versions', () => {
    const schema = buildSchema(`
      directive @scope(resource: String!, action: String) on OBJECT | INTERFACE | FIELD_DEFINITION
      type Query { posts: String @scope(resource: "posts") }
    `);
    expect(collectRequirements(schema).get('Query.posts')?.scope).toBe('posts.read');
  });
});
