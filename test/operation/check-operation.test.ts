import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse } from 'graphql';
import { scopeDirective } from '../../src/directive/scope-directive';
import { checkOperation, type OperationCheck } from '../../src/operation/check-operation';
import { explainOperation } from '../../src/operation/explain-operation';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../src/principal/principal';
import { buildLibrarySchema, key } from './library-schema';

const schema = buildLibrarySchema({ onWarning: () => undefined });

/** [path, coordinate, requiredScope, code] of each denied selection. */
type DeniedRow = [string, string, string, string];

function check(source: string, principal: Principal | null | undefined, more: { operationName?: string; variableValues?: Record<string, unknown> } = {}): OperationCheck {
  return checkOperation({ schema, document: parse(source), principal, ...more });
}

function rows(result: OperationCheck): DeniedRow[] {
  return result.denied.map((denied) => [denied.path.join('.'), denied.coordinate, denied.requiredScope ?? `anyOf ${(denied.anyOf ?? []).join(' ')}`, denied.code]);
}

describe('checkOperation', () => {
  it('lists every missing scope, in document order, with alias paths, and judges selections under a denied field', () => {
    const result = check(
      `query Feed {
        a: posts { t: title au: author { name e: email } c: comments { b: body } }
        m: me { name email }
        hello
      }`,
      key('misc.read'),
    );
    expect(rows(result)).toEqual([
      ['a', 'Query.posts', 'posts.read', 'FORBIDDEN'],
      ['a.t', 'Post.title', 'posts.read', 'FORBIDDEN'],
      ['a.au', 'Post.author', 'posts.read', 'FORBIDDEN'],
      ['a.au.e', 'User.email', 'users.email', 'FORBIDDEN'],
      ['a.c', 'Post.comments', 'posts.read', 'FORBIDDEN'],
      ['a.c.b', 'Comment.body', 'comments.read', 'FORBIDDEN'],
      ['m.email', 'User.email', 'users.email', 'FORBIDDEN'],
    ]);
    expect(result.required).toEqual(['comments.read', 'posts.read', 'users.email']);
    expect(result.allowed).toBe(false);
  });

  it('allows a principal holding every required scope, through wildcards too', () => {
    const source = '{ posts { title comments { body } author { email } } }';
    expect(check(source, key('posts.read', 'comments.read', 'users.email'))).toEqual({
      required: ['comments.read', 'posts.read', 'users.email'],
      anyOf: [],
      denied: [],
      allowed: true,
    });
    expect(check(source, key('*.read', 'users.*')).allowed).toBe(true);
    expect(check(source, key('*')).allowed).toBe(true);
    expect(rows(check(source, key('*.read')))).toEqual([['posts.author.email', 'User.email', 'users.email', 'FORBIDDEN']]);
  });

  it.each<[string, string, Principal | null | undefined]>([
    ['no principal', 'UNAUTHENTICATED', undefined],
    ['a null principal', 'UNAUTHENTICATED', null],
    ['ANONYMOUS_PRINCIPAL', 'UNAUTHENTICATED', ANONYMOUS_PRINCIPAL],
    ['a principal of a kind we never issue', 'UNAUTHENTICATED', { kind: 'admin', scopes: new Set(['*']) } as unknown as Principal],
    ['scopes that are not a set', 'FORBIDDEN', { kind: 'apiKey', scopes: ['*'] as unknown as ReadonlySet<string> }],
    ['an unrestricted user (only API keys may be)', 'FORBIDDEN', { kind: 'user', scopes: new Set<string>(), unrestricted: true }],
  ])('denies %s with %s', (_label, code, principal) => {
    const result = check('{ hello posts { id } }', principal);
    expect(rows(result)).toEqual([
      ['posts', 'Query.posts', 'posts.read', code],
      ['posts.id', 'Post.id', 'posts.read', code],
    ]);
  });

  it('lets an anonymous caller run an operation that needs nothing', () => {
    expect(check('{ hello me { name } }', ANONYMOUS_PRINCIPAL)).toEqual({ required: [], anyOf: [], denied: [], allowed: true });
  });

  it('lets a legacy unrestricted API key do everything', () => {
    const legacy: Principal = { kind: 'apiKey', id: 'old', scopes: new Set(), unrestricted: true };
    expect(check('{ posts { comments { body } } me { email } }', legacy)).toEqual({
      required: ['comments.read', 'posts.read', 'users.email'],
      anyOf: [],
      denied: [],
      allowed: true,
    });
  });

  describe('fragments', () => {
    it('follows nested named and inline fragments, each spread once per selection set', () => {
      const result = check(
        `{ posts { ...PostParts ...PostParts } }
         fragment PostParts on Post { title ... on Post { author { ...UserParts } } ... { comments { id } } }
         fragment UserParts on User { name email }`,
        key('posts.read'),
      );
      expect(rows(result)).toEqual([
        ['posts.author.email', 'User.email', 'users.email', 'FORBIDDEN'],
        ['posts.comments.id', 'Comment.id', 'comments.read', 'FORBIDDEN'],
      ]);
    });

    it('merges fields that share a response key, as execution does', () => {
      const result = check('{ me { name } me { email } ... on Query { me { email } } }', key('misc.read'));
      expect(rows(result)).toEqual([['me.email', 'User.email', 'users.email', 'FORBIDDEN']]);
    });

    it('walks a fragment spread many times over in linear time (no fragment bomb)', () => {
      // F0 spreads F1 twice, F1 spreads F2 twice, …: 2^30 paths if expanded naively.
      const depth = 30;
      const fragments = Array.from({ length: depth }, (_, i) => `fragment F${i} on Post { ...F${i + 1} ...F${i + 1} }`);
      fragments.push(`fragment F${depth} on Post { title }`);
      let calls = 0;
      const counting = buildLibrarySchema({ onWarning: () => undefined, requiredScope: () => ((calls += 1), null) });
      const result = checkOperation({ schema: counting, document: parse(`{ posts { ...F0 } } ${fragments.join(' ')}`), principal: key('posts.read') });
      expect(result.allowed).toBe(true);
      expect(calls).toBe(2); // Query.posts and Post.title, once each
    });
  });

  describe('abstract types (conservative AND over the possible types)', () => {
    it('needs each concrete type an interface fragment inside a union can reach', () => {
      const result = check('{ search { __typename ... on Node { id } ... on Titled { title } } }', key('users.read'));
      expect(rows(result)).toEqual([
        ['search.id', 'Post.id', 'posts.read', 'FORBIDDEN'],
        ['search.title', 'Post.title', 'posts.read', 'FORBIDDEN'],
      ]);
    });

    it('needs the one scoped implementation of an interface, unless a type condition excludes it', () => {
      expect(rows(check('{ media { url } }', key('misc.read')))).toEqual([['media.url', 'Image.url', 'images.read', 'FORBIDDEN']]);
      expect(check('{ media { ... on Video { url } } }', key('misc.read')).allowed).toBe(true);
      expect(rows(check('{ media { ... on Image { url } } }', key('misc.read')))).toEqual([['media.url', 'Image.url', 'images.read', 'FORBIDDEN']]);
    });

    it('lists a selection that two members of a union reach by one path once', () => {
      // A.owner and B.owner are two fields of type User: the path `ab.owner` is walked once for each.
      const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope');
      const twins = scopeDirectiveTransformer(
        makeExecutableSchema({
          typeDefs: [
            scopeDirectiveTypeDefs,
            `type User { id: ID email: String @scope(resource: "users", action: "email") }
             type A { owner: User }
             type B { owner: User }
             union AB = A | B
             type Query { ab: [AB] }`,
          ],
        }),
      );
      const result = checkOperation({
        schema: twins,
        document: parse('{ ab { ... on A { owner { email id } } ... on B { owner { id email } } } }'),
        principal: key('misc.read'),
      });
      expect(rows(result)).toEqual([['ab.owner.email', 'User.email', 'users.email', 'FORBIDDEN']]);
      expect(explainOperation({ schema: twins, document: parse('{ ab { ... on A { owner { email } } ... on B { owner { email } } } }') }).selections).toEqual([
        { path: ['ab', 'owner', 'email'], coordinate: 'User.email', requiredScope: 'users.email' },
      ]);
    });

    it('lists a field that two directives give the same scope once', () => {
      const scope = scopeDirective('scope');
      const auth = scopeDirective('auth');
      const twice = auth.scopeDirectiveTransformer(
        scope.scopeDirectiveTransformer(
          makeExecutableSchema({
            typeDefs: [
              scope.scopeDirectiveTypeDefs,
              auth.scopeDirectiveTypeDefs,
              `type User { email: String @scope(resource: "users", action: "email") @auth(resource: "users", action: "email") name: String }
               type Query { me: User }`,
            ],
          }),
        ),
      );
      const document = parse('{ me { email name } }');
      expect(rows(checkOperation({ schema: twice, document, principal: key('misc.read') }))).toEqual([['me.email', 'User.email', 'users.email', 'FORBIDDEN']]);
      expect(explainOperation({ schema: twice, document }).selections).toEqual([{ path: ['me', 'email'], coordinate: 'User.email', requiredScope: 'users.email' }]);
    });

    it('walks the selections below an abstract field once per field type', () => {
      const result = check('{ search { ... on Post { author { email } } ... on User { posts { author { email } } } } }', key('posts.read'));
      expect(rows(result)).toEqual([
        ['search.author.email', 'User.email', 'users.email', 'FORBIDDEN'],
        ['search.posts.author.email', 'User.email', 'users.email', 'FORBIDDEN'],
      ]);
    });
  });

  describe('@skip and @include', () => {
    const source = 'query Me($v: Boolean = false, $s: Boolean!) { hello me @include(if: $v) { email } posts @skip(if: $s) { id } }';

    it.each<[string, Record<string, unknown> | undefined, string[]]>([
      ['$v true, $s false', { v: true, s: false }, ['posts.read', 'users.email']],
      ['$v false, $s true', { v: false, s: true }, []],
      ['$v defaulted (false), $s true', { s: true }, []],
      ['$v defaulted (false), $s unknown: counts as selected', {}, ['posts.read']],
      ['no variable values at all: every condition counts as selected', undefined, ['posts.read', 'users.email']],
    ])('%s', (_label, variableValues, required) => {
      const result = check(source, key('misc.read'), variableValues === undefined ? {} : { variableValues });
      expect(result.required).toEqual(required);
      expect(result.allowed).toBe(required.length === 0);
    });

    it('honours literal conditions and a default of true', () => {
      expect(check('{ me @include(if: false) { email } posts @skip(if: true) { id } }', undefined).allowed).toBe(true);
      expect(check('query ($v: Boolean = true) { me @include(if: $v) { email } }', key('users.email'), { variableValues: {} }).required).toEqual(['users.email']);
      expect(check('query ($v: Boolean = true) { me @include(if: $v) { email } }', key(), { variableValues: { v: false } }).allowed).toBe(true);
    });

    it('refuses variable values of the wrong type with ERR_INVALID_OPERATION', () => {
      expect(() => check(source, key(), { variableValues: { v: 'yes' } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPERATION' }));
    });
  });

  it('checks only the selected operation of a multi-operation document', () => {
    const source = 'query Public { hello } query Private { me { email } } mutation Write { createPost(title: "x") { id } }';
    expect(check(source, undefined, { operationName: 'Public' })).toEqual({ required: [], anyOf: [], denied: [], allowed: true });
    expect(rows(check(source, undefined, { operationName: 'Private' }))).toEqual([['me.email', 'User.email', 'users.email', 'UNAUTHENTICATED']]);
    expect(check(source, key('posts.write', 'posts.read'), { operationName: 'Write' }).allowed).toBe(true);
  });

  it('needs nothing for __typename, __schema and __type', () => {
    expect(check('{ __typename __schema { queryType { name } types { name fields { name } } } __type(name: "Post") { name } }', undefined)).toEqual({
      required: [],
      anyOf: [],
      denied: [],
      allowed: true,
    });
  });

  it.each([
    ['no operation', 'fragment F on Post { id }', undefined],
    ['several operations and no name', 'query A { hello } query B { hello }', undefined],
    ['an unknown operation name', 'query A { hello }', 'B'],
    ['an unknown field', '{ posts { nope } }', undefined],
    ['an unknown fragment', '{ posts { ...Missing } }', undefined],
    ['a fragment cycle through fields (unvalidated document)', '{ posts { ...A } } fragment A on Post { author { posts { ...A } } }', undefined],
  ])('refuses %s with ERR_INVALID_OPERATION', (_label, source, operationName) => {
    expect(() => check(source, key('*'), operationName === undefined ? {} : { operationName })).toThrow(
      expect.objectContaining({ name: 'ScopedPermissionsError', code: 'ERR_INVALID_OPERATION' }),
    );
  });

  it('refuses a schema that was not transformed with ERR_INVALID_OPTIONS', () => {
    const untransformed = makeExecutableSchema({ typeDefs: 'type Query { hello: String }' });
    expect(() => checkOperation({ schema: untransformed, document: parse('{ hello }'), principal: key('*') })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});

describe('checkOperation with a dynamic requiredScope', () => {
  const inputs: unknown[] = [];
  const tenantSchema = buildLibrarySchema({
    onWarning: () => undefined,
    requiredScope: ({ coordinate, scope, args, context }) => {
      inputs.push({ coordinate, scope, args, context });
      return coordinate === 'Query.org' && typeof args.id === 'string' ? `org-${args.id}.read` : null;
    },
  });
  const run = (source: string, principal: Principal, variableValues?: Record<string, unknown>) =>
    checkOperation({ schema: tenantSchema, document: parse(source), principal, variableValues, contextValue: { tenant: 't' } });

  beforeEach(() => {
    inputs.length = 0;
  });

  it('replaces a scope from the coerced arguments, once per selection, and keeps the others', () => {
    const result = run('query ($id: ID!) { a: org(id: $id) { name } b: org(id: "beta") { name } posts { id } }', key('org-acme.read', 'posts.read'), { id: 'acme' });
    expect(result.required).toEqual(['org-acme.read', 'org-beta.read', 'posts.read']);
    expect(rows(result)).toEqual([['b', 'Query.org', 'org-beta.read', 'FORBIDDEN']]);
    expect(inputs).toEqual([
      { coordinate: 'Query.org', scope: 'orgs.read', args: { id: 'acme' }, context: { tenant: 't' } },
      { coordinate: 'Query.org', scope: 'orgs.read', args: { id: 'beta' }, context: { tenant: 't' } },
      { coordinate: 'Query.posts', scope: 'posts.read', args: {}, context: { tenant: 't' } },
      { coordinate: 'Post.id', scope: 'posts.read', args: {}, context: { tenant: 't' } },
    ]);
  });

  it('lists a selection once when it is judged on two merged field nodes with the same arguments', () => {
    const result = run('{ o: org(id: "acme") { name } o: org(id: "acme") { name } }', key('posts.read'));
    expect(rows(result)).toEqual([['o', 'Query.org', 'org-acme.read', 'FORBIDDEN']]);
    expect(inputs).toHaveLength(2); // each node is judged
  });

  it('answers alike when a dynamic requirement checks another operation in the middle of the walk', () => {
    // The walk reuses shared state (a stack of collected fields, marks in the schema's facts): a check run from
    // inside a requirement must neither see nor disturb the one around it.
    const inner = parse('{ me { email e: email } posts { title ...T } } fragment T on Post { title author { email } }');
    const innerResults: OperationCheck[] = [];
    const nesting = buildLibrarySchema({
      onWarning: () => undefined,
      requiredScope: ({ coordinate }) => {
        if (coordinate === 'Query.org') innerResults.push(checkOperation({ schema: tenantSchema, document: inner, principal: key('posts.read') }));
        return null;
      },
    });
    const source = '{ posts { id } org(id: "1") { name } posts { title author { name email } } me { email name: email } }';
    const nested = checkOperation({ schema: nesting, document: parse(source), principal: key('posts.read') });
    const plain = buildLibrarySchema({ onWarning: () => undefined, requiredScope: () => null });
    const alone = checkOperation({ schema: plain, document: parse(source), principal: key('posts.read') });
    expect(innerResults).toHaveLength(1);
    expect(rows(innerResults[0] as OperationCheck)).toEqual([
      ['me.email', 'User.email', 'users.email', 'FORBIDDEN'],
      ['me.e', 'User.email', 'users.email', 'FORBIDDEN'],
      ['posts.author.email', 'User.email', 'users.email', 'FORBIDDEN'],
    ]);
    expect(nested).toEqual(alone);
    expect(rows(nested)).toEqual([
      ['posts.author.email', 'User.email', 'users.email', 'FORBIDDEN'],
      ['org', 'Query.org', 'orgs.read', 'FORBIDDEN'],
      ['me.email', 'User.email', 'users.email', 'FORBIDDEN'],
      ['me.name', 'User.email', 'users.email', 'FORBIDDEN'],
    ]);
  });

  it('leaves out an argument whose variable is unknown', () => {
    const result = checkOperation({ schema: tenantSchema, document: parse('query ($id: ID!) { org(id: $id) { name } }') });
    expect(inputs).toEqual([{ coordinate: 'Query.org', scope: 'orgs.read', args: {}, context: undefined }]);
    expect(result.required).toEqual(['orgs.read']); // the callback kept the directive's scope
  });

  it.each([
    ['a wildcard', 'org.*'],
    ['a bad name', 'Org.Read'],
    ['a number', 42],
  ])('fails closed with ERR_INVALID_SCOPE when it returns %s', (_label, returned) => {
    const broken = buildLibrarySchema({ onWarning: () => undefined, requiredScope: () => returned as string });
    expect(() => checkOperation({ schema: broken, document: parse('{ hello posts { id } }'), principal: key('*') })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }),
    );
  });
});

describe('checkOperation on a document seen before (cached plan)', () => {
  const document = parse('query ($v: Boolean!, $s: Boolean = false) { hello me @include(if: $v) { email } posts @skip(if: $s) { ...P } } fragment P on Post { title }');
  const run = (principal: Principal | undefined, variableValues?: Record<string, unknown>) => checkOperation({ schema, document, principal, variableValues });

  it('answers each combination of condition variables and each principal on its own', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(run(key('posts.read'), { v: true }).required).toEqual(['posts.read', 'users.email']);
      expect(run(key('posts.read'), { v: false }).allowed).toBe(true);
      expect(rows(run(key('users.email'), { v: false }))).toEqual([
        ['posts', 'Query.posts', 'posts.read', 'FORBIDDEN'],
        ['posts.title', 'Post.title', 'posts.read', 'FORBIDDEN'],
      ]);
      expect(run(key('users.email'), { v: true, s: true }).allowed).toBe(true);
      expect(run(undefined, { v: false, s: true })).toEqual({ required: [], anyOf: [], denied: [], allowed: true });
      expect(run(key(), undefined).required).toEqual(['posts.read', 'users.email']); // unknown variables: conservative
    }
  });

  it('keeps the operation-mode guard right when one parsed document runs with other variables', async () => {
    const operationSchema = buildLibrarySchema({ onWarning: () => undefined, enforce: 'operation' });
    const contextValue = { principal: key('posts.read') };
    const run = (variableValues: Record<string, unknown>) => execute({ schema: operationSchema, document, contextValue, variableValues });
    for (let round = 0; round < 2; round += 1) {
      expect((await run({ v: false })).errors).toBeUndefined();
      expect((await run({ v: true })).errors?.map((error) => error.extensions.missingScopes)).toEqual([['users.email']]);
    }
  });
});
