import { makeExecutableSchema } from '@graphql-tools/schema';
import { type ExecutionResult, type GraphQLSchema, parse, subscribe } from 'graphql';
import { SignJWT } from 'jose';
import { createApiKeyVerifier } from '../../src/auth/api-keys/api-key-verifier';
import type { ApiKeyVerifier } from '../../src/auth/api-keys/api-key-verification';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import { scopeDirective } from '../../src/directive/scope-directive';
import { guardEventStream } from '../../src/directive/guard-subscription';
import { hashSecret } from '../../src/keys/hash-secret';
import { parseApiKey } from '../../src/keys/api-key-format';
import type { Principal } from '../../src/principal/principal';
import { ReadOnlyScopeSet } from '../../src/principal/read-only-set';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { CHEAP_HASH, CountingStore } from '../auth/counting-store';
import { Channel } from '../support/channel';

const NOW_MS = Date.parse('2030-01-01T00:00:00Z');
const JWT_SECRET = 'a-shared-secret-of-at-least-32-bytes!';

type Event = { postAdded: { id: string } };

function buildSchema(channel: () => Channel<Event>): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  return scopeDirectiveTransformer(
    makeExecutableSchema({
      typeDefs: [scopeDirectiveTypeDefs, 'type Post { id: ID! } type Query { a: String } type Subscription { postAdded: Post @scope(resource: "posts") }'],
      resolvers: { Subscription: { postAdded: { subscribe: () => channel() } } },
    }),
  );
}

const event = (id: string): Event => ({ postAdded: { id } });
const codes = (result: ExecutionResult): unknown[] => (result.errors ?? []).map((error) => error.extensions.code);

let store: CountingStore;
let memory: MemoryScopeStore;
let verifier: ApiKeyVerifier;
let source: Channel<Event>;
let schema: GraphQLSchema;

beforeEach(() => {
  jest.useFakeTimers({ now: NOW_MS, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  memory = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  store = new CountingStore(memory);
  verifier = createApiKeyVerifier(store, { hashOptions: CHEAP_HASH, cacheTtlMs: 30_000 });
  schema = buildSchema(() => {
    source = new Channel<Event>();
    return source;
  });
});

afterEach(async () => {
  await verifier.dispose();
  jest.useRealTimers();
});

/** The counting store's key methods, bound, plus the memory store's groups. */
function wrap(counting: CountingStore) {
  return {
    findApiKeyCredential: counting.findApiKeyCredential.bind(counting),
    updateApiKeyHash: counting.updateApiKeyHash.bind(counting),
    touchApiKey: counting.touchApiKey.bind(counting),
    onApiKeyChange: counting.onApiKeyChange.bind(counting),
  };
}

/** Subscribes with the principal createScopedContext gives for these headers. */
async function subscribeWith(headers: Record<string, string>): Promise<AsyncGenerator<ExecutionResult>> {
  const context = createScopedContext({ store: { ...wrap(store), getUserScopes: (id: string) => memory.getUserScopes(id) }, verifier, jwt: { secret: JWT_SECRET, issuer: 'idp', audience: 'api' } });
  const contextValue = await context({ req: { headers } });
  const result = await subscribe({ schema, document: parse('subscription { postAdded { id } }'), contextValue });
  if (!(Symbol.asyncIterator in result)) throw new Error(`subscribe refused: ${JSON.stringify(result)}`);
  return result as AsyncGenerator<ExecutionResult>;
}

async function expectDelivered(stream: AsyncGenerator<ExecutionResult>, id: string): Promise<void> {
  source.push(event(id));
  await expect(stream.next()).resolves.toEqual({ done: false, value: { data: { postAdded: { id } } } });
}

/** The next event is refused with `code`, and the stream then ends, its source closed. */
async function expectEndedWith(stream: AsyncGenerator<ExecutionResult>, code: string, id = 'after'): Promise<void> {
  source.push(event(id));
  const last = await stream.next();
  expect(last.done).toBe(false);
  expect(last.value).toMatchObject({ data: { postAdded: null } });
  expect(codes(last.value as ExecutionResult)).toEqual([code]);
  expect(JSON.stringify(last.value)).not.toContain(`"${id}"`);
  await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  expect(source.returned).toBe(1);
}

describe('finding 2: live subscriptions end when their credential does', () => {
  it('an API key revoked through the same store ends the stream at the next event with UNAUTHENTICATED', async () => {
    const { apiKey, key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    const stream = await subscribeWith({ 'x-api-key': key });
    await expectDelivered(stream, '1');
    await memory.revokeApiKey(apiKey.id);
    await expectEndedWith(stream, 'UNAUTHENTICATED');
  });

  it('an API key narrowed through the same store ends the stream at the next event with FORBIDDEN', async () => {
    const { apiKey, key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read', 'comments.read'] });
    const stream = await subscribeWith({ authorization: `Bearer ${key}` });
    await expectDelivered(stream, '1');
    await memory.setApiKeyScopes(apiKey.id, ['comments.read']);
    await expectEndedWith(stream, 'FORBIDDEN');
  });

  it('an API key whose expiresAt passes ends the stream at the next event, within the cache TTL', async () => {
    const { key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'], expiresAt: new Date(NOW_MS + 5_000) });
    const stream = await subscribeWith({ 'x-api-key': key });
    await expectDelivered(stream, '1');
    jest.setSystemTime(NOW_MS + 4_999);
    await expectDelivered(stream, '2');
    jest.setSystemTime(NOW_MS + 5_000);
    await expectEndedWith(stream, 'UNAUTHENTICATED');
  });

  it("a JWT whose exp passes ends the stream at the next event", async () => {
    const exp = Math.floor(NOW_MS / 1000) + 60;
    const token = await new SignJWT({ sub: 'u1', iss: 'idp', aud: 'api', scopes: ['posts.read'] }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(JWT_SECRET));
    const stream = await subscribeWith({ authorization: `Bearer ${token}` });
    await expectDelivered(stream, '1');
    jest.setSystemTime(exp * 1000 - 1);
    await expectDelivered(stream, '2');
    jest.setSystemTime(exp * 1000);
    await expectEndedWith(stream, 'UNAUTHENTICATED');
  });

  it('a revocation made by another process (no change event) ends the stream once the cache TTL has passed', async () => {
    store.announceChanges = false;
    await verifier.dispose();
    verifier = createApiKeyVerifier(store, { hashOptions: CHEAP_HASH, cacheTtlMs: 30_000 });
    const { apiKey, key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    const stream = await subscribeWith({ 'x-api-key': key });
    await memory.revokeApiKey(apiKey.id);
    jest.setSystemTime(NOW_MS + 29_999);
    await expectDelivered(stream, 'within the TTL: the documented bound');
    jest.setSystemTime(NOW_MS + 30_000);
    await expectEndedWith(stream, 'UNAUTHENTICATED');
  });

  it('re-checks warm keys through the verifier cache, with no store call per event', async () => {
    const { key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    const stream = await subscribeWith({ 'x-api-key': key });
    const lookups = store.calls.findApiKeyCredential;
    for (let n = 0; n < 50; n += 1) await expectDelivered(stream, String(n));
    expect(store.calls.findApiKeyCredential).toBe(lookups);
    expect(verifier.stats().principalChecks).toBe(50);
    expect(verifier.stats().verifications).toBe(1);
  });

  it('re-checks a key whose cache entry expired with one store lookup and no argon2, and goes on', async () => {
    const { key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    const stream = await subscribeWith({ 'x-api-key': key });
    jest.setSystemTime(NOW_MS + 60_000);
    await expectDelivered(stream, 'later');
    expect(verifier.stats()).toMatchObject({ verifications: 1, revalidations: 1 });
  });

  it('survives a transparent rehash of the key it was proven with', async () => {
    const strongerStore = new MemoryScopeStore({ hashOptions: { ...CHEAP_HASH, memoryCost: 2048 } });
    store = new CountingStore(strongerStore);
    memory = strongerStore;
    await verifier.dispose();
    verifier = createApiKeyVerifier(store, { hashOptions: strongerStore.hashOptions });
    const { apiKey, key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    await memory.updateApiKeyHash(apiKey.id, await hashSecret(parseApiKey(key)!.secret, CHEAP_HASH)); // weaker: rehashed on use
    const stream = await subscribeWith({ 'x-api-key': key });
    await verifier.settled();
    expect(verifier.stats().rehashes).toBe(1);
    jest.setSystemTime(NOW_MS + 60_000); // past the cache entry: the store now holds the new hash
    await expectDelivered(stream, 'after the rehash');
  });

  it('fails closed with ERR_STORE_UNAVAILABLE when the store cannot answer the re-check', async () => {
    const { key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] });
    const stream = await subscribeWith({ 'x-api-key': key });
    store.lookup = 'throw';
    jest.setSystemTime(NOW_MS + 60_000);
    await expectEndedWith(stream, 'ERR_STORE_UNAVAILABLE');
  });

  it('a principal that carries only expiresAtMs (your own) is refused from that time on', async () => {
    const principal: Principal = { kind: 'user', id: 'u1', scopes: new ReadOnlyScopeSet(['posts.read']), expiresAtMs: NOW_MS + 1_000 };
    const result = (await subscribe({ schema, document: parse('subscription { postAdded { id } }'), contextValue: { principal } })) as AsyncGenerator<ExecutionResult>;
    await expectDelivered(result, '1');
    jest.setSystemTime(NOW_MS + 1_000);
    await expectEndedWith(result, 'UNAUTHENTICATED');
  });
});

describe('guardEventStream', () => {
  it('passes return() to the source at once, even while waiting for an event', async () => {
    const channel = new Channel<number>();
    const guarded = guardEventStream(channel, async () => null);
    const pending = guarded.next();
    await guarded.return?.();
    expect(channel.returned).toBe(1);
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await expect(guarded.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('drops an event that arrives after return(), and ends when the source ends', async () => {
    const channel = new Channel<number>();
    const guarded = guardEventStream(channel, async () => null);
    channel.push(1);
    await expect(guarded.next()).resolves.toEqual({ done: false, value: 1 });
    await channel.return();
    await expect(guarded.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('ends the stream when the check itself throws, never letting the event through', async () => {
    const channel = new Channel<number>();
    const guarded = guardEventStream(channel, () => Promise.reject(new Error('boom')));
    channel.push(1);
    const last = await guarded.next();
    expect(last.done).toBe(false);
    expect(last.value).not.toBe(1);
    await expect(guarded.next()).resolves.toEqual({ done: true, value: undefined });
    expect(channel.returned).toBe(1);
  });
});
