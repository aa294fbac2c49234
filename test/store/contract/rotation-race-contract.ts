import * as hashing from '../../../src/keys/hash-secret';
import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import { CONTRACT_NOW, TEST_HASH_OPTIONS, recordChanges } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

/** A hash of the next `hashSecret` call held until `release()`: a window in the middle of a rotation. */
export interface HeldHash {
  /** Resolves when the store has started hashing the new secret. */
  readonly entered: Promise<void>;
  release(): void;
}

/** Holds the next `hashSecret` call (the slow step of `rotateApiKey`), so that a test can land a write inside it. */
export function holdNextHash(): HeldHash {
  const real = hashing.hashSecret;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let enter: () => void = () => undefined;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  jest.spyOn(hashing, 'hashSecret').mockImplementationOnce(async (secret, options) => {
    enter();
    await released;
    return real(secret, options);
  });
  return { entered, release };
}

const HOUR_MS = 3_600_000;

/**
 * The store contract for `rotateApiKey` under races: a revoke, a narrowing
 * or an expiry that lands while the store hashes the new secret (after it
 * read the old key, before it commits). The successor's state must be the
 * old key's state at commit time; a revoked or expired key is never
 * rotated, and no active successor is left behind.
 */
export function describeRotationRaceContract(subject: SubjectAccessor): void {
  const store = () => subject().store;
  afterEach(() => {
    jest.restoreAllMocks();
  });

  /** Starts a rotation, runs `write` while its hash is held, then lets the rotation finish. */
  async function rotateAround(id: string, write: () => Promise<unknown>): Promise<PromiseSettledResult<Awaited<ReturnType<ReturnType<typeof store>['rotateApiKey']>>>> {
    const held = holdNextHash();
    const rotation = store().rotateApiKey(id, { gracePeriodMs: HOUR_MS });
    const finishedUnheld = rotation.then(
      () => Promise.reject(new Error('rotateApiKey never hashed through hashSecret: this contract holds that step open to land a write inside it.')),
      (error: unknown) => Promise.reject(error),
    );
    await Promise.race([held.entered, finishedUnheld]);
    finishedUnheld.catch(() => undefined);
    await write();
    held.release();
    const [settled] = await Promise.allSettled([rotation]);
    return settled as PromiseSettledResult<Awaited<typeof rotation>>;
  }

  it('refuses with ERR_KEY_INACTIVE when the key is revoked during the rotation, leaving no active successor', async () => {
    const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['*'] });
    const changes = recordChanges(store());
    const settled = await rotateAround(old.id, () => store().revokeApiKey(old.id));
    expect(settled).toMatchObject({ status: 'rejected', reason: { code: 'ERR_KEY_INACTIVE', details: { id: old.id, state: 'revoked' } } });
    const keys = await store().listApiKeys();
    expect(keys.filter((key) => key.revokedAt === null)).toEqual([]);
    expect(changes.map((change) => change.type === 'apiKey' && change.action)).toEqual(['revoked']);
  });

  it('refuses with ERR_KEY_INACTIVE when the key is expired during the rotation', async () => {
    const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const settled = await rotateAround(old.id, () => store().updateApiKey(old.id, { expiresAt: new Date(CONTRACT_NOW.getTime() - 1) }));
    expect(settled).toMatchObject({ status: 'rejected', reason: { code: 'ERR_KEY_INACTIVE', details: { id: old.id, state: 'expired' } } });
    await expect(store().listApiKeys()).resolves.toHaveLength(1);
  });

  it('gives the successor the scopes the key has when the rotation commits, not those read before a narrowing', async () => {
    const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['*'] });
    const settled = await rotateAround(old.id, () => store().setApiKeyScopes(old.id, ['posts.read']));
    if (settled.status !== 'fulfilled') throw settled.reason;
    expect(settled.value.apiKey).toMatchObject({ scopes: ['posts.read'], rotatedFrom: old.id });
    await expect(store().getApiKey(settled.value.apiKey.id)).resolves.toMatchObject({ scopes: ['posts.read'] });
    const verifier = createApiKeyVerifier(store(), { hashOptions: TEST_HASH_OPTIONS });
    try {
      const verified = await verifier.verify(settled.value.key);
      expect(verified.ok && [...verified.principal.scopes]).toEqual(['posts.read']);
    } finally {
      await verifier.dispose();
    }
  });

  it('gives the successor the rate limit the key has when the rotation commits, not the one read before it was tightened', async () => {
    const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const settled = await rotateAround(old.id, () => store().updateApiKey(old.id, { rateLimit: '10/hour' }));
    if (settled.status !== 'fulfilled') throw settled.reason;
    expect(settled.value.apiKey).toMatchObject({ rateLimit: '10/hour', rotatedFrom: old.id });
    await expect(store().getApiKey(settled.value.apiKey.id)).resolves.toMatchObject({ rateLimit: '10/hour' });
  });

  it('gives the successor the name the key has when the rotation commits', async () => {
    const { apiKey: old } = await store().createApiKey({ name: 'ci', scopes: ['posts.read'] });
    const settled = await rotateAround(old.id, () => store().updateApiKey(old.id, { name: 'deploy' }));
    if (settled.status !== 'fulfilled') throw settled.reason;
    expect(settled.value.apiKey).toMatchObject({ name: 'deploy', scopes: ['posts.read'] });
  });
}
