import type { Connection } from 'mongoose';
import { ADMIN_SESSION_COLLECTION } from '../../src/admin/session/mongo-admin-sessions';
import { MongooseScopeStore } from '../../src/store/mongoose/mongoose-scope-store';
import { AdminClient } from '../admin/support/admin-client';
import { signInFrom } from '../admin/support/loopback-sign-in';
import { connectTo, describeWithMongo, testMongoUri } from '../support/mongo';
import { until } from '../support/until';
import { type ExampleServer, startExampleServer } from './example-server-process';

// Issue 18, part 1: two example servers on one database, behind a "load
// balancer" that alternates between them, share admin sessions, sign-out,
// new keys shown once, throttle budgets and the end of a revoked admin's session.

/** One browser (one cookie jar) whose requests alternate between two replicas. */
function balanced(first: string, second: string): { readonly replicas: readonly [AdminClient, AdminClient] } {
  const a = new AdminClient(first);
  const b = new AdminClient(second);
  Object.defineProperty(b, 'cookies', { value: a.cookies });
  return { replicas: [a, b] };
}

describeWithMongo('two replicas of the example server on one database', (database) => {
  let servers: ExampleServer[] = [];
  let connection: Connection | undefined;
  let store: MongooseScopeStore;
  let adminKey: string;

  beforeAll(async () => {
    const uri = new URL(testMongoUri() as string);
    uri.pathname = `/${database().dbName}`;
    connection = await connectTo(uri.href, database().dbName);
    store = new MongooseScopeStore(connection);
    ({ key: adminKey } = await store.createApiKey({ name: 'team admin', scopes: ['*'] }));
    servers = await Promise.all([startExampleServer({ MONGODB_URI: uri.href }), startExampleServer({ MONGODB_URI: uri.href })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await connection?.close();
  });

  const adminUrls = (): [string, string] => servers.map((server) => new URL('admin', server.url).href) as [string, string];

  it('a session made on one works on the other; a new key is shown once across both; sign-out on one ends it on both', async () => {
    const [a, b] = balanced(...adminUrls()).replicas;
    // The sign-in form from A, posted to B: the CSRF key is shared.
    const token = await a.token('/sign-in');
    expect((await b.post('/sign-in', { _csrf: token, credential: adminKey })).location).toBe('/admin/keys');
    expect((await a.get('/keys')).status).toBe(200);
    expect((await b.get('/keys')).status).toBe(200);
    const sessionCookie = a.cookies.get('gsp_admin') ?? '';
    const stored = JSON.stringify(await database().connection.collection(ADMIN_SESSION_COLLECTION).find({}).toArray());
    expect(stored).not.toContain(sessionCookie);
    expect(stored).not.toContain(adminKey.slice(4));

    const created = await b.post('/keys/new', { _csrf: await a.token('/keys/new'), name: 'replicated', scope: ['posts.read'] });
    const createdPath = created.location?.replace('/admin', '') ?? '';
    const shown = await a.get(createdPath);
    const newKey = /id="new-key" value="([^"]+)"/.exec(shown.body)?.[1] ?? '';
    expect(newKey).toMatch(/^gsp_/);
    expect(stored).not.toContain(newKey.slice(4));
    expect((await b.get(createdPath)).body).not.toContain(newKey);

    expect((await b.post('/sign-out', { _csrf: await a.token('/keys') })).location).toBe('/admin/sign-in?reason=signed-out');
    const replay = new AdminClient(adminUrls()[0]);
    replay.cookies.set('gsp_admin', sessionCookie);
    expect((await replay.get('/keys')).location).toBe('/admin/sign-in?reason=session-ended');
  });

  it('shares the sign-in throttle budget: ten attempts from one address, alternating, then 429 on both', async () => {
    const [first, second] = adminUrls();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) statuses.push(await signInFrom(attempt % 2 === 0 ? first : second, '127.0.0.77', 'gsp_wrong'));
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 401));
    expect(await signInFrom(first, '127.0.0.77', adminKey)).toBe(429);
    expect(await signInFrom(second, '127.0.0.77', adminKey)).toBe(429);
    // Another address is not affected.
    expect(await signInFrom(second, '127.0.0.78', adminKey)).toBe(303);
  });

  it('revoking the admin key ends its session on every replica', async () => {
    const { apiKey, key } = await store.createApiKey({ name: 'second admin', scopes: ['scopes.admin'] });
    const [a, b] = balanced(...adminUrls()).replicas;
    expect((await a.signIn(key)).location).toBe('/admin/keys');
    expect((await b.get('/keys')).status).toBe(200);
    expect((await a.get('/keys')).status).toBe(200);
    await store.revokeApiKey(apiKey.id, { actor: 'test' });
    // Each replica's verifier hears of it through the change log (polled every second).
    const ended = new AdminClient(adminUrls()[1]);
    const cookie = a.cookies.get('gsp_admin') ?? '';
    await until(async () => {
      ended.cookies.set('gsp_admin', cookie);
      return (await ended.get('/keys')).status !== 200;
    }, 15_000);
    expect((await a.get('/keys')).location).toMatch(/^\/admin\/sign-in\?reason=(credential-invalid|session-ended)$/);
    expect((await b.get('/keys')).location).toMatch(/^\/admin\/sign-in/);
  });
});
