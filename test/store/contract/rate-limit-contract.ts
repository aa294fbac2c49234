import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import { TEST_HASH_OPTIONS } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

/**
 * The store contract for a key's own rate limit (`rateLimit`): stored,
 * changed, kept by rotation, checked before any query, and carried by the
 * verifier's principal so that `createScopedContext` can count it.
 */
export function describeRateLimitContract(subject: SubjectAccessor): void {
  const store = () => subject().store;

  it('records a key’s rate limit, none by default, and changes or removes it through updateApiKey', async () => {
    const { apiKey } = await store().createApiKey({ name: 'metered', scopes: ['posts.read'], rateLimit: '1000/hour' });
    expect(apiKey.rateLimit).toBe('1000/hour');
    await expect(store().getApiKey(apiKey.id)).resolves.toMatchObject({ rateLimit: '1000/hour' });
    const plain = await store().createApiKey({ name: 'plain', scopes: ['posts.read'] });
    expect(plain.apiKey.rateLimit ?? null).toBeNull();

    await expect(store().updateApiKey(apiKey.id, { rateLimit: '5/s' })).resolves.toMatchObject({ rateLimit: '5/s', name: 'metered' });
    await expect(store().updateApiKey(apiKey.id, { rateLimit: null })).resolves.toMatchObject({ rateLimit: null });
    await expect(store().getApiKey(apiKey.id)).resolves.toMatchObject({ rateLimit: null });
  });

  it('keeps the rate limit when a key is rotated', async () => {
    const { apiKey } = await store().createApiKey({ name: 'metered', scopes: ['posts.read'], rateLimit: '10/minute' });
    const rolled = await store().rotateApiKey(apiKey.id, { gracePeriodMs: 0 });
    expect(rolled.apiKey.rateLimit).toBe('10/minute');
  });

  it.each([['0/hour'], ['-1/min'], ['10/fortnight'], ['1.5/s'], ['10 / hour'], [10], [{}]])('refuses the rate limit %p with ERR_INVALID_OPTIONS, before any query', async (rateLimit) => {
    const before = subject().commandCount?.();
    await expect(store().createApiKey({ name: 'bad', rateLimit: rateLimit as string })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    expect(subject().commandCount?.()).toBe(before);
    const { apiKey } = await store().createApiKey({ name: 'good' });
    await expect(store().updateApiKey(apiKey.id, { rateLimit: rateLimit as string })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });

  it('hands the rate limit to the verifier’s principal, and nothing for keys without one', async () => {
    const verifier = createApiKeyVerifier(store(), { hashOptions: TEST_HASH_OPTIONS });
    try {
      const metered = await store().createApiKey({ name: 'metered', scopes: ['posts.read'], rateLimit: '3/minute' });
      const plain = await store().createApiKey({ name: 'plain', scopes: ['posts.read'] });
      const [first, second] = [await verifier.verify(metered.key), await verifier.verify(plain.key)];
      expect(first.ok && first.principal.rateLimit).toBe('3/minute');
      expect(second.ok && 'rateLimit' in second.principal).toBe(false);
    } finally {
      await verifier.dispose();
    }
  });
}
