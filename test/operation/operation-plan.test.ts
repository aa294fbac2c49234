import { type DefinitionNode, type DocumentNode, execute, Kind, parse } from 'graphql';
import { checkOperation } from '../../src/operation/check-operation';
import { buildLibrarySchema, key } from './library-schema';

const quiet = { onWarning: () => undefined };

/** A document of `definitions` taken from other parsed documents, as code that composes documents builds them. */
const compose = (...definitions: DefinitionNode[]): DocumentNode => ({ kind: Kind.DOCUMENT, definitions });
const definitionsOf = (source: string): readonly DefinitionNode[] => parse(source).definitions;

describe('review-2 finding R5: a cached plan is used only with the fragments it was made from', () => {
  // Plans are cached per operation node. Code that composes documents (persisted-operation
  // stores, fragment registries, gateways) can put one operation node next to other fragment
  // definitions; the plan made for the first fragments answered for the second.
  const [operation] = definitionsOf('query Me { me { ...Profile } }') as [DefinitionNode];
  const [harmless] = definitionsOf('fragment Profile on User { name }') as [DefinitionNode];
  const [secret] = definitionsOf('fragment Profile on User { name email }') as [DefinitionNode];
  const principal = key('posts.read');

  it('checkOperation', () => {
    const schema = buildLibrarySchema(quiet);
    expect(checkOperation({ schema, document: compose(operation, harmless), principal }).allowed).toBe(true);
    const check = checkOperation({ schema, document: compose(operation, secret), principal });
    expect(check.denied.map((denied) => [denied.path.join('.'), denied.requiredScope])).toEqual([['me.email', 'users.email']]);
    expect(checkOperation({ schema, document: compose(operation, harmless), principal }).allowed).toBe(true);
  });

  it('operation mode', async () => {
    const schema = buildLibrarySchema({ ...quiet, enforce: 'operation' });
    const contextValue = { principal };
    expect(await execute({ schema, document: compose(operation, harmless), contextValue })).toEqual({ data: { me: { name: 'Ada' } } });
    const result = await execute({ schema, document: compose(operation, secret), contextValue });
    expect(result.data).toEqual({ me: null });
    expect(result.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', missingScopes: ['users.email'] })]);
  });
});

describe('review-2 finding R5: the condition variables of a cached plan come from the fragments it was made from', () => {
  // A first document without the fragment fails (unknown fragment) but left a cache entry that
  // knew of no condition variable; the same operation node with the fragment then shared one
  // plan between `$hide: true` and `$hide: false`.
  const [operation] = definitionsOf('query Me($hide: Boolean!) { me { ...Profile } }') as [DefinitionNode];
  const [profile] = definitionsOf('fragment Profile on User { name email @skip(if: $hide) }') as [DefinitionNode];
  const principal = key('posts.read');

  it('checkOperation', () => {
    const schema = buildLibrarySchema(quiet);
    expect(() => checkOperation({ schema, document: compose(operation), principal })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPERATION' }));
    const document = compose(operation, profile);
    expect(checkOperation({ schema, document, principal, variableValues: { hide: true } }).allowed).toBe(true);
    expect(checkOperation({ schema, document, principal, variableValues: { hide: false } }).allowed).toBe(false);
  });
});
