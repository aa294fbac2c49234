import { execute, type ExecutionResult, parse } from 'graphql';
import type { ScopeDirectiveOptions } from '../../src/directive/scope-directive-options';
import { checkOperation } from '../../src/operation/check-operation';
import { MAX_WALKED_SELECTIONS } from '../../src/operation/walk-operation';
import type { Principal } from '../../src/principal/principal';
import { aliased, buildRootTypeSchema, countWalks, manyRootFields } from './root-type-schema';

// Issue 15, finding 1: operation mode remembered an execution's check only when it returned, and
// only with several root fields. A walk that threw (past the 20,000-selection bound) ran again at
// every root field, and with a dynamic requiredScope (no cached plan) every nested Query field
// (`viewer { health … }`) walked the whole document again: seconds of CPU per anonymous request.

const reader: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(['posts.read']) };

const requirements: Array<[string, ScopeDirectiveOptions]> = [
  ['static requirements', { enforce: 'operation' }],
  ['a dynamic requiredScope', { enforce: 'operation', requiredScope: () => null }],
];

const codeOf = (error: { originalError?: unknown; extensions: Record<string, unknown> }): unknown =>
  (error.originalError as { code?: unknown } | undefined)?.code ?? error.extensions.code;

describe.each(requirements)('operation mode walks each execution once, whatever its outcome (%s)', (_label, options) => {
  const schema = buildRootTypeSchema(options);
  let walks: ReturnType<typeof countWalks>;
  beforeEach(() => {
    walks = countWalks();
  });
  afterEach(() => walks.mockRestore());

  const run = (source: string, contextValue: unknown = {}): ExecutionResult => execute({ schema, document: parse(source), contextValue }) as ExecutionResult;

  it.each([
    ['an anonymous caller', {}],
    ['an authenticated caller', { principal: reader }],
    // A getPrincipal that builds a new object per call must not defeat the memo.
    ['a new anonymous principal object at every call', { get principal(): Principal { return { kind: 'anonymous', scopes: new Set() }; } }],
  ])('a document past the selection bound, with many root fields: one walk, one error (%s)', (_who, contextValue) => {
    const roots = 60;
    const width = Math.ceil(MAX_WALKED_SELECTIONS / roots);
    const result = run(manyRootFields(roots, width), contextValue);
    expect(walks).toHaveBeenCalledTimes(1);
    expect(Object.values(result.data ?? {})).toEqual(Array.from({ length: roots }, () => null));
    expect(result.errors?.map(codeOf)).toEqual(['ERR_INVALID_OPERATION']);
  });

  it('a document of 8,000 nested Query fields under one root field: one walk', () => {
    const result = run(`{ viewer { ${aliased('health', 8000)} } }`);
    expect(result.errors).toBeUndefined();
    expect(Object.keys((result.data?.viewer as Record<string, unknown> | undefined) ?? {})).toHaveLength(8000);
    expect(walks).toHaveBeenCalledTimes(1);
  });

  it("a mutation payload's query: Query with 2,000 fields: one walk", () => {
    const result = run(`mutation { touch { query { ${aliased('health', 2000)} viewer { health } } } }`, { principal: { ...reader, scopes: new Set(['posts.write']) } });
    expect(result.errors).toBeUndefined();
    expect(walks).toHaveBeenCalledTimes(1);
  });

  it('a refused document with many root fields costs what one checkOperation costs', () => {
    const source = `{ ${aliased('posts { id }', 2000)} }`;
    const result = run(source);
    const executionWalks = walks.mock.calls.length;
    walks.mockClear();
    expect(checkOperation({ schema, document: parse(source) }).allowed).toBe(false);
    expect(executionWalks).toBe(walks.mock.calls.length);
    expect(executionWalks).toBeLessThanOrEqual(2);
    expect(result.errors?.map(codeOf)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0]?.extensions.missingScopes).toEqual(['posts.read']);
  });

  it('a refused document: one error at the first root field, the others null, a non-null one ending the execution with the same error', () => {
    expect(run('{ a: health posts { id } b: health }')).toMatchObject({ data: { a: null, posts: null, b: null }, errors: [{ path: ['a'] }] });
    const withNonNull = run('{ a: health posts { id } required b: health }');
    expect(withNonNull.data).toBeNull();
    expect(withNonNull.errors?.map((error) => [error.path, codeOf(error)])).toEqual([
      [['a'], 'UNAUTHENTICATED'],
      [['required'], 'UNAUTHENTICATED'],
    ]);
    expect(walks.mock.calls.length).toBeLessThanOrEqual(4);
  });

  it('checks again for another execution of the same document', () => {
    const document = parse('{ a: health b: posts { id } }');
    expect((execute({ schema, document, contextValue: {} }) as ExecutionResult).errors?.map(codeOf)).toEqual(['UNAUTHENTICATED']);
    expect(execute({ schema, document, contextValue: { principal: reader } })).toEqual({ data: { a: 'ok', b: [{ id: 'p1' }] } });
  });
});

describe('a check that throws something that is not an Error', () => {
  it.each([null, undefined, 'boom'])('refuses the operation when requiredScope throws %p', (thrown) => {
    const schema = buildRootTypeSchema({
      enforce: 'operation',
      requiredScope: () => {
        throw thrown;
      },
    });
    const result = execute({ schema, document: parse('{ a: health posts { id } b: health }'), contextValue: { principal: reader } }) as ExecutionResult;
    expect(result.data).toEqual({ a: null, posts: null, b: null });
    expect(result.errors).toHaveLength(1);
  });
});
