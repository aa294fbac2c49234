import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateApiKey, parseApiKey } from '../../src/keys/api-key-format';
import { describeWithMongo, testMongoUri } from '../support/mongo';
import { matchesSample, sampleOf } from '../readme/sample-output';
import { type ExampleServer, REPO_ROOT, postGraphQL, startExampleServer } from './example-server-process';

// The README's quick start, replayed over HTTP
// against `example-server/server.ts` running as a child process.

type Caller = 'anonymous' | 'READ_KEY' | 'EDITOR_KEY' | 'ADMIN_KEY' | 'DEMO_JWT' | 'BAD_KEY' | 'UNKNOWN_KEY' | 'TAMPERED_JWT';

interface Step {
  readonly caller: Caller;
  readonly query: string;
  readonly status: number;
  /** Matched with `toMatchObject`; `null` for a response whose `data` is null or absent. */
  readonly data: Record<string, unknown> | null;
  /** `[code, requiredScope]` of each error, in order. */
  readonly errors: ReadonlyArray<readonly [string, string | undefined]>;
}

// In order: the mutations build on each other (the example starts with posts 1 and 2, comment 3).
const steps: Array<[string, Step]> = [
  ['anonymous me', { caller: 'anonymous', query: '{ me { kind id scopes } }', status: 200, data: { me: { kind: 'anonymous', id: null, scopes: [] } }, errors: [] }],
  ['anonymous posts', { caller: 'anonymous', query: '{ posts { id } }', status: 401, data: null, errors: [['UNAUTHENTICATED', 'posts.read']] }],
  ['unknown key', { caller: 'UNKNOWN_KEY', query: '{ me { kind } }', status: 401, data: null, errors: [['UNAUTHENTICATED', undefined]] }],
  ['mistyped key', { caller: 'BAD_KEY', query: '{ me { kind } }', status: 401, data: null, errors: [['UNAUTHENTICATED', undefined]] }],
  ['tampered JWT', { caller: 'TAMPERED_JWT', query: '{ me { kind } }', status: 401, data: null, errors: [['UNAUTHENTICATED', undefined]] }],
  ['read key lists posts', {
    caller: 'READ_KEY',
    query: '{ posts { id title published } }',
    status: 200,
    data: { posts: [{ id: '1', title: 'Hello, scopes', published: true }, { id: '2', title: 'Draft: wildcards', published: false }] },
    errors: [],
  }],
  ['read key reads comments (type-level @scope)', { caller: 'READ_KEY', query: '{ post(id: "1") { comments { body } } }', status: 200, data: { post: { comments: [{ body: 'First!' }] } }, errors: [] }],
  ['read key createPost', { caller: 'READ_KEY', query: 'mutation { createPost(title: "Mine") { id } }', status: 403, data: null, errors: [['FORBIDDEN', 'posts.write']] }],
  ['read key partial result', {
    caller: 'READ_KEY',
    query: '{ posts { id } analyticsExport }',
    status: 200,
    data: { posts: [{ id: '1' }, { id: '2' }], analyticsExport: null },
    errors: [['FORBIDDEN', 'analytics.export']],
  }],
  ['read key deleteComment', { caller: 'READ_KEY', query: 'mutation { deleteComment(id: "3") }', status: 403, data: null, errors: [['FORBIDDEN', 'comments.delete']] }],
  ['editor createPost', { caller: 'EDITOR_KEY', query: 'mutation { createPost(title: "Mine") { id title published } }', status: 200, data: { createPost: { id: '4', title: 'Mine', published: false } }, errors: [] }],
  ['editor addComment', { caller: 'EDITOR_KEY', query: 'mutation { addComment(postId: "4", body: "Hi") { id body } }', status: 200, data: { addComment: { id: '5', body: 'Hi' } }, errors: [] }],
  ['editor publishPost', { caller: 'EDITOR_KEY', query: 'mutation { publishPost(id: "4") { published } }', status: 403, data: null, errors: [['FORBIDDEN', 'posts.publish']] }],
  ['admin publishPost', { caller: 'ADMIN_KEY', query: 'mutation { publishPost(id: "4") { id published } }', status: 200, data: { publishPost: { id: '4', published: true } }, errors: [] }],
  ['admin analyticsExport', { caller: 'ADMIN_KEY', query: '{ analyticsExport }', status: 200, data: { analyticsExport: expect.stringContaining('4,"Mine",true') }, errors: [] }],
  ['JWT me: token and group scopes', {
    caller: 'DEMO_JWT',
    query: '{ me { kind id name scopes } }',
    status: 200,
    data: { me: { kind: 'jwt', id: 'alice', name: 'Alice', scopes: ['comments.read', 'comments.write', 'posts.*'] } },
    errors: [],
  }],
  ['JWT publishPost (posts.* from the Editors group)', { caller: 'DEMO_JWT', query: 'mutation { publishPost(id: "2") { published } }', status: 200, data: { publishPost: { published: true } }, errors: [] }],
  ['JWT deletePost', { caller: 'DEMO_JWT', query: 'mutation { deletePost(id: "2") }', status: 200, data: { deletePost: true }, errors: [] }],
  ['JWT deleteComment', { caller: 'DEMO_JWT', query: 'mutation { deleteComment(id: "5") }', status: 403, data: null, errors: [['FORBIDDEN', 'comments.delete']] }],
];

describe('example server (memory store)', () => {
  let server: ExampleServer | undefined;

  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  function running(): ExampleServer {
    if (server === undefined) throw new Error('the example server did not start');
    return server;
  }

  function headersFor(caller: Caller): Record<string, string> {
    const { credentials } = running();
    switch (caller) {
      case 'anonymous':
        return {};
      case 'BAD_KEY': {
        const key = credentials.READ_KEY ?? '';
        return { authorization: `Bearer ${key.slice(0, -2)}${key.endsWith('AA') ? 'BB' : 'AA'}` };
      }
      case 'UNKNOWN_KEY':
        return { authorization: `Bearer ${generateApiKey().key}` };
      case 'TAMPERED_JWT': {
        const [header, payload] = (credentials.DEMO_JWT ?? '').split('.');
        return { authorization: `Bearer ${header}.${payload}.${'A'.repeat(43)}` };
      }
      default:
        return { authorization: `Bearer ${credentials[caller] ?? ''}` };
    }
  }

  it('prints each demo credential once, in memory, marked as development only', () => {
    const stdout = running().stdout();
    const { credentials } = running();
    expect(Object.keys(credentials).sort()).toEqual(['ADMIN_KEY', 'DEMO_JWT', 'EDITOR_KEY', 'READ_KEY']);
    for (const value of Object.values(credentials)) expect(stdout.split(value)).toHaveLength(2);
    expect(stdout).toMatch(/in memory/);
    expect(stdout).toMatch(/DEVELOPMENT ONLY/);
    expect(running().url).toMatch(/^http:\/\/localhost:\d+\/$/);
  });

  it.each(steps)('%s', async (_label, step) => {
    const reply = await postGraphQL(running().url, step.query, headersFor(step.caller));
    expect(reply.status).toBe(step.status);
    if (step.data === null) expect(reply.data ?? null).toBeNull();
    else expect(reply.data).toMatchObject(step.data);
    expect((reply.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.requiredScope])).toEqual(step.errors);
  });

  it('accepts the key in X-API-Key too', async () => {
    const reply = await postGraphQL(running().url, '{ me { kind scopes } }', { 'x-api-key': running().credentials.EDITOR_KEY ?? '' });
    expect(reply).toMatchObject({ status: 200, data: { me: { kind: 'apiKey', scopes: ['comments.read', 'comments.write', 'posts.read', 'posts.write'] } } });
  });

  it('stops cleanly on SIGTERM', async () => {
    await expect(running().stop('SIGTERM')).resolves.toBe(0);
    expect(running().stdout()).toMatch(/^SIGTERM: stopping\.$/m);
  });
});

describeWithMongo('example server (MongoDB store, keys from the CLI)', (database) => {
  let server: ExampleServer | undefined;
  let mongoUri = '';

  beforeAll(async () => {
    const url = new URL(testMongoUri() ?? '');
    url.pathname = `/${database().dbName}`;
    mongoUri = url.toString();
    server = await startExampleServer({ MONGODB_URI: mongoUri });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  function running(): ExampleServer {
    if (server === undefined) throw new Error('the example server did not start');
    return server;
  }

  it('seeds nothing, and says how to create a key, as the README shows', () => {
    expect(running().credentials).toEqual({});
    const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
    expect(matchesSample('example server banner (MongoDB)', sampleOf(readme, 'example server banner (MongoDB)'), running().stdout(), running().url)).toBeNull();
    expect(running().stdout()).toMatch(/MongoDB/);
    expect(running().stdout()).toMatch(/^ {2}npx graphql-scoped-permissions keys create --name \S+ --scope /m);
  });

  it('serves a key created by the CLI, within its scopes', async () => {
    const created = spawnSync(process.execPath, ['dist/cli/bin.cjs', 'keys', 'create', '--name', 'reader', '--scope', 'posts.read'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, MONGODB_URI: mongoUri },
    });
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(parseApiKey(key)).not.toBeNull();
    const headers = { authorization: `Bearer ${key}` };

    await expect(postGraphQL(running().url, '{ posts { id } }', headers)).resolves.toMatchObject({ status: 200, data: { posts: [{ id: '1' }, { id: '2' }] } });
    const denied = await postGraphQL(running().url, 'mutation { createPost(title: "x") { id } }', headers);
    expect(denied).toMatchObject({ status: 403, data: null, errors: [{ extensions: { code: 'FORBIDDEN', requiredScope: 'posts.write' } }] });
  });

  it('refuses bearer JWTs without JWT_SECRET', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2ln';
    const reply = await postGraphQL(running().url, '{ me { kind } }', { authorization: `Bearer ${token}` });
    expect(reply).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('stops cleanly on SIGTERM, closing the MongoDB connection', async () => {
    await expect(running().stop('SIGTERM')).resolves.toBe(0);
  });
});
