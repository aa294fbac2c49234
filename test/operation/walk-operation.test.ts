import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { operationScopePlugin } from '../../src/apollo';
import { type DocumentNode, execute, type GraphQLSchema, Kind, OperationTypeNode, parse, type SelectionSetNode, validate } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { checkOperation } from '../../src/operation/check-operation';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';
import { explainOperation } from '../../src/operation/explain-operation';
import { MAX_SELECTION_DEPTH, MAX_WALKED_SELECTIONS } from '../../src/operation/walk-operation';
import { buildLibrarySchema, key } from './library-schema';

const quiet = { onWarning: () => undefined };

/** A valid document of `levels` fragments, each selecting the next under two fields: 2^levels paths. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on User { posts { author { ...F${i + 1} } } again: posts { author { ...F${i + 1} } } }`,
  );
  return `{ me { ...F0 } } ${fragments.join(' ')} fragment F${levels} on User { name email }`;
}

describe('review-2 finding R1: a small valid document whose fragments multiply makes the operation walk exponential', () => {
  // Without a bound the walk visits every path: 2^40 here, hours of CPU for one request, before
  // any credential is looked at (an anonymous caller is walked twice: the plan, then the denials).
  // The counting requirement stops a runaway walk so that the test fails instead of hanging.
  let visits = 0;
  const counting = {
    ...quiet,
    requiredScope: () => {
      visits += 1;
      if (visits > 10 * MAX_WALKED_SELECTIONS) throw new Error('runaway walk');
      return null;
    },
  };
  beforeEach(() => {
    visits = 0;
  });

  it('is a document graphql-js validates quickly', () => {
    expect(validate(buildLibrarySchema(quiet), parse(fragmentBomb(40)))).toEqual([]);
  });

  it.each([
    ['an authenticated caller', key('posts.read')],
    ['an anonymous caller', undefined],
  ])('refuses it with ERR_INVALID_OPERATION after a bounded walk, for %s', (_label, principal) => {
    const schema = buildLibrarySchema(counting);
    expect(() => checkOperation({ schema, document: parse(fragmentBomb(40)), principal })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPERATION', details: { limit: MAX_WALKED_SELECTIONS } }),
    );
    expect(visits).toBeLessThanOrEqual(MAX_WALKED_SELECTIONS);
  });

  it('refuses it in operation mode before any resolver runs', async () => {
    const schema = buildLibrarySchema({ ...counting, enforce: 'operation' });
    const result = await execute({ schema, document: parse(fragmentBomb(40)), contextValue: {} });
    expect(result.data).toEqual({ me: null });
    expect(result.errors?.map((error) => (error.originalError as { code?: string } | undefined)?.code)).toEqual(['ERR_INVALID_OPERATION']);
    expect(visits).toBeLessThanOrEqual(MAX_WALKED_SELECTIONS);
  });

  it.each([
    ['operation mode', [], 200, { me: null }],
    ['operationScopePlugin in reject mode', [operationScopePlugin({ mode: 'reject' })], 500, undefined],
  ])('is refused over HTTP by Apollo Server in %s', async (_label, plugins, status, data) => {
    const server = new ApolloServer({ schema: buildLibrarySchema({ ...counting, enforce: 'operation' }), plugins });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: fragmentBomb(40) }) });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] };
      expect({ status: response.status, data: body.data, codes: body.errors?.map((error) => error.extensions.code) }).toEqual({ status, data, codes: ['INTERNAL_SERVER_ERROR'] });
      expect(visits).toBeLessThanOrEqual(MAX_WALKED_SELECTIONS);
    } finally {
      await server.stop();
    }
  });

  it('still checks a large ordinary document, and the same fragments nested a few levels', () => {
    const schema = buildLibrarySchema(quiet);
    const wide = `{ ${Array.from({ length: 2000 }, (_, i) => `p${i}: posts { id title author { name } }`).join(' ')} }`;
    expect(checkOperation({ schema, document: parse(wide), principal: key('posts.read') }).allowed).toBe(true);
    expect(checkOperation({ schema, document: parse(fragmentBomb(8)), principal: key('posts.read', 'users.email') }).allowed).toBe(true);
  });
});

describe('review-2 finding R2: a dynamic requirement is judged on every field node merged under one response key', () => {
  // Validation lets two branches on different object types select the same response key with
  // other arguments. Execution merges the fields below them per concrete type, but the walk
  // merged the field nodes of both branches and asked the dynamic requirement about the first.
  const typeDefs = /* GraphQL */ `
    interface Entry {
      id: ID
    }
    type Doc implements Entry {
      id: ID
      secret(org: String!): String @scope(resource: "orgs")
    }
    type Inbox {
      entries: [Entry]
    }
    type Archive {
      entries: [Entry]
    }
    union Folder = Inbox | Archive
    type Query {
      folders: [Folder]
    }
  `;
  const resolvers = {
    Query: { folders: () => [{ kind: 'Inbox' }, { kind: 'Archive' }] },
    Folder: { __resolveType: (folder: { kind: string }) => folder.kind },
    Entry: { __resolveType: () => 'Doc' },
    Inbox: { entries: () => [{ id: 'd1' }] },
    Archive: { entries: () => [{ id: 'd2' }] },
    Doc: { secret: (_: unknown, { org }: { org: string }) => `secret of ${org}` },
  };
  /** The tenant's scope, from the field's `org` argument. */
  const requiredScope = ({ args }: { args: Readonly<Record<string, unknown>> }) => (typeof args.org === 'string' ? `org-${args.org}.read` : null);
  const build = (enforce: EnforcementMode): GraphQLSchema => {
    const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { ...quiet, enforce, requiredScope });
    return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers }));
  };
  const schemas = { field: build('field'), operation: build('operation') };
  const source = `{
    folders {
      ... on Inbox { entries { ... on Doc { s: secret(org: "acme") } } }
      ... on Archive { entries { ... on Doc { s: secret(org: "evil") } } }
    }
  }`;
  const acme = key('org-acme.read');

  it('is a document graphql-js validates', () => {
    expect(validate(schemas.operation, parse(source))).toEqual([]);
  });

  it('needs the scope of each branch’s arguments', () => {
    const check = checkOperation({ schema: schemas.operation, document: parse(source), principal: acme });
    expect(check.required).toEqual(['org-acme.read', 'org-evil.read']);
    expect(check.denied.map((denied) => [denied.path.join('.'), denied.requiredScope])).toEqual([['folders.entries.s', 'org-evil.read']]);
  });

  it.each([
    ['field', { folders: [{ entries: [{ s: 'secret of acme' }] }, { entries: [{ s: null }] }] }, [['folders.1.entries.0.s', 'org-evil.read']]],
    ['operation', { folders: null }, [['folders', 'org-evil.read']]],
  ] as const)('never returns the other tenant’s data in %s mode', async (mode, data, errors) => {
    const result = await execute({ schema: schemas[mode], document: parse(source), contextValue: { principal: acme } });
    expect(result.data).toEqual(data);
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions.requiredScope])).toEqual(errors);
  });
});

describe('review-2 finding R3: @skip and @include are read as graphql-js reads them, in documents that were not validated', () => {
  // `execute()` runs documents it was not told to validate. graphql-js reads the first @skip and
  // the first @include of a selection, and the last `if` of each; the walk read every one, so a
  // second directive hid from the check a field that execution runs.
  const schema = buildLibrarySchema({ ...quiet, enforce: 'operation' });
  const reader = key('posts.read');

  it.each([
    ['a second @skip', '{ hello me { email @skip(if: false) @skip(if: true) } }'],
    ['a second @include', '{ hello me { email @include(if: true) @include(if: false) } }'],
    ['a second `if`', '{ hello me { email @skip(if: true, if: false) } }'],
    ['a second `if` from a variable', 'query ($no: Boolean = false) { hello me { email @skip(if: true, if: $no) } }'],
    ['a second @skip on an inline fragment', '{ hello me { ... @skip(if: false) @skip(if: true) { email } } }'],
    ['a second @include on a fragment spread', '{ hello me { ...E @include(if: true) @include(if: false) } } fragment E on User { email }'],
  ])('%s', async (_label, source) => {
    const document = parse(source);
    expect(validate(schema, document)).not.toEqual([]);
    expect(checkOperation({ schema, document, principal: reader }).denied.map((denied) => denied.coordinate)).toEqual(['User.email']);
    const result = await execute({ schema, document, contextValue: { principal: reader } });
    expect(result.data).toEqual({ hello: null, me: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['users.email'] });
  });

  it('still skips what the first @skip or the last `if` skips', () => {
    for (const source of ['{ me { email @skip(if: true) @skip(if: false) } }', '{ me { email @skip(if: false, if: true) } }', '{ me { email @include(if: false) @include(if: true) } }']) {
      expect(checkOperation({ schema, document: parse(source), principal: reader }).allowed).toBe(true);
    }
  });
});

describe('review-2 finding R4: documents nested past the stack fail closed with a typed error', () => {
  // checkOperation is exported for documents that may not have been validated. Fragments
  // nested inside fragments (inline, or a chain of spreads) were followed without a bound, so
  // a deep one overflowed the stack: a RangeError instead of ERR_INVALID_OPERATION.
  const schema = buildLibrarySchema(quiet);

  function nestedInlineFragments(depth: number): DocumentNode {
    let selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'hello' } }] };
    for (let level = 0; level < depth; level += 1) selectionSet = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.INLINE_FRAGMENT, selectionSet }] };
    return { kind: Kind.DOCUMENT, definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY, selectionSet }] };
  }

  function spreadChain(length: number): DocumentNode {
    const fragments = Array.from({ length }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`);
    return parse(`{ ...F0 } ${fragments.join(' ')} fragment F${length} on Query { posts { id } }`, { maxTokens: 20 * length + 100 });
  }

  it.each([
    ['100,000 nested inline fragments', () => nestedInlineFragments(100_000)],
    ['a chain of 50,000 fragment spreads', () => spreadChain(50_000)],
  ])('%s', (_label, build) => {
    const document = build();
    for (const run of [() => checkOperation({ schema, document, principal: key('posts.read') }), () => explainOperation({ schema, document })]) {
      expect(run).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPERATION', details: { limit: MAX_SELECTION_DEPTH } }));
    }
  });

  it('still follows fragments nested a few hundred levels', () => {
    expect(checkOperation({ schema, document: nestedInlineFragments(300), principal: key() }).allowed).toBe(true);
    expect(checkOperation({ schema, document: spreadChain(300), principal: key() }).required).toEqual(['posts.read']);
  });
});

describe('issue 15, finding 6: an unvalidated document repeating a field under an abstract type', () => {
  // `merged.includes` de-duplicated the merged field nodes: n repeats cost n²/2 comparisons
  // (1.2 s for 352 KiB, where parse plus execute took 71 ms). The walk must stay cheaper than
  // parsing the document: a ratio, not a time, so that the machine's load cancels out.
  const schema = buildLibrarySchema(quiet);
  const source = `{ search { ... on Post { ${'author { id } '.repeat(30_000)} } } }`;

  /** The fastest of seven runs of `task`, given a fresh parse each time (a document seen before has a cached plan). */
  const fastest = (task: (document: DocumentNode) => unknown): number => {
    let best = Infinity;
    for (let run = 0; run < 7; run += 1) {
      const document = parse(source, { noLocation: true });
      const start = performance.now();
      task(document);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };

  it('is walked in time linear in the document: less than parsing it', () => {
    expect(source.length).toBeGreaterThan(250 * 1024);
    const parsing = fastest(() => parse(source, { noLocation: true }));
    const checking = fastest((document) => checkOperation({ schema, document, principal: key('posts.read') }));
    // About 1–3 here; the quadratic walk gave 12 at 20,000 repeats, and grows with them.
    expect(checking / parsing).toBeLessThan(5);
  });
});
