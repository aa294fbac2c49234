import { SignJWT } from 'jose';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import type { CreateScopedContextOptions, ScopedContextFunction } from '../../src/auth/create-scoped-context';
import { createUserScopeCache } from '../../src/auth/users/user-scope-cache';
import type { Principal } from '../../src/principal/principal';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { CHEAP_HASH, CountingStore } from './counting-store';
import { sessionUserFromHeader } from '../support/session-user';

// The counting-store test: warm requests of people (JWT subjects,
// session users) make no store query, and a group change costs one.

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

let store: CountingStore;
let context: ScopedContextFunction;

function sign(subject: string, scopes: string[] = []): Promise<string> {
  return new SignJWT({ scopes }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuer('test-issuer').setAudience('test-api').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
}

function build(options: Partial<CreateScopedContextOptions> = {}): ScopedContextFunction {
  context = createScopedContext({
    store,
    verifier: { hashOptions: CHEAP_HASH },
    jwt: { secret: SECRET, issuer: 'test-issuer', audience: 'test-api' },
    getUser: sessionUserFromHeader,
    ...options,
  });
  return context;
}

async function principal(headers: Record<string, string>): Promise<Principal> {
  return (await context({ req: { headers } })).principal;
}

beforeEach(async () => {
  store = new CountingStore(new MemoryScopeStore({ hashOptions: CHEAP_HASH }));
  await store.inner.saveGroup({ name: 'editors', scopes: ['posts.read', 'posts.write'] });
  await store.inner.saveGroup({ name: 'publishers', scopes: ['posts.publish'] });
  await store.inner.addGroupMember('editors', 'alice');
  build();
});

afterEach(async () => {
  await context.dispose();
});

describe.each([
  ['JWT', async (user: string) => ({ authorization: `Bearer ${await sign(user, ['comments.read'])}` }), ['comments.read']],
  ['session user', async (user: string) => ({ 'x-session-user': user }), []],
])('%s requests', (_kind, headersFor, ownScopes) => {
  it('1,000 warm requests make 0 store queries; after addGroupMember, the next request makes 1', async () => {
    const headers = await headersFor('alice');
    expect([...(await principal(headers)).scopes].sort()).toEqual([...ownScopes, 'posts.read', 'posts.write'].sort());
    const before = store.total;
    for (let index = 0; index < 1000; index += 1) await principal(headers);
    expect(store.total - before).toBe(0);

    await store.inner.addGroupMember('publishers', 'alice');
    const after = await principal(headers);
    expect(store.total - before).toBe(1);
    expect(store.calls.getUserScopes).toBe(2);
    expect([...after.scopes].sort()).toEqual([...ownScopes, 'posts.publish', 'posts.read', 'posts.write'].sort());
    await principal(headers);
    expect(store.total - before).toBe(1);
  });

  it('a removed member loses the group’s scopes on the next request', async () => {
    const headers = await headersFor('alice');
    await principal(headers);
    await store.inner.removeGroupMember('editors', 'alice');
    expect([...(await principal(headers)).scopes]).toEqual(ownScopes);
  });

  it('a store that fails on a cold user is a 503, not an empty scope set', async () => {
    store.lookup = 'throw';
    await expect(principal(await headersFor('bob'))).rejects.toMatchObject({ extensions: { code: 'ERR_STORE_UNAVAILABLE' } });
  });
});

it('shares one user scope cache between JWT subjects and session users', async () => {
  await principal({ authorization: `Bearer ${await sign('alice')}` });
  await principal({ 'x-session-user': 'alice' });
  expect(store.calls.getUserScopes).toBe(1);
});

it('takes a user scope cache from outside, and leaves it alone on dispose', async () => {
  await context.dispose();
  const userScopes = createUserScopeCache(store);
  build({ userScopes });
  await principal({ 'x-session-user': 'alice' });
  expect(userScopes.stats().storeLookups).toBe(1);
  await context.dispose();
  expect(userScopes.peek('alice')).toBeDefined();
  await userScopes.dispose();
});

it('dispose ends every subscription it made: later changes reach no cache', async () => {
  const headers = { 'x-session-user': 'alice' };
  await principal(headers);
  expect(store.activeWatches).toBe(2); // the user scope cache (shared by the JWT verifier and getUser) and the API key verifier
  await context.dispose();
  expect(store.activeWatches).toBe(0);
  await store.inner.addGroupMember('publishers', 'alice');
  // Nothing follows the store any more, and the caches were cleared: the request still works, from the store.
  expect([...(await principal(headers)).scopes].sort()).toEqual(['posts.publish', 'posts.read', 'posts.write']);
});

it('owner-bound keys share the same cache: an owner’s group change reaches the key at once', async () => {
  await context.dispose();
  build({ verifier: { hashOptions: CHEAP_HASH, ownerScopes: 'intersect' } });
  const { key } = await store.inner.createApiKey({ name: 'alice’s key', scopes: ['posts.*'], ownerId: 'alice' });
  expect([...(await principal({ 'x-api-key': key })).scopes].sort()).toEqual(['posts.read', 'posts.write']);
  await store.inner.addGroupMember('publishers', 'alice');
  expect([...(await principal({ 'x-api-key': key })).scopes].sort()).toEqual(['posts.publish', 'posts.read', 'posts.write']);
  await store.inner.removeGroupMember('editors', 'alice');
  await store.inner.removeGroupMember('publishers', 'alice');
  expect([...(await principal({ 'x-api-key': key })).scopes]).toEqual([]);
});

it('an owner-bound key re-checked for a live subscription (revalidate) answers with its owner’s scopes as they are now', async () => {
  await context.dispose();
  build({ verifier: { hashOptions: CHEAP_HASH, ownerScopes: 'intersect' } });
  const { key } = await store.inner.createApiKey({ name: 'alice’s key', scopes: ['posts.*'], ownerId: 'alice' });
  const live = await principal({ 'x-api-key': key });
  expect([...((await live.revalidate?.())?.scopes ?? [])].sort()).toEqual(['posts.read', 'posts.write']);
  await store.inner.removeGroupMember('editors', 'alice');
  const now = await live.revalidate?.();
  expect(now?.kind).toBe('apiKey');
  expect([...(now?.scopes ?? ['not re-checked'])]).toEqual([]);
});
