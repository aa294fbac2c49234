// Boots examples/nestjs for real (compiled by tsc, Nest's Apollo driver, MongooseModule on the test
// MongoDB/FerretDB), in both schema styles and both enforcement modes, and calls it over HTTP.
import { execFileSync } from 'node:child_process';
import { MongooseScopeStore } from '../../src/store/mongoose/mongoose-scope-store';
import { type ExampleServer, REPO_ROOT, postGraphQL, startExampleServer } from '../example-server/example-server-process';
import { describeWithMongo, testMongoUri } from '../support/mongo';

type Row = [label: string, key: 'none' | 'reader' | 'reviewer' | 'publisher' | 'unknown', query: string, status: number, data: unknown, errors: string[]];

/** The same requests in both schema styles; the rows that differ by enforcement mode are split below. */
const common: Row[] = [
  ['a public field, anonymous', 'none', '{ hello }', 200, { hello: 'world' }, []],
  ['a scoped field, anonymous', 'none', '{ allPosts { id } }', 401, null, ['UNAUTHENTICATED posts.read']],
  ['an unknown key', 'unknown', '{ allPosts { id } }', 401, null, ['UNAUTHENTICATED']],
  ['the type directive', 'reader', '{ allPosts { id title } }', 200, { allPosts: [{ id: '1', title: 'Hello, Nest' }, { id: '2', title: 'Scopes in code-first schemas' }] }, []],
  ['a field extension granted', 'reviewer', '{ allPosts { notes } }', 200, { allPosts: [{ notes: 'check the intro' }, { notes: 'needs a diagram' }] }, []],
  ['publish denied', 'reader', 'mutation { publishPost(id: "2") }', 403, null, ['FORBIDDEN posts.publish']],
  ['publish granted', 'publisher', 'mutation { publishPost(id: "2") }', 200, { publishPost: true }, []],
];
const partial: Record<'field' | 'operation', Row> = {
  field: ['a field extension denied beside data: 200', 'reader', '{ allPosts { id notes } }', 200, { allPosts: [{ id: '1', notes: null }, { id: '2', notes: null }] }, ['FORBIDDEN posts.review', 'FORBIDDEN posts.review']],
  operation: ['a field extension denied: the whole operation, 403', 'reader', '{ allPosts { id notes } }', 403, null, ['FORBIDDEN posts.review']],
};

describeWithMongo('examples/nestjs', (database) => {
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    // As `npm run example:nestjs` does: Nest needs the decorator metadata that only tsc emits.
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'examples/nestjs/tsconfig.json'], { cwd: REPO_ROOT, stdio: 'pipe' });
    const store = new MongooseScopeStore(database().connection);
    for (const [name, scopes] of [['reader', ['posts.read']], ['reviewer', ['posts.read', 'posts.review']], ['publisher', ['posts.publish']]] as const) {
      keys[name] = (await store.createApiKey({ name, scopes: [...scopes] })).key;
    }
    keys.unknown = `${keys.reader!.slice(0, -4)}AAAA`;
  }, 120_000);

  describe.each([
    ['code-first', 'field'],
    ['code-first', 'operation'],
    ['schema-first', 'field'],
    ['schema-first', 'operation'],
  ] as const)('%s, %s mode', (schema, enforce) => {
    let server: ExampleServer;
    beforeAll(async () => {
      server = await startExampleServer({ MONGODB_URI: testMongoUri() ?? undefined, MONGODB_DB: database().dbName, SCHEMA: schema, ENFORCE: enforce }, 'examples/nestjs/dist/main.js');
    }, 60_000);
    afterAll(async () => {
      expect(await server?.stop()).toBe(0);
    });

    it.each([...common, partial[enforce]])('%s', async (_label, key, query, status, data, errors) => {
      const reply = await postGraphQL(server.url, query, key === 'none' ? {} : { authorization: `Bearer ${keys[key]}` });
      expect({
        status: reply.status,
        data: reply.data ?? null,
        errors: (reply.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.requiredScope].filter((part) => part !== undefined).join(' ')),
      }).toEqual({ status, data, errors });
    });

    it('serves the admin page from the Nest app, under its CSP', async () => {
      const response = await fetch(new URL('/admin/', server.url), { redirect: 'manual' });
      expect(response.status).toBeLessThan(400);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    });
  });
});
