import { createUserScopeCache } from '../../../src/auth/users/user-scope-cache';
import type { UserScopeCache, UserScopeStore } from '../../../src/auth/users/user-scope-cache';
import type { UserScopeCacheOptions } from '../../../src/auth/users/user-scope-cache-options';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import type { GroupStore, WatchedChange } from '../../../src/store/scope-store';
import { deferred } from '../../support/deferred';
import { CHEAP_HASH, CountingStore } from '../counting-store';

const NOW = new Date('2030-01-01T00:00:00Z');

let store: CountingStore;
let cache: UserScopeCache;

function setUp(options: UserScopeCacheOptions = {}): UserScopeCache {
  cache = createUserScopeCache(store, options);
  return cache;
}

beforeEach(async () => {
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  store = new CountingStore(new MemoryScopeStore({ hashOptions: CHEAP_HASH }));
  await store.inner.saveGroup({ name: 'editors', scopes: ['posts.read', 'posts.write'] });
  await store.inner.saveGroup({ name: 'readers', scopes: ['comments.read'] });
  await store.inner.addGroupMember('editors', 'alice');
  await store.inner.addGroupMember('readers', 'alice');
  await store.inner.addGroupMember('readers', 'bob');
  setUp();
});

afterEach(async () => {
  await cache.dispose();
  jest.useRealTimers();
});

describe('caching', () => {
  it('answers 1,000 warm lookups with one store query, always with the same read-only set', async () => {
    const first = await cache.scopesOf('alice');
    expect([...first]).toEqual(['comments.read', 'posts.read', 'posts.write']);
    for (let index = 0; index < 1000; index += 1) expect(await cache.scopesOf('alice')).toBe(first);
    expect(cache.peek('alice')).toBe(first);
    expect(store.calls.getUserScopes).toBe(1);
    expect(() => (first as Set<string>).add('*')).toThrow(TypeError);
    expect(cache.stats()).toMatchObject({ storeLookups: 1, hits: 1001, size: 1 });
  });

  it('asks the store again at exactly groupCacheTtlMs', async () => {
    setUp({ groupCacheTtlMs: 10_000 });
    await cache.scopesOf('alice');
    jest.setSystemTime(NOW.getTime() + 9_999);
    expect(cache.peek('alice')).toBeDefined();
    jest.setSystemTime(NOW.getTime() + 10_000);
    expect(cache.peek('alice')).toBeUndefined();
    await cache.scopesOf('alice');
    expect(store.calls.getUserScopes).toBe(2);
  });

  it('with groupCacheTtlMs 0, asks the store every time', async () => {
    setUp({ groupCacheTtlMs: 0 });
    await cache.scopesOf('alice');
    await cache.scopesOf('alice');
    expect(store.calls.getUserScopes).toBe(2);
  });

  it('refuses a malformed user id before any query', async () => {
    await expect(cache.scopesOf(JSON.parse('{"$ne":null}') as string)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(cache.scopesOf('a\u0000b')).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect(store.calls.getUserScopes).toBe(0);
  });
});

describe('invalidation by group changes made through the store', () => {
  it.each<[string, (groups: GroupStore) => Promise<unknown>, string[], string[]]>([
    ['saveGroup evicts every member', (groups) => groups.saveGroup({ name: 'readers', scopes: ['comments.*'] }), ['alice', 'bob'], ['carol']],
    ['deleteGroup evicts every member', (groups) => groups.deleteGroup('readers'), ['alice', 'bob'], ['carol']],
    ['addGroupMember evicts the new member', (groups) => groups.addGroupMember('editors', 'bob'), ['bob'], ['alice', 'carol']],
    ['removeGroupMember evicts the removed member', (groups) => groups.removeGroupMember('editors', 'alice'), ['alice'], ['bob', 'carol']],
  ])('%s, and no one else', async (_label, change, evicted, kept) => {
    for (const user of ['alice', 'bob', 'carol']) await cache.scopesOf(user);
    await change(store.inner);
    for (const user of evicted) expect(cache.peek(user)).toBeUndefined();
    for (const user of kept) expect(cache.peek(user)).toBeDefined();
  });

  it('answers with the new scopes on the next lookup', async () => {
    expect([...(await cache.scopesOf('bob'))]).toEqual(['comments.read']);
    await store.inner.addGroupMember('editors', 'bob');
    expect([...(await cache.scopesOf('bob'))]).toEqual(['comments.read', 'posts.read', 'posts.write']);
    await store.inner.removeGroupMember('readers', 'bob');
    await store.inner.removeGroupMember('editors', 'bob');
    expect([...(await cache.scopesOf('bob'))]).toEqual([]);
  });

  it('does not cache a lookup that raced a change of that user', async () => {
    const gate = deferred();
    const slow: UserScopeStore = {
      getUserScopes: async (userId) => {
        const scopes = await store.inner.getUserScopes(userId);
        await gate.promise;
        return scopes;
      },
      onChange: (listener) => store.inner.onChange(listener),
    };
    const racing = createUserScopeCache(slow);
    const lookup = racing.scopesOf('bob'); // reads ['comments.read'] …
    await Promise.resolve();
    await store.inner.addGroupMember('editors', 'bob'); // … then bob joins editors
    gate.resolve();
    expect([...(await lookup)]).toEqual(['comments.read']);
    expect(racing.peek('bob')).toBeUndefined();
    await racing.dispose();
  });

  it('drops everything on a reset (missed changes)', async () => {
    let emit: (change: WatchedChange) => void = () => undefined;
    const watched: UserScopeStore = {
      getUserScopes: (userId) => store.inner.getUserScopes(userId),
      watchChanges: (listener) => {
        emit = listener;
        return { ready: Promise.resolve('polling'), dispose: async () => undefined };
      },
    };
    const resettable = createUserScopeCache(watched);
    await resettable.scopesOf('alice');
    await resettable.scopesOf('bob');
    emit({ type: 'reset' });
    expect([resettable.peek('alice'), resettable.peek('bob')]).toEqual([undefined, undefined]);
    await expect(resettable.ready).resolves.toBe('polling');
    await resettable.dispose();
  });

  it('ends its change subscription on dispose, and caches nothing after it', async () => {
    let disposals = 0;
    const watched: UserScopeStore = {
      getUserScopes: (userId) => store.inner.getUserScopes(userId),
      watchChanges: () => ({ ready: Promise.resolve('polling'), dispose: async () => void (disposals += 1) }),
    };
    const disposable = createUserScopeCache(watched);
    await disposable.scopesOf('bob');
    await disposable.dispose();
    expect(disposals).toBe(1);
    expect(disposable.stats().size).toBe(0);
    await disposable.scopesOf('bob');
    expect(disposable.peek('bob')).toBeUndefined();
  });
});

describe('load on the store', () => {
  it('shares one store query among concurrent lookups of one user', async () => {
    const lookups = await Promise.all(Array.from({ length: 50 }, () => cache.scopesOf('alice')));
    expect(new Set(lookups).size).toBe(1);
    expect(store.calls.getUserScopes).toBe(1);
    expect(cache.stats().singleFlightJoins).toBe(49);
  });

  it('keeps at most maxConcurrentLookups store queries in flight, and refuses beyond the queue with ERR_OVERLOADED', async () => {
    const gate = deferred();
    let inFlight = 0;
    let peak = 0;
    const slow: UserScopeStore = {
      getUserScopes: async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await gate.promise;
        inFlight -= 1;
        return ['posts.read'];
      },
    };
    const bounded = createUserScopeCache(slow, { maxConcurrentLookups: 2, maxQueuedLookups: 3 });
    const lookups = ['u1', 'u2', 'u3', 'u4', 'u5'].map((user) => bounded.scopesOf(user));
    await expect(bounded.scopesOf('u6')).rejects.toMatchObject({ code: 'ERR_OVERLOADED' });
    gate.resolve();
    await Promise.all(lookups);
    expect(peak).toBe(2);
    await bounded.dispose();
  });
});

describe('failing stores fail closed', () => {
  it.each(['throw', 'hang'] as const)('a store that %ss gives ERR_STORE_UNAVAILABLE, never an empty set, and nothing is cached', async (mode) => {
    setUp({ storeTimeoutMs: 50 });
    store.lookup = mode;
    const lookup = cache.scopesOf('alice');
    if (mode === 'hang') jest.advanceTimersByTime(50);
    const error: unknown = await lookup.catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(String((error as Error).message)).not.toContain('hunter2');
    store.lookup = 'pass';
    expect([...(await cache.scopesOf('alice'))]).toContain('posts.read');
  });

  it.each<[string, unknown]>([
    ['not an array', 'posts.read'],
    ['a number in the list', ['posts.read', 42]],
    ['an invalid grant', ['posts.read', 'posts']],
    ['an operator object', [{ $ne: null }]],
    ['null', null],
  ])('answers %s read back from the store with ERR_STORE_UNAVAILABLE', async (_label, answer) => {
    const corrupt = createUserScopeCache({ getUserScopes: async () => answer as string[] });
    await expect(corrupt.scopesOf('alice')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: { operation: 'getUserScopes' } });
    expect(corrupt.peek('alice')).toBeUndefined();
    await corrupt.dispose();
  });
});

describe('options', () => {
  it.each<[string, UserScopeCacheOptions]>([
    ['a negative TTL', { groupCacheTtlMs: -1 }],
    ['a fractional TTL', { groupCacheTtlMs: 1.5 }],
    ['zero entries', { groupCacheMaxEntries: 0 }],
    ['zero concurrent lookups', { maxConcurrentLookups: 0 }],
    ['a string timeout', { storeTimeoutMs: '5000' as unknown as number }],
    ['a non-function onError', { onError: 'log' as unknown as () => void }],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_label, options) => {
    expect(() => createUserScopeCache(store, options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it('refuses a store without getUserScopes', () => {
    expect(() => createUserScopeCache({} as UserScopeStore)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});
