import { graphql, type OperationDefinitionNode, parse, subscribe, type ExecutionResult, type GraphQLError } from 'graphql';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../src/principal/principal';
import { ITEM_COUNT, buildBlogSchema } from './blog-schema';

const key = (...scopes: string[]): Principal => ({ kind: 'apiKey', id: 'k1', scopes: new Set(scopes) });

const principals = {
  none: undefined,
  anonymous: ANONYMOUS_PRINCIPAL,
  reader: key('posts.read'),
  commentReader: key('posts.read', 'comments.read'),
  contentReader: key('content.read'),
  miscReader: key('misc.read'),
  itemReader: key('items.read'),
  userReader: key('users.read'),
  accountant: key('users.read', 'finance.read'),
  editor: key('posts.read', 'posts.write', 'comments.read', 'comments.write'),
  deleter: key('posts.delete'),
  commentDeleter: key('comments.delete'),
  publisher: key('posts.publish'),
  exporter: key('analytics.export'),
  analyticsAll: key('analytics.*'),
  postsAll: key('posts.*'),
  readAll: key('*.read'),
  writeAll: key('*.write', 'posts.read'),
  admin: key('*'),
  legacy: { kind: 'apiKey', id: 'old', scopes: new Set<string>(), unrestricted: true } satisfies Principal,
  user: { kind: 'user', id: 'u1', scopes: new Set(['posts.read']) } satisfies Principal,
  jwt: { kind: 'jwt', id: 'sub', scopes: new Set(['posts.*']) } satisfies Principal,
  arrayScopes: { kind: 'apiKey', id: 'bad', scopes: ['posts.read'] as unknown as ReadonlySet<string> } satisfies Principal,
  unknownKind: { kind: 'admin', id: 'x', scopes: new Set(['*']) } as unknown as Principal,
  unrestrictedUser: { kind: 'user', id: 'u2', scopes: new Set<string>(), unrestricted: true } satisfies Principal,
};
type PrincipalName = keyof typeof principals;

/** [path, code, requiredScope] of each error, in order. */
type ErrorRow = [string, string, string | undefined];

const schema = buildBlogSchema();

async function run(principal: PrincipalName, source: string, on = schema): Promise<{ data: unknown; errors: ErrorRow[] }> {
  const result = await graphql({
    schema: on,
    source,
    rootValue: { noResolver: 'from root value' },
    contextValue: { principal: principals[principal] },
  });
  return { data: result.data ?? null, errors: (result.errors ?? []).map(describeError) };
}

function describeError(error: GraphQLError): ErrorRow {
  return [(error.path ?? []).join('.'), String(error.extensions.code), error.extensions.requiredScope as string | undefined];
}

const post = { id: 'p1', title: 'Hello' };
const UNAUTH = 'UNAUTHENTICATED';
const FORBID = 'FORBIDDEN';

// [principal, query, data, errors] in field mode (the default)
const accessMatrix: Array<[PrincipalName, string, unknown, ErrorRow[]]> = [
    // unprotected fields work for everyone
    ['none', '{ hello }', { hello: 'world' }, []],
    ['anonymous', '{ hello }', { hello: 'world' }, []],
    // queries need resource.read; non-null roots propagate to data: null
    ['none', '{ posts { id } }', null, [['posts', UNAUTH, 'posts.read']]],
    ['anonymous', '{ posts { id } }', null, [['posts', UNAUTH, 'posts.read']]],
    ['reader', '{ posts { id title } }', { posts: [post] }, []],
    ['user', '{ posts { id title } }', { posts: [post] }, []],
    ['jwt', '{ posts { id title } }', { posts: [post] }, []],
    ['contentReader', '{ post(id: "p1") { id } }', { post: null }, [['post', FORBID, 'posts.read']]],
    ['contentReader', '{ requiredPost { id } }', null, [['requiredPost', FORBID, 'posts.read']]],
    ['arrayScopes', '{ post(id: "p1") { id } }', { post: null }, [['post', FORBID, 'posts.read']]],
    // type-level directives on nested objects
    ['reader', '{ posts { comments { body } } }', { posts: [{ comments: [{ body: null }] }] }, [['posts.0.comments.0.body', FORBID, 'comments.read']]],
    ['commentReader', '{ posts { comments { body } } }', { posts: [{ comments: [{ body: 'Nice' }] }] }, []],
    // a field directive overrides the type's
    ['reader', '{ posts { secret } }', { posts: [{ secret: null }] }, [['posts.0.secret', FORBID, 'secrets.read']]],
    ['readAll', '{ posts { secret } }', { posts: [{ secret: 's3cret' }] }, []],
    // an interface's directive applies to implementations that say nothing (Page), not to Post
    ['reader', '{ contents { title } }', { contents: [{ title: 'Hello' }, { title: null }] }, [['contents.1.title', FORBID, 'content.read']]],
    ['contentReader', '{ contents { title } }', { contents: [{ title: null }, { title: 'About' }] }, [['contents.0.title', FORBID, 'posts.read']]],
    // finding 5: an interface field's directive beats the implementing type's (Account @scope(users) implements HasBalance { balance @scope(finance) })
    ['userReader', '{ account { name balance } }', { account: { name: 'Ada', balance: null } }, [['account.balance', FORBID, 'finance.read']]],
    ['accountant', '{ account { name balance } }', { account: { name: 'Ada', balance: 1000 } }, []],
    // a field with no resolver keeps the default resolver
    ['miscReader', '{ noResolver }', { noResolver: 'from root value' }, []],
    ['reader', '{ noResolver }', { noResolver: null }, [['noResolver', FORBID, 'misc.read']]],
    // async resolvers
    ['reader', '{ asyncPosts { id } }', { asyncPosts: [{ id: 'p1' }] }, []],
    ['none', '{ asyncPosts { id } }', null, [['asyncPosts', UNAUTH, 'posts.read']]],
    // the app's own errors pass through unchanged; auth is checked first
    ['reader', '{ broken }', { broken: null }, [['broken', 'APP_DOWN', undefined]]],
    ['none', '{ broken }', { broken: null }, [['broken', UNAUTH, 'posts.read']]],
    // explicit actions
    ['reader', '{ analyticsExport }', { analyticsExport: null }, [['analyticsExport', FORBID, 'analytics.export']]],
    ['readAll', '{ analyticsExport }', { analyticsExport: null }, [['analyticsExport', FORBID, 'analytics.export']]],
    ['exporter', '{ analyticsExport }', { analyticsExport: 'csv' }, []],
    ['analyticsAll', '{ analyticsExport }', { analyticsExport: 'csv' }, []],
    // mutations: write, delete by verb, custom action
    ['reader', 'mutation { createPost(title: "x") { id } }', { createPost: null }, [['createPost', FORBID, 'posts.write']]],
    ['editor', 'mutation { createPost(title: "x") { id title } }', { createPost: { id: 'p9', title: 'x' } }, []],
    ['writeAll', 'mutation { createPost(title: "x") { id } }', { createPost: { id: 'p9' } }, []],
    ['none', 'mutation { createPost(title: "x") { id } }', { createPost: null }, [['createPost', UNAUTH, 'posts.write']]],
    ['editor', 'mutation { deletePost(id: "p1") }', { deletePost: null }, [['deletePost', FORBID, 'posts.delete']]],
    ['deleter', 'mutation { deletePost(id: "p1") }', { deletePost: true }, []],
    ['editor', 'mutation { removeComment(id: "c1") }', { removeComment: null }, [['removeComment', FORBID, 'comments.delete']]],
    ['commentDeleter', 'mutation { removeComment(id: "c1") }', { removeComment: true }, []],
    ['editor', 'mutation { publishPost(id: "p1") }', { publishPost: null }, [['publishPost', FORBID, 'posts.publish']]],
    ['publisher', 'mutation { publishPost(id: "p1") }', { publishPost: true }, []],
    // wildcards
    ['postsAll', 'mutation { publishPost(id: "p1") deletePost(id: "p1") }', { publishPost: true, deletePost: true }, []],
    ['admin', 'mutation { publishPost(id: "p1") }', { publishPost: true }, []],
    ['admin', '{ posts { secret comments { body } } analyticsExport }', { posts: [{ secret: 's3cret', comments: [{ body: 'Nice' }] }], analyticsExport: 'csv' }, []],
    // a legacy unrestricted key may do everything
    ['legacy', '{ posts { secret comments { body } } }', { posts: [{ secret: 's3cret', comments: [{ body: 'Nice' }] }] }, []],
    ['legacy', 'mutation { publishPost(id: "p1") deletePost(id: "p1") }', { publishPost: true, deletePost: true }, []],
    // fail closed on principals we never issue
    ['unknownKind', '{ analyticsExport }', { analyticsExport: null }, [['analyticsExport', UNAUTH, 'analytics.export']]],
    ['unrestrictedUser', '{ analyticsExport }', { analyticsExport: null }, [['analyticsExport', FORBID, 'analytics.export']]],
];

describe('@scope access matrix', () => {
  it.each(accessMatrix)('%s: %s', async (principal, source, data, errors) => {
    await expect(run(principal, source)).resolves.toEqual({ data, errors });
  });

  it(`checks every item of a list of ${ITEM_COUNT}`, async () => {
    const allowed = await run('itemReader', '{ items { n } }');
    expect(allowed.errors).toEqual([]);
    expect(allowed.data).toEqual({ items: Array.from({ length: ITEM_COUNT }, (_, n) => ({ n })) });

    const denied = await run('reader', '{ items { n } }');
    expect(denied.data).toEqual({ items: Array.from({ length: ITEM_COUNT }, () => ({ n: null })) });
    expect(denied.errors).toHaveLength(ITEM_COUNT);
    expect(denied.errors[ITEM_COUNT - 1]).toEqual([`items.${ITEM_COUNT - 1}.n`, FORBID, 'items.read']);
  });

  it('sets the HTTP status and a message naming the missing scope', async () => {
    const forbidden = await graphql({ schema, source: '{ analyticsExport }', contextValue: { principal: principals.reader } });
    expect(forbidden.errors?.[0]?.extensions).toEqual({ code: FORBID, requiredScope: 'analytics.export', http: { status: 403 } });
    expect(forbidden.errors?.[0]?.message).toContain('analytics.export');
    const unauthenticated = await graphql({ schema, source: '{ analyticsExport }', contextValue: {} });
    expect(unauthenticated.errors?.[0]?.extensions).toEqual({ code: UNAUTH, requiredScope: 'analytics.export', http: { status: 401 } });
  });

  it('reads the principal from a configured place', async () => {
    const custom = buildBlogSchema({ getPrincipal: (context) => (context as { auth: { who: Principal } }).auth.who });
    const result = await graphql({ schema: custom, source: '{ posts { id } }', contextValue: { auth: { who: principals.reader } } });
    expect(result).toEqual({ data: { posts: [{ id: 'p1' }] } });
    const denied = await graphql({ schema: custom, source: '{ posts { id } }', contextValue: { auth: { who: principals.contentReader } } });
    expect(denied.errors?.map(describeError)).toEqual([['posts', FORBID, 'posts.read']]);
  });
});

describe('the access matrix in operation mode', () => {
  const operationSchema = buildBlogSchema({ enforce: 'operation' });
  const isAuthError = ([, code]: ErrorRow) => code === UNAUTH || code === FORBID;

  it.each(accessMatrix.filter(([, , , errors]) => !errors.some(isAuthError)))('%s: %s gives the same result as field mode', async (principal, source, data, errors) => {
    await expect(run(principal, source, operationSchema)).resolves.toEqual({ data, errors });
  });

  it.each(accessMatrix.filter(([, , , errors]) => errors.some(isAuthError)))('%s: %s is refused as a whole, naming at least the scopes field mode names', async (principal, source, _data, errors) => {
    const result = await graphql({ schema: operationSchema, source, rootValue: { noResolver: 'from root value' }, contextValue: { principal: principals[principal] } });
    const rootFields = (parse(source).definitions[0] as OperationDefinitionNode).selectionSet.selections.length;
    expect(result.errors).toHaveLength(rootFields);
    const missing = new Set(result.errors?.flatMap((error) => error.extensions.missingScopes as string[]));
    for (const [, code, requiredScope] of errors.filter(isAuthError)) {
      expect(result.errors?.map((error) => error.extensions.code)).toContain(code);
      expect(missing).toContain(requiredScope);
    }
    for (const value of Object.values(result.data ?? {})) expect(value).toBeNull();
  });
});

describe('@scope on subscriptions', () => {
  async function subscribeAs(principal: Principal | undefined) {
    return subscribe({ schema, document: parse('subscription { postAdded { id } }'), contextValue: { principal } });
  }

  it('checks subscribe before any event', async () => {
    const result = (await subscribeAs(undefined)) as ExecutionResult;
    expect(result.errors?.map(describeError)).toEqual([['postAdded', UNAUTH, 'posts.read']]);
    const forbidden = (await subscribeAs(principals.contentReader)) as ExecutionResult;
    expect(forbidden.errors?.map(describeError)).toEqual([['postAdded', FORBID, 'posts.read']]);
  });

  it('delivers events to an allowed principal and re-checks each event in resolve', async () => {
    const scopes = new Set(['posts.read']);
    const iterator = (await subscribeAs({ kind: 'apiKey', id: 'k', scopes })) as AsyncGenerator<ExecutionResult>;
    expect(Symbol.asyncIterator in iterator).toBe(true);
    const first = await iterator.next();
    expect(first.value).toEqual({ data: { postAdded: { id: 'p1' } } });
    scopes.delete('posts.read'); // revoked while subscribed
    const second = await iterator.next();
    expect(second.value.data).toEqual({ postAdded: null });
    expect(second.value.errors.map(describeError)).toEqual([['postAdded', FORBID, 'posts.read']]);
  });
});
