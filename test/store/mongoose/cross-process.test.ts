import { SignJWT } from 'jose';
import type { Connection } from 'mongoose';
import { createScopedContext } from '../../../src/auth/create-scoped-context';
import type { CreateScopedContextOptions, ScopedContextErrorEvent, ScopedContextFunction } from '../../../src/auth/create-scoped-context';
import type { Principal } from '../../../src/principal/principal';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import type { CreatedApiKey } from '../../../src/store/scope-store';
import { connectTo, describeWithMongo, testMongoUri, uniqueDbName } from '../../support/mongo';
import { startStoreWriter } from '../../support/store-writer';
import type { StoreWriter } from '../../support/store-writer';
import { startTcpProxy } from '../../support/tcp-proxy';
import type { TcpProxy } from '../../support/tcp-proxy';
import { until } from '../../support/until';
import { TEST_HASH_OPTIONS } from '../store-contract';
import { sessionUserFromHeader } from '../../support/session-user';

// Two processes on the real test database: process A is a child process
// with its own MongooseScopeStore (test/support/store-writer-process.ts);
// process B is this one, serving requests through createScopedContext.
// On FerretDB, B learns of A's changes by polling the change log.

const POLL_MS = 250;
/** The bound the README states is pollIntervalMs plus one request; this slack covers a loaded 2-core machine. */
const SLACK_MS = 1_500;
const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

describeWithMongo('Two processes on one database', () => {
  const uri = testMongoUri() ?? '';
  let dbName: string;
  let writer: StoreWriter;
  let connection: Connection;
  let store: MongooseScopeStore;
  let context: ScopedContextFunction;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    dbName = uniqueDbName();
    writer = await startStoreWriter(uri, dbName);
  }, 40_000);

  afterAll(async () => {
    await writer.stop();
    const dropper = await connectTo(uri, dbName);
    await dropper.dropDatabase();
    await dropper.close();
  });

  async function serve(through: Connection, options: Partial<CreateScopedContextOptions> = {}): Promise<ScopedContextFunction> {
    store = new MongooseScopeStore(through, { hashOptions: TEST_HASH_OPTIONS, pollIntervalMs: POLL_MS });
    context = createScopedContext({
      store,
      verifier: { hashOptions: TEST_HASH_OPTIONS },
      jwt: { secret: SECRET, issuer: 'test-issuer', audience: 'test-api' },
      getUser: sessionUserFromHeader,
      ...options,
    });
    cleanup.push(() => context.dispose());
    const probe = store.watchChanges(() => undefined);
    await probe.ready; // the watcher the context's caches share is running
    await probe.dispose();
    return context;
  }

  beforeEach(async () => {
    connection = await connectTo(uri, dbName);
    cleanup.push(() => connection.close());
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function createKey(input: Record<string, unknown>): Promise<CreatedApiKey> {
    const reply = await writer.call('createApiKey', input);
    if (!reply.ok) throw new Error(`createApiKey failed in process A: ${reply.code}`);
    return reply.result as CreatedApiKey;
  }

  async function request(headers: Record<string, string>): Promise<Principal | string> {
    try {
      return (await context({ req: { headers } })).principal;
    } catch (error) {
      return String((error as { extensions?: { code?: string } }).extensions?.code ?? error);
    }
  }

  async function scopesOf(headers: Record<string, string>): Promise<string[]> {
    const answer = await request(headers);
    if (typeof answer === 'string') throw new Error(`request refused: ${answer}`);
    return [...answer.scopes].sort();
  }

  /** Milliseconds from A's write to the first request of B that shows it. */
  async function lag(doneAtMs: number, shows: () => Promise<boolean>): Promise<number> {
    await until(shows, 20_000);
    return Date.now() - doneAtMs;
  }

  it('A revokes a key, B refuses it within pollIntervalMs plus one request', async () => {
    await serve(connection);
    const { apiKey, key } = await createKey({ name: 'ci', scopes: ['posts.read'] });
    expect(await scopesOf({ 'x-api-key': key })).toEqual(['posts.read']); // cached in B
    const { doneAtMs } = await writer.call('revokeApiKey', apiKey.id);
    const ms = await lag(doneAtMs, async () => (await request({ 'x-api-key': key })) === 'UNAUTHENTICATED');
    expect(ms).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
  });

  it('A rescopes a key, B applies the new scopes', async () => {
    await serve(connection);
    const { apiKey, key } = await createKey({ name: 'ci', scopes: ['posts.read'] });
    expect(await scopesOf({ 'x-api-key': key })).toEqual(['posts.read']);
    const { doneAtMs } = await writer.call('setApiKeyScopes', apiKey.id, ['comments.read']);
    const ms = await lag(doneAtMs, async () => (await scopesOf({ 'x-api-key': key })).join() === 'comments.read');
    expect(ms).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
  });

  it('A rotates a key without grace, B refuses the old key and accepts the new one', async () => {
    await serve(connection);
    const { apiKey, key } = await createKey({ name: 'ci', scopes: ['posts.read'] });
    expect(await scopesOf({ 'x-api-key': key })).toEqual(['posts.read']);
    const reply = await writer.call('rotateApiKey', apiKey.id, { gracePeriodMs: 0 });
    await lag(reply.doneAtMs, async () => (await request({ 'x-api-key': key })) === 'UNAUTHENTICATED');
    expect(await scopesOf({ 'x-api-key': (reply.result as CreatedApiKey).key })).toEqual(['posts.read']);
  });

  it('A changes a group: B’s JWT users and session users see each change (added, rescoped, removed, deleted)', async () => {
    await serve(connection);
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer('test-issuer').setAudience('test-api').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const viaJwt = { authorization: `Bearer ${token}` };
    const viaSession = { 'x-session-user': 'alice' };
    await writer.call('saveGroup', { name: 'editors', scopes: ['posts.read'] });
    expect(await scopesOf(viaJwt)).toEqual([]);
    expect(await scopesOf(viaSession)).toEqual([]);

    const steps: Array<[string, unknown[], string]> = [
      ['addGroupMember', ['editors', 'alice'], 'posts.read'],
      ['saveGroup', [{ name: 'editors', scopes: ['posts.read', 'posts.write'] }], 'posts.read,posts.write'],
      ['removeGroupMember', ['editors', 'alice'], ''],
      ['addGroupMember', ['editors', 'alice'], 'posts.read,posts.write'],
      ['deleteGroup', ['editors'], ''],
    ];
    for (const [method, args, expected] of steps) {
      const { doneAtMs, ok } = await writer.call(method, ...args);
      expect(ok).toBe(true);
      for (const headers of [viaJwt, viaSession]) {
        const ms = await lag(doneAtMs, async () => (await scopesOf(headers)).join() === expected);
        expect(ms).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
      }
    }
  });

  it('A removes the owner of an owner-bound key from a group, B’s key loses those scopes', async () => {
    await serve(connection, { verifier: { hashOptions: TEST_HASH_OPTIONS, ownerScopes: 'intersect' } });
    await writer.call('saveGroup', { name: 'writers', scopes: ['posts.*'] });
    await writer.call('addGroupMember', 'writers', 'bob');
    const { key } = await createKey({ name: 'bob’s key', scopes: ['posts.read', 'comments.read'], ownerId: 'bob' });
    expect(await scopesOf({ 'x-api-key': key })).toEqual(['posts.read']);
    const { doneAtMs } = await writer.call('removeGroupMember', 'writers', 'bob');
    const ms = await lag(doneAtMs, async () => (await scopesOf({ 'x-api-key': key })).length === 0);
    expect(ms).toBeLessThanOrEqual(POLL_MS + SLACK_MS);
  });

  describe('the store goes down mid-watch, then comes back', () => {
    let proxy: TcpProxy;

    beforeEach(async () => {
      const target = new URL(uri);
      proxy = await startTcpProxy(target.hostname, Number(target.port));
      cleanup.push(() => proxy.close());
    });

    it('B keeps serving within the TTL bound, refuses what it cannot check, reports through onError, and on recovery applies what A changed meanwhile', async () => {
      const viaProxy = await connectTo(`mongodb://127.0.0.1:${proxy.port}/`, dbName, { serverSelectionTimeoutMS: 500, heartbeatFrequencyMS: 500, bufferCommands: false });
      cleanup.push(() => viaProxy.close(true));
      const events: ScopedContextErrorEvent[] = [];
      await serve(viaProxy, { onError: (_error, event) => events.push(event) });
      const { apiKey, key } = await createKey({ name: 'ci', scopes: ['posts.read'] });
      const { key: cold } = await createKey({ name: 'cold', scopes: ['posts.read'] });
      await writer.call('saveGroup', { name: 'editors', scopes: ['posts.write'] });
      await writer.call('addGroupMember', 'editors', 'carol');
      const carol = { 'x-session-user': 'carol' };
      expect(await scopesOf({ 'x-api-key': key })).toEqual(['posts.read']);
      await until(async () => (await scopesOf(carol)).join() === 'posts.write');

      proxy.cut();
      await until(() => events.some((event) => event.kind === 'watch'));
      // What B checked before stands for up to cacheTtlMs; what it cannot check is refused, never granted.
      expect(await scopesOf({ 'x-api-key': key })).toEqual(['posts.read']);
      expect(await request({ 'x-api-key': cold })).toBe('ERR_STORE_UNAVAILABLE');

      expect((await writer.call('revokeApiKey', apiKey.id)).ok).toBe(true);
      expect((await writer.call('removeGroupMember', 'editors', 'carol')).ok).toBe(true);
      proxy.restore();
      await until(async () => (await request({ 'x-api-key': key })) === 'UNAUTHENTICATED', 25_000);
      expect(await scopesOf(carol)).toEqual([]);
      expect(await scopesOf({ 'x-api-key': cold })).toEqual(['posts.read']);
    }, 40_000);
  });
});
