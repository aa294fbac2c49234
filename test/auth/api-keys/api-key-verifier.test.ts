import { availableParallelism } from 'node:os';
import type { ApiKeyVerifierStore } from '../../../src/auth/api-keys/api-key-maintenance';
import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import type { ApiKeyVerification, ApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verification';
import { DEFAULT_MAX_CONCURRENT_VERIFICATIONS } from '../../../src/auth/api-keys/api-key-verifier-options';
import type { ApiKeyVerifierErrorEvent, ApiKeyVerifierOptions, ApiKeyVerifierWarningEvent } from '../../../src/auth/api-keys/api-key-verifier-options';
import type { Principal } from '../../../src/principal/principal';
import { generateApiKey, parseApiKey } from '../../../src/keys/api-key-format';
import { DEFAULT_HASH_OPTIONS, hashSecret, readHashParameters, secretNeedsRehash } from '../../../src/keys/hash-secret';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import type { CreateApiKeyInput } from '../../../src/store/scope-store';
import { CHEAP_HASH, CountingStore, forgeKey } from '../counting-store';
import { ReadOnlyScopeSet } from '../../../src/principal/read-only-set';

const NOW = new Date('2030-01-01T00:00:00Z');

let store: CountingStore;
let verifier: ApiKeyVerifier;

function setUp(options: ApiKeyVerifierOptions = {}, configure?: (store: CountingStore) => void): ApiKeyVerifier {
  store = new CountingStore(new MemoryScopeStore({ hashOptions: CHEAP_HASH }));
  configure?.(store);
  verifier = createApiKeyVerifier(store, { hashOptions: CHEAP_HASH, ...options });
  return verifier;
}

async function createKey(input: Partial<CreateApiKeyInput> = {}): Promise<{ id: string; key: string }> {
  const { apiKey, key } = await store.inner.createApiKey({ name: 'ci', scopes: ['posts.read'], ...input });
  return { id: apiKey.id, key };
}

function principalOf(result: ApiKeyVerification): Principal {
  if (!result.ok) throw new Error(`expected success, got ${result.reason}`);
  return result.principal;
}

beforeEach(() => {
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  setUp();
});

afterEach(async () => {
  await verifier.dispose();
  jest.useRealTimers();
});

describe('verify', () => {
  it('turns a valid key into an apiKey principal', async () => {
    const { id, key } = await createKey({ name: 'deploy bot', scopes: ['posts.write', 'posts.read'] });
    const principal = principalOf(await verifier.verify(key));
    expect(principal).toEqual({ kind: 'apiKey', id, name: 'deploy bot', scopes: new ReadOnlyScopeSet(['posts.read', 'posts.write']), revalidate: expect.any(Function) });
    expect(principal).not.toHaveProperty('unrestricted');
  });

  it('refuses a wrong secret for a known id, even while the right key is cached', async () => {
    const { id, key } = await createKey();
    expect((await verifier.verify(key)).ok).toBe(true);
    expect(await verifier.verify(forgeKey(id))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses an unknown id', async () => {
    expect(await verifier.verify(generateApiKey().key)).toEqual({ ok: false, reason: 'unknown' });
  });

  it.each([
    ['add', (scopes: Set<string>) => scopes.add('*')],
    ['delete', (scopes: Set<string>) => scopes.delete('posts.read')],
    ['clear', (scopes: Set<string>) => scopes.clear()],
  ])('refuses %s on the shared scope set, so no request can widen another', async (_method, mutate) => {
    const { key } = await createKey();
    const first = principalOf(await verifier.verify(key));
    expect(() => mutate(first.scopes as Set<string>)).toThrow(TypeError);
    expect(() => Object.assign(first, { unrestricted: true })).toThrow(TypeError);
    const second = principalOf(await verifier.verify(key));
    expect(second.scopes).toEqual(new ReadOnlyScopeSet(['posts.read']));
    expect(second.scopes.has('*')).toBe(false);
    expect(second.unrestricted).toBeUndefined();
  });
});

describe('malformed keys', () => {
  const { key } = generateApiKey();
  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['a bad checksum', key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a')],
    ['a truncated key', key.slice(0, -1)],
    ['another prefix', forgeKey('a1B2c3D4e5F6', undefined, 'acme')],
    ['a 10 KB string', `gsp_${'a'.repeat(10_240)}`],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln'],
    ['an object', { $ne: null }],
  ])('refuses %s before any store call or hash', async (_label, value) => {
    expect(await verifier.verify(value as string)).toEqual({ ok: false, reason: 'malformed' });
    expect(store.total).toBe(0);
    expect(verifier.stats().verifications).toBe(0);
  });
});

describe('cache of successes', () => {
  it('answers a repeated key without a second lookup or hash', async () => {
    const { key } = await createKey();
    await verifier.verify(key);
    await verifier.verify(key);
    expect(verifier.stats()).toMatchObject({ verifications: 1, cacheHits: 1, storeLookups: 1 });
    expect(store.calls.findApiKeyCredential).toBe(1);
  });

  it('keeps an entry for cacheTtlMs (default 30000), then re-checks the store without argon2', async () => {
    const { key } = await createKey();
    await verifier.verify(key);
    jest.advanceTimersByTime(29_999);
    await verifier.verify(key);
    expect(verifier.stats()).toMatchObject({ verifications: 1, storeLookups: 1, cacheHits: 1 });
    jest.advanceTimersByTime(1);
    expect((await verifier.verify(key)).ok).toBe(true);
    expect(verifier.stats()).toMatchObject({ verifications: 1, revalidations: 1, storeLookups: 2 });
  });

  it('caches nothing with cacheTtlMs 0: every request asks the store', async () => {
    setUp({ cacheTtlMs: 0 });
    const { key } = await createKey();
    await verifier.verify(key);
    await verifier.verify(key);
    expect(verifier.stats()).toMatchObject({ verifications: 1, revalidations: 1, storeLookups: 2, cacheHits: 0 });
  });

  it('hashes again when the stored hash changed since the key was proven', async () => {
    setUp({ cacheTtlMs: 1_000 });
    const { id, key } = await createKey();
    await verifier.verify(key);
    const credential = await store.inner.findApiKeyCredential(id);
    // Another hash of the same secret (as after a rehash elsewhere): the proof no longer applies.
    await store.inner.updateApiKeyHash(id, await hashSecret(parseApiKey(key)!.secret, CHEAP_HASH));
    expect((await store.inner.findApiKeyCredential(id))?.hash).not.toBe(credential?.hash);
    jest.advanceTimersByTime(1_000);
    expect((await verifier.verify(key)).ok).toBe(true);
    expect(verifier.stats()).toMatchObject({ verifications: 2, revalidations: 0 });
  });

  it('never lets a proof stand in for a different secret', async () => {
    setUp({ cacheTtlMs: 1_000, negativeCacheTtlMs: 0 });
    const { id, key } = await createKey();
    await verifier.verify(key);
    jest.advanceTimersByTime(1_000);
    expect(await verifier.verify(forgeKey(id))).toEqual({ ok: false, reason: 'invalid' });
    expect(verifier.stats()).toMatchObject({ verifications: 2, revalidations: 0 });
  });

  it('keeps a known key out of the argon2 queue when its entry expires during a flood', async () => {
    setUp({ cacheTtlMs: 1_000, maxConcurrentVerifications: 1 });
    const { id, key } = await createKey();
    await verifier.verify(key);
    jest.advanceTimersByTime(1_000);
    const flood = Array.from({ length: 30 }, () => verifier.verify(forgeKey(id)));
    const known = verifier.verify(key);
    // The known key settles while wrong secrets still wait for argon2.
    expect((await known).ok).toBe(true);
    expect(verifier.stats().queued).toBeGreaterThan(0);
    expect((await Promise.all(flood)).every((result) => !result.ok)).toBe(true);
  });

  it('re-checks a known key even when the argon2 queue is full', async () => {
    setUp({ cacheTtlMs: 1_000, maxConcurrentVerifications: 1, maxQueuedVerifications: 2 });
    const { id, key } = await createKey();
    await verifier.verify(key);
    jest.advanceTimersByTime(1_000);
    const flood = Array.from({ length: 10 }, () => verifier.verify(forgeKey(id)));
    expect((await verifier.verify(key)).ok).toBe(true);
    const settled = await Promise.allSettled(flood);
    expect(settled.filter((outcome) => outcome.status === 'rejected').length).toBeGreaterThan(0);
  });

  it('evicts a key revoked through the store at once', async () => {
    const { id, key } = await createKey();
    await verifier.verify(key);
    await store.inner.revokeApiKey(id);
    expect(await verifier.verify(key)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('evicts a key whose scopes changed through the store at once', async () => {
    const { id, key } = await createKey();
    await verifier.verify(key);
    await store.inner.setApiKeyScopes(id, ['comments.read']);
    expect(principalOf(await verifier.verify(key)).scopes).toEqual(new ReadOnlyScopeSet(['comments.read']));
  });

  it('sees changes made elsewhere (no event) within cacheTtlMs', async () => {
    setUp({ cacheTtlMs: 5_000 }, (s) => {
      s.announceChanges = false;
    });
    const { id, key } = await createKey();
    await verifier.verify(key);
    await store.inner.revokeApiKey(id);
    expect((await verifier.verify(key)).ok).toBe(true);
    jest.advanceTimersByTime(5_000);
    expect(await verifier.verify(key)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('does not cache a success that raced a revocation', async () => {
    const { id, key } = await createKey();
    store.afterLookup = async () => {
      store.afterLookup = undefined;
      await store.inner.revokeApiKey(id);
    };
    // The lookup saw the live record, so this request may pass…
    expect((await verifier.verify(key)).ok).toBe(true);
    // …but nothing stale was cached.
    expect(await verifier.verify(key)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('does not cache a refusal that raced a change (issue 15, finding 6: updateApiKey re-dating an expired key)', async () => {
    const { id, key } = await createKey({ expiresAt: new Date(NOW.getTime() + 1_000) });
    jest.advanceTimersByTime(2_000);
    store.afterLookup = async () => {
      store.afterLookup = undefined;
      await store.inner.updateApiKey(id, { expiresAt: new Date(NOW.getTime() + 86_400_000) });
    };
    // The lookup saw the expired record, so this request is refused…
    expect(await verifier.verify(key)).toEqual({ ok: false, reason: 'expired' });
    // …but the refusal was not cached past the change: the re-dated key works at once.
    expect((await verifier.verify(key)).ok).toBe(true);
  });

  it('forgets entries on evict(id), and proofs too on clear()', async () => {
    const { id, key } = await createKey();
    await verifier.verify(key);
    verifier.evict(id);
    await verifier.verify(key);
    expect(verifier.stats()).toMatchObject({ verifications: 1, revalidations: 1, storeLookups: 2, cacheHits: 0 });
    verifier.clear();
    await verifier.verify(key);
    expect(verifier.stats()).toMatchObject({ verifications: 2, revalidations: 1, storeLookups: 3, cacheHits: 0 });
  });

  it('refuses a key at its expiry although its entry is younger than the TTL', async () => {
    const { key } = await createKey({ expiresAt: new Date(NOW.getTime() + 10_000) });
    expect((await verifier.verify(key)).ok).toBe(true);
    jest.advanceTimersByTime(9_999);
    expect((await verifier.verify(key)).ok).toBe(true);
    expect(verifier.stats()).toMatchObject({ verifications: 1, cacheHits: 1 });
    jest.advanceTimersByTime(1);
    expect(await verifier.verify(key)).toEqual({ ok: false, reason: 'expired' });
    expect(await verifier.verify(key)).toEqual({ ok: false, reason: 'expired' });
    expect(verifier.stats().negativeHits).toBe(1);
  });
});

describe('cache of failures', () => {
  it.each([
    ['a wrong secret', 'invalid'],
    ['an unknown id', 'unknown'],
    ['a revoked key', 'revoked'],
    ['an expired key', 'expired'],
  ] as const)('answers %s again from the cache until negativeCacheTtlMs (default 10000)', async (_label, reason) => {
    const { id, key } = await createKey({ expiresAt: new Date(NOW.getTime() + 1_000) });
    const presented = { invalid: forgeKey(id), unknown: generateApiKey().key, revoked: key, expired: key }[reason];
    if (reason === 'revoked') await store.inner.revokeApiKey(id);
    if (reason === 'expired') jest.advanceTimersByTime(1_000);

    expect(await verifier.verify(presented)).toEqual({ ok: false, reason });
    const lookups = store.calls.findApiKeyCredential;
    const hashes = verifier.stats().verifications;
    jest.advanceTimersByTime(9_999);
    expect(await verifier.verify(presented)).toEqual({ ok: false, reason });
    expect(store.calls.findApiKeyCredential).toBe(lookups);
    expect(verifier.stats()).toMatchObject({ verifications: hashes, negativeHits: 1 });

    jest.advanceTimersByTime(1);
    expect(await verifier.verify(presented)).toEqual({ ok: false, reason });
    expect(store.calls.findApiKeyCredential).toBe(lookups + 1);
  });
});

describe('argon2 work', () => {
  it('shares one verification among 100 concurrent first requests', async () => {
    const { key } = await createKey();
    const results = await Promise.all(Array.from({ length: 100 }, () => verifier.verify(key)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(verifier.stats()).toMatchObject({ verifications: 1, storeLookups: 1, singleFlightJoins: 99 });
  });

  it.each([1, 2, 3])('runs at most maxConcurrentVerifications = %i at once', async (cap) => {
    setUp({ maxConcurrentVerifications: cap });
    const { id } = await createKey();
    const results = await Promise.all(Array.from({ length: 12 }, () => verifier.verify(forgeKey(id))));
    expect(results.every((result) => !result.ok && result.reason === 'invalid')).toBe(true);
    expect(verifier.stats()).toMatchObject({ verifications: 12, peakInFlight: cap, inFlight: 0, queued: 0 });
  });

  it('runs at most 2 at once by default, leaving a core free on small machines', async () => {
    expect(DEFAULT_MAX_CONCURRENT_VERIFICATIONS).toBe(Math.max(1, Math.min(2, availableParallelism() - 1)));
    const { id } = await createKey();
    await Promise.all(Array.from({ length: 8 }, () => verifier.verify(forgeKey(id))));
    expect(verifier.stats().peakInFlight).toBe(DEFAULT_MAX_CONCURRENT_VERIFICATIONS);
  });

  it('fails closed with ERR_OVERLOADED beyond maxQueuedVerifications', async () => {
    setUp({ maxConcurrentVerifications: 1, maxQueuedVerifications: 3 });
    const { id } = await createKey();
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => verifier.verify(forgeKey(id))));
    const refused = settled.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(6);
    for (const outcome of refused) expect(outcome).toMatchObject({ reason: { code: 'ERR_OVERLOADED' } });
    expect(settled.some((outcome) => outcome.status === 'fulfilled' && outcome.value.ok)).toBe(false);
    expect(verifier.stats()).toMatchObject({ verifications: 4, peakQueued: 3, overloaded: 6 });
  });
});

describe('store lookups', () => {
  async function peakLookups(count: number): Promise<number> {
    let active = 0;
    let peak = 0;
    store.afterLookup = async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setImmediate(resolve));
      active -= 1;
    };
    // Forged keys with valid checksums and random ids: each is an unknown id, one query each.
    const results = await Promise.all(Array.from({ length: count }, () => verifier.verify(forgeKey(generateApiKey().id))));
    expect(results.every((result) => !result.ok && result.reason === 'unknown')).toBe(true);
    expect(store.calls.findApiKeyCredential).toBe(count);
    return peak;
  }

  it.each([1, 4])('sends at most maxConcurrentLookups = %i at once', async (cap) => {
    setUp({ maxConcurrentLookups: cap });
    await expect(peakLookups(40)).resolves.toBe(cap);
  });

  it('sends at most 16 at once by default', async () => {
    await expect(peakLookups(60)).resolves.toBe(16);
  });

  it('fails closed with ERR_OVERLOADED when too many lookups wait', async () => {
    setUp({ maxConcurrentLookups: 1, maxQueuedVerifications: 2 }, (counting) => {
      counting.lookup = 'hang';
    });
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, () => Promise.race([verifier.verify(forgeKey(generateApiKey().id)), new Promise((resolve) => setImmediate(resolve, 'pending'))])),
    );
    const refused = settled.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(3);
    for (const outcome of refused) expect(outcome).toMatchObject({ reason: { code: 'ERR_OVERLOADED' } });
    expect(store.calls.findApiKeyCredential).toBe(1);
  });
});

describe('store failures', () => {
  it('raises ERR_STORE_UNAVAILABLE when the store throws, and caches nothing', async () => {
    const { key } = await createKey();
    store.lookup = 'throw';
    await expect(verifier.verify(key)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    store.lookup = 'pass';
    expect((await verifier.verify(key)).ok).toBe(true);
  });

  it('keeps connection strings out of the message', async () => {
    const { key } = await createKey();
    store.lookup = 'throw';
    await expect(verifier.verify(key)).rejects.toMatchObject({ message: expect.not.stringContaining('hunter2') });
  });

  it('raises ERR_STORE_UNAVAILABLE after storeTimeoutMs when the store hangs', async () => {
    setUp({ storeTimeoutMs: 50 });
    const { key } = await createKey();
    store.lookup = 'hang';
    const refused = expect(verifier.verify(key)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await jest.advanceTimersByTimeAsync(50);
    await refused;
  });
});

describe('corrupt records', () => {
  it('refuses an invalid expiry date as a corrupt record (503), never as "never expires"', async () => {
    const { key } = await createKey();
    const corrupt: ApiKeyVerifierStore = {
      findApiKeyCredential: async (id) => {
        const credential = await store.findApiKeyCredential(id);
        return credential && { ...credential, apiKey: { ...credential.apiKey, expiresAt: new Date(Number.NaN) } };
      },
      updateApiKeyHash: (id, hash) => store.updateApiKeyHash(id, hash),
      touchApiKey: (id, at, minIntervalMs) => store.touchApiKey(id, at, minIntervalMs),
      onApiKeyChange: (listener) => store.onApiKeyChange(listener),
    };
    const onCorrupt = createApiKeyVerifier(corrupt, { hashOptions: CHEAP_HASH });
    await expect(onCorrupt.verify(key)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: expect.objectContaining({ field: 'expiresAt' }) });
    await onCorrupt.dispose();
  });
});

describe('unscopedKeys', () => {
  it.each([
    ['full-access', { unrestricted: true }],
    ['deny', {}],
  ] as const)('%s', async (unscopedKeys, extra) => {
    setUp({ unscopedKeys });
    const { id, key } = await createKey({ scopes: [] });
    expect(principalOf(await verifier.verify(key))).toStrictEqual({ kind: 'apiKey', id, name: 'ci', scopes: new ReadOnlyScopeSet(), revalidate: expect.any(Function), ...extra });
  });

  it('never marks a scoped key unrestricted', async () => {
    const { key } = await createKey({ scopes: ['posts.read'] });
    expect(principalOf(await verifier.verify(key)).unrestricted).toBeUndefined();
  });
});

describe('finding 11: unrestricted legacy keys are reported through onWarning', () => {
  it('warns the first time each key without scopes authenticates, and only then', async () => {
    const warnings: Array<[string, ApiKeyVerifierWarningEvent]> = [];
    setUp({ onWarning: (message, event) => warnings.push([message, event]) });
    const legacy = await createKey({ scopes: [] });
    const other = await createKey({ scopes: [] });
    const scoped = await createKey({ scopes: ['posts.read'] });
    for (let round = 0; round < 3; round += 1) {
      for (const { key } of [legacy, other, scoped]) expect((await verifier.verify(key)).ok).toBe(true);
      verifier.clear(); // a cold cache must not warn again
    }
    expect(warnings.map(([, event]) => event)).toEqual([
      { kind: 'unrestricted-key', keyId: legacy.id },
      { kind: 'unrestricted-key', keyId: other.id },
    ]);
    for (const [message] of warnings) {
      expect(message).toContain('unscopedKeys');
      for (const { key } of [legacy, other]) expect(message).not.toContain(parseApiKey(key)!.secret);
    }
  });

  it("says nothing under unscopedKeys: 'deny', where such a key holds nothing", async () => {
    const onWarning = jest.fn();
    setUp({ unscopedKeys: 'deny', onWarning });
    const { key } = await createKey({ scopes: [] });
    expect(principalOf(await verifier.verify(key)).unrestricted).toBeUndefined();
    expect(onWarning).not.toHaveBeenCalled();
  });

  it('emits a process warning by default, and survives a hook that throws', async () => {
    const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      setUp();
      const { key } = await createKey({ scopes: [] });
      await verifier.verify(key);
      expect(emitted).toHaveBeenCalledWith(expect.stringContaining('no scopes'), { code: 'GSP_UNRESTRICTED_API_KEY' });
      setUp({
        onWarning: () => {
          throw new Error('hook broke');
        },
      });
      const second = await createKey({ scopes: [] });
      await expect(verifier.verify(second.key)).resolves.toMatchObject({ ok: true });
    } finally {
      emitted.mockRestore();
    }
  });
});

describe('transparent rehash', () => {
  it('rehashes a key made with weaker parameters to the defaults, once', async () => {
    setUp({ hashOptions: undefined });
    const { id, key } = await createKey();
    expect((await verifier.verify(key)).ok).toBe(true);
    await verifier.settled();
    const { hash } = (await store.inner.findApiKeyCredential(id))!;
    expect(readHashParameters(hash)).toMatchObject(DEFAULT_HASH_OPTIONS);
    expect(secretNeedsRehash(hash, DEFAULT_HASH_OPTIONS)).toBe(false);
    verifier.clear();
    expect((await verifier.verify(key)).ok).toBe(true);
    await verifier.settled();
    expect(verifier.stats().rehashes).toBe(1);
    expect(store.calls.updateApiKeyHash).toBe(1);
  });

  it('leaves a hash made with the current parameters alone', async () => {
    const { key } = await createKey();
    await verifier.verify(key);
    await verifier.settled();
    expect(store.calls.updateApiKeyHash).toBe(0);
  });

  it('reports a failed rehash to onError without failing the request or leaking the secret', async () => {
    const errors: Array<[Error, ApiKeyVerifierErrorEvent]> = [];
    setUp({ hashOptions: { ...CHEAP_HASH, timeCost: 2 }, onError: (error, event) => errors.push([error, event]) }, (s) => {
      s.failUpdateHash = true;
    });
    const { id, key } = await createKey();
    expect((await verifier.verify(key)).ok).toBe(true);
    await verifier.settled();
    expect(errors).toEqual([[expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }), { operation: 'rehash', keyId: id }]]);
    const [error] = errors[0]!;
    const { secret } = parseApiKey(key)!;
    const everything = JSON.stringify({ message: error.message, details: (error as { details?: unknown }).details, cause: String(error.cause) });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('$argon2');
  });
});

describe('finding 7: stronger stored hashes are not weakened, and the store’s hashOptions are the one source of truth', () => {
  const STRONG = { memoryCost: 65536, timeCost: 3, parallelism: 1 };

  it('keeps a 64 MiB / t=3 hash when the verifier asks for the 19 MiB / t=2 defaults', async () => {
    setUp({ hashOptions: undefined });
    const { id, key } = await createKey();
    const { secret } = parseApiKey(key)!;
    const strong = await hashSecret(secret, STRONG);
    await store.inner.updateApiKeyHash(id, strong);
    expect((await verifier.verify(key)).ok).toBe(true);
    await verifier.settled();
    expect(store.calls.updateApiKeyHash).toBe(0);
    expect((await store.inner.findApiKeyCredential(id))!.hash).toBe(strong);
    expect(verifier.stats().rehashes).toBe(0);
  });

  it('rehashes a weaker hash up to the store’s parameters, never to the defaults', async () => {
    const target = { memoryCost: 2048, timeCost: 1, parallelism: 1 };
    const memory = new MemoryScopeStore({ hashOptions: target });
    const { apiKey, key } = await memory.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    await memory.updateApiKeyHash(apiKey.id, await hashSecret(parseApiKey(key)!.secret, CHEAP_HASH)); // weaker: m=1024
    const onStore = createApiKeyVerifier(memory); // no hashOptions of its own: the store's apply
    expect((await onStore.verify(key)).ok).toBe(true);
    await onStore.settled();
    expect(onStore.stats().rehashes).toBe(1);
    expect(readHashParameters((await memory.findApiKeyCredential(apiKey.id))!.hash)).toMatchObject(target);
    await onStore.dispose();
  });

  it('review: rehashes a hash that is stronger in memory but weaker in passes without lowering its memory', async () => {
    const target = { memoryCost: 1024, timeCost: 2, parallelism: 1 };
    const memory = new MemoryScopeStore({ hashOptions: target });
    const { apiKey, key } = await memory.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    // Stronger in memory (4 MiB against 1 MiB), weaker in passes (1 against 2).
    await memory.updateApiKeyHash(apiKey.id, await hashSecret(parseApiKey(key)!.secret, { memoryCost: 4096, timeCost: 1, parallelism: 1 }));
    const onStore = createApiKeyVerifier(memory);
    expect((await onStore.verify(key)).ok).toBe(true);
    await onStore.settled();
    expect(onStore.stats().rehashes).toBe(1);
    const rehashed = (await memory.findApiKeyCredential(apiKey.id))!.hash;
    expect(readHashParameters(rehashed)).toMatchObject({ algorithm: 'argon2id', memoryCost: 4096, timeCost: 2, parallelism: 1 });
    onStore.clear();
    expect((await onStore.verify(key)).ok).toBe(true);
    await onStore.dispose();
  });

  it('refuses verifier hashOptions that differ from the store’s with ERR_INVALID_OPTIONS, and accepts equal ones', () => {
    const memory = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    expect(() => createApiKeyVerifier(memory, { hashOptions: DEFAULT_HASH_OPTIONS })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    expect(() => createApiKeyVerifier(memory, { hashOptions: { ...CHEAP_HASH } })).not.toThrow();
    expect(memory.hashOptions).toEqual(CHEAP_HASH);
    expect(Object.isFrozen(memory.hashOptions)).toBe(true);
  });
});

describe('trackLastUsed', () => {
  it('is off by default', async () => {
    const { key } = await createKey();
    await verifier.verify(key);
    await verifier.settled();
    expect(store.calls.touchApiKey).toBe(0);
  });

  it('writes lastUsedAt only when the last write is older than lastUsedIntervalMs (default 60000)', async () => {
    setUp({ trackLastUsed: true });
    const { id, key } = await createKey();
    for (let i = 0; i < 5; i += 1) await verifier.verify(key);
    await verifier.settled();
    expect(store.calls.touchApiKey).toBe(1);
    expect((await store.inner.getApiKey(id))?.lastUsedAt).toEqual(NOW);

    jest.advanceTimersByTime(60_000);
    await verifier.verify(key);
    await verifier.settled();
    expect(store.calls.touchApiKey).toBe(1);

    jest.advanceTimersByTime(1);
    await verifier.verify(key);
    await verifier.settled();
    expect(store.calls.touchApiKey).toBe(2);
    expect((await store.inner.getApiKey(id))?.lastUsedAt).toEqual(new Date(NOW.getTime() + 60_001));
  });

  it('never touches on a refusal', async () => {
    setUp({ trackLastUsed: true });
    const { id } = await createKey();
    await verifier.verify(forgeKey(id));
    await verifier.settled();
    expect(store.calls.touchApiKey).toBe(0);
  });
});

describe('dispose', () => {
  it('stops caching and listening', async () => {
    const { key } = await createKey();
    await verifier.dispose();
    await verifier.verify(key);
    await verifier.verify(key);
    expect(verifier.stats()).toMatchObject({ verifications: 2, cacheHits: 0 });
  });
});

describe('options', () => {
  it.each<[string, ApiKeyVerifierOptions]>([
    ['a negative cacheTtlMs', { cacheTtlMs: -1 }],
    ['a fractional cacheMaxEntries', { cacheMaxEntries: 1.5 }],
    ['zero cacheMaxEntries', { cacheMaxEntries: 0 }],
    ['zero maxConcurrentVerifications', { maxConcurrentVerifications: 0 }],
    ['NaN storeTimeoutMs', { storeTimeoutMs: Number.NaN }],
    ['an unknown unscopedKeys mode', { unscopedKeys: 'allow' as 'deny' }],
    ['a bad prefix', { prefix: 'Bad_Prefix' }],
  ])('rejects %s with ERR_INVALID_OPTIONS', (_label, options) => {
    expect(() => createApiKeyVerifier(store, options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});
