import { hash, timingSafeEqual } from 'node:crypto';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { MAX_KEY_LENGTH, parseApiKey } from '../../keys/api-key-format';
import { verifySecret } from '../../keys/hash-secret';
import type { Principal } from '../../principal/principal';
import type { ApiKeyCredential } from '../../store/scope-store';
import { assertStoredCredential } from '../../store/stored-records';
import { callStore } from '../cache/call-store';
import { ConcurrencyLimiter } from '../cache/concurrency-limiter';
import { followChanges } from '../cache/follow-changes';
import type { FollowedChanges } from '../cache/follow-changes';
import { InvalidatingCache } from '../cache/invalidating-cache';
import { SingleFlight } from '../cache/single-flight';
import { ApiKeyMaintenance } from './api-key-maintenance';
import type { ApiKeyVerifierStore } from './api-key-maintenance';
import type { ApiKeyFailureReason, ApiKeyVerification, ApiKeyVerifier, ApiKeyVerifierStats } from './api-key-verification';
import { resolveApiKeyVerifierOptions } from './api-key-verifier-options';
import type { ApiKeyVerifierOptions, ResolvedApiKeyVerifierOptions } from './api-key-verifier-options';
import { OwnerScopes, ownerOf } from './owner-scopes';
import { VerifiedKey } from './verified-key';

type StoreFailureReason = Exclude<ApiKeyFailureReason, 'malformed'>;
/**
 * `'unproven'`: a re-check without the secret (see {@link CachingApiKeyVerifier.revalidate})
 * found a stored hash it cannot vouch for. Never cached, never shown to a caller of `verify`.
 */
type Outcome =
  | { readonly ok: true; readonly key: VerifiedKey }
  | { readonly ok: false; readonly reason: StoreFailureReason | 'unproven' };

/** A key to check: parsed from a presented key, or, for a re-check of a live principal, without its secret. */
interface KeyToCheck {
  readonly prefix: string;
  readonly id: string;
  /** Absent for re-checks: then only a proven stored hash passes. */
  readonly secret?: string;
  /** The digest of the stored hash the principal being re-checked was proven against. */
  readonly provenHashDigest?: string;
}

const FAILURES: Readonly<Record<ApiKeyFailureReason, ApiKeyVerification>> = Object.freeze({
  malformed: Object.freeze({ ok: false, reason: 'malformed' }),
  unknown: Object.freeze({ ok: false, reason: 'unknown' }),
  invalid: Object.freeze({ ok: false, reason: 'invalid' }),
  revoked: Object.freeze({ ok: false, reason: 'revoked' }),
  expired: Object.freeze({ ok: false, reason: 'expired' }),
});

/**
 * How long the verifier remembers that a key matched a stored hash, in
 * milliseconds (24 hours). Within it, a key whose success entry expired is
 * re-checked against the store (revoked? expired? same hash?) without argon2,
 * so a flood of wrong secrets queued for argon2 cannot stall known keys.
 */
const PROOF_TTL_MS = 24 * 60 * 60 * 1000;

function sha256(value: string): string {
  return hash('sha256', value, 'base64');
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

class CachingApiKeyVerifier implements ApiKeyVerifier {
  private readonly options: ResolvedApiKeyVerifierOptions;
  /** Key digest → the verified key. */
  private readonly positive: InvalidatingCache<VerifiedKey>;
  /** Key digest → why it was refused. */
  private readonly negative: InvalidatingCache<StoreFailureReason>;
  /** Key digest → digest of the stored hash it was proven to match (see {@link PROOF_TTL_MS}). */
  private readonly proofs: InvalidatingCache<string>;
  private readonly limiter: ConcurrencyLimiter;
  /** Bounds store lookups in flight, so forged keys with random ids cannot flood the database. */
  private readonly lookupLimiter: ConcurrencyLimiter;
  private readonly maintenance: ApiKeyMaintenance;
  /** Verifications in flight, by key digest (re-checks by `live:` + digest), tagged by key id. */
  private readonly flights = new SingleFlight<Outcome>();
  /** Credential lookups in flight, by key id. */
  private readonly lookups = new SingleFlight<ApiKeyCredential | null>();
  /** Owners' group scopes, under `ownerScopes: 'intersect'`. */
  private readonly owners: OwnerScopes | undefined;
  private readonly counters = { verifications: 0, revalidations: 0, cacheHits: 0, negativeHits: 0, storeLookups: 0, overloaded: 0, principalChecks: 0 };
  /** Ids of unrestricted keys already reported to `onWarning`. */
  private readonly warnedUnrestricted = new Set<string>();
  private disposed = false;
  private readonly followed: FollowedChanges;

  constructor(
    private readonly store: ApiKeyVerifierStore,
    options: ApiKeyVerifierOptions | undefined,
  ) {
    this.options = resolveApiKeyVerifierOptions(options, store.hashOptions);
    this.positive = new InvalidatingCache(this.options.cacheMaxEntries);
    this.negative = new InvalidatingCache(this.options.negativeCacheMaxEntries);
    this.proofs = new InvalidatingCache(this.options.cacheMaxEntries);
    this.limiter = new ConcurrencyLimiter(this.options.maxConcurrentVerifications, this.options.maxQueuedVerifications);
    this.lookupLimiter = new ConcurrencyLimiter(this.options.maxConcurrentLookups, this.options.maxQueuedVerifications);
    this.maintenance = new ApiKeyMaintenance(store, this.options, this.limiter);
    this.owners = OwnerScopes.of(store, this.options);
    this.followed = followChanges(store, { apiKey: (id) => this.evict(id), reset: () => this.clear() }, { watch: this.options.watch, onError: this.options.onWatchError });
  }

  async verify(presentedKey: string): Promise<ApiKeyVerification> {
    if (typeof presentedKey !== 'string' || presentedKey.length > MAX_KEY_LENGTH) return FAILURES.malformed;
    // The caches come first: a hit is a digest that already passed every check below.
    const digest = sha256(presentedKey);

    const cached = this.positive.get(digest);
    if (cached !== undefined) {
      // Entries go stale at the key's expiry already; this check guards that on every hit.
      if (cached.expiresAtMs !== null && !(Date.now() < cached.expiresAtMs)) {
        this.positive.delete(digest);
        this.remember(digest, cached.id, 'expired');
        return FAILURES.expired;
      }
      this.counters.cacheHits += 1;
      return this.succeed(cached);
    }
    const refused = this.negative.get(digest);
    if (refused !== undefined) {
      this.counters.negativeHits += 1;
      return FAILURES[refused];
    }

    const parsed = parseApiKey(presentedKey, this.options.prefix);
    if (parsed === null) return FAILURES.malformed;
    const outcome = await this.singleFlight(digest, digest, parsed);
    return outcome.ok ? this.succeed(outcome.key) : FAILURES[outcome.reason === 'unproven' ? 'invalid' : outcome.reason];
  }

  /**
   * Re-checks a principal this verifier built, without its secret: the
   * `revalidate` of API key principals. A warm cache entry answers at once;
   * otherwise one store lookup checks that the key still exists, is neither
   * revoked nor expired, and still holds the hash it was proven against
   * (a stored hash this verifier cannot vouch for ends the principal's life).
   * An owner-bound key answers with its owner's scopes as they are now.
   */
  private async revalidate(digest: string, key: KeyToCheck): Promise<Principal | null> {
    this.counters.principalChecks += 1;
    const cached = this.positive.get(digest);
    if (cached !== undefined) {
      if (cached.expiresAtMs !== null && !(Date.now() < cached.expiresAtMs)) {
        this.positive.delete(digest);
        this.remember(digest, cached.id, 'expired');
        return null;
      }
      return principalOf(await this.answer(cached));
    }
    if (this.negative.get(digest) !== undefined) return null;
    // Its own flight: a re-check without the secret must never answer a real verification.
    const outcome = await this.singleFlight(`live:${digest}`, digest, key);
    return outcome.ok ? principalOf(await this.answer(outcome.key)) : null;
  }

  evict(id: string): void {
    this.positive.invalidate(id);
    this.negative.invalidate(id);
    this.lookups.forget(id);
    this.flights.forget(id);
  }

  clear(): void {
    this.positive.clear();
    this.negative.clear();
    this.proofs.clear();
    this.lookups.clear();
    this.flights.clear();
  }

  stats(): ApiKeyVerifierStats {
    return {
      ...this.counters,
      singleFlightJoins: this.flights.joins,
      rehashes: this.maintenance.rehashes,
      inFlight: this.limiter.active,
      peakInFlight: this.limiter.peakActive,
      queued: this.limiter.queued,
      peakQueued: this.limiter.peakQueued,
      cacheSize: this.positive.size,
      negativeCacheSize: this.negative.size,
    };
  }

  settled(): Promise<void> {
    return this.maintenance.settled();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.followed.dispose();
    await this.owners?.dispose();
    this.clear();
    await this.settled();
  }

  private singleFlight(flightKey: string, digest: string, parsed: KeyToCheck): Promise<Outcome> {
    return this.flights.run(flightKey, parsed.id, () => {
      try {
        // Refuse before the store query when no hash slot could be had anyway,
        // unless the key was proven before and needs no hash.
        if (parsed.secret !== undefined && this.proofs.get(digest) === undefined) this.limiter.assertCapacity();
      } catch (error) {
        this.counters.overloaded += 1;
        return Promise.reject(error);
      }
      return this.verifyUncached(digest, parsed);
    });
  }

  private async verifyUncached(digest: string, parsed: KeyToCheck): Promise<Outcome> {
    const generation = this.positive.generation;
    // A refusal read before a change (a key re-dated, un-revoked by a restore) must not outlive it either.
    const refuse = this.refuser(digest, parsed.id, this.negative.generation);
    const credential = await this.lookup(parsed.id);
    if (credential === null) return refuse('unknown');
    const { apiKey, hash: storedHash } = credential;
    if (apiKey.prefix !== parsed.prefix) return refuse('invalid');

    const hashDigest = sha256(storedHash);
    const proof = this.proofs.get(digest);
    const { secret, provenHashDigest } = parsed;
    if ((proof !== undefined && sameDigest(proof, hashDigest)) || (provenHashDigest !== undefined && sameDigest(provenHashDigest, hashDigest))) {
      // This exact key matched this exact stored hash before: argon2 would say so again.
      this.counters.revalidations += 1;
    } else if (secret === undefined) {
      return { ok: false, reason: 'unproven' };
    } else if (await this.verifyWithArgon2(storedHash, secret)) {
      if (!this.disposed) this.proofs.set(digest, apiKey.id, hashDigest, PROOF_TTL_MS);
    } else {
      return refuse('invalid');
    }
    if (apiKey.revokedAt !== null) return refuse('revoked');
    const nowMs = Date.now();
    const expiresAtMs = apiKey.expiresAt === null ? null : apiKey.expiresAt.getTime();
    // Written as !(now < expiry) so that an invalid date (NaN) from a corrupt record counts as expired.
    if (expiresAtMs !== null && !(nowMs < expiresAtMs)) return refuse('expired');

    if (secret !== undefined) {
      // A rehash changes the stored hash: prove the key against the new one, so live principals survive it.
      this.maintenance.rehashIfNeeded(apiKey.id, storedHash, secret, (fresh) => {
        if (!this.disposed) this.proofs.set(digest, apiKey.id, sha256(fresh), PROOF_TTL_MS);
      });
    }
    const ownerId = ownerOf(credential);
    const unrestricted = apiKey.scopes.length === 0 && this.options.unscopedKeys === 'full-access';
    // An owner-bound legacy key gets its owner's scopes, not full access: nothing to warn about.
    if (unrestricted && (this.owners === undefined || ownerId === null)) this.warnUnrestricted(apiKey.id);
    const recheck: KeyToCheck = { prefix: apiKey.prefix, id: apiKey.id, provenHashDigest: hashDigest };
    const key = new VerifiedKey({ ...apiKey, ownerId }, expiresAtMs, unrestricted, () => this.revalidate(digest, recheck));
    const ttlMs = Math.min(this.options.cacheTtlMs, expiresAtMs === null ? Infinity : expiresAtMs - nowMs);
    // An eviction during the lookup or the hash means the record may be stale: answer, but do not cache.
    if (!this.disposed) this.positive.setIfCurrent(generation, digest, key.id, key, ttlMs);
    return { ok: true, key };
  }

  private async verifyWithArgon2(storedHash: string, secret: string): Promise<boolean> {
    try {
      return await this.limiter.run(() => {
        this.counters.verifications += 1;
        return verifySecret(storedHash, secret);
      });
    } catch (error) {
      if (error instanceof ScopedPermissionsError && error.code === 'ERR_OVERLOADED') this.counters.overloaded += 1;
      throw error;
    }
  }

  private lookup(id: string): Promise<ApiKeyCredential | null> {
    return this.lookups.run(id, id, () => {
      this.counters.storeLookups += 1;
      return this.lookupLimiter
        .run(() => callStore('findApiKeyCredential', () => this.store.findApiKeyCredential(id), this.options.storeTimeoutMs))
        .then((credential) => assertStoredCredential(credential, id));
    });
  }

  /**
   * Refuses a key, caching the refusal unless an invalidation came after
   * `generation` was read (the record refused may predate that change), as
   * the positive cache does with its successes.
   */
  private refuser(digest: string, id: string, generation: number): (reason: StoreFailureReason) => Outcome {
    return (reason) => {
      if (!this.disposed) this.negative.setIfCurrent(generation, digest, id, reason, this.options.negativeCacheTtlMs);
      return { ok: false, reason };
    };
  }

  private remember(digest: string, id: string, reason: StoreFailureReason): void {
    if (!this.disposed) this.negative.set(digest, id, reason, this.options.negativeCacheTtlMs);
  }

  /** Tells `onWarning`, once per key, that a key without scopes got full access. */
  private warnUnrestricted(id: string): void {
    if (this.warnedUnrestricted.has(id)) return;
    this.warnedUnrestricted.add(id);
    const message = `API key ${id} has no scopes and was granted full access as a legacy unrestricted key; give it scopes, revoke it, or set unscopedKeys: 'deny'.`;
    try {
      this.options.onWarning(message, { kind: 'unrestricted-key', keyId: id });
    } catch (hookError) {
      process.emitWarning(hookError instanceof Error ? hookError : new Error(String(hookError)));
    }
  }

  private succeed(key: VerifiedKey): ApiKeyVerification | Promise<ApiKeyVerification> {
    this.maintenance.touch(key.id);
    return this.answer(key);
  }

  /** The key's answer: its own scopes, or with an owner under `ownerScopes: 'intersect'`, those its owner's groups also grant. */
  private answer(key: VerifiedKey): ApiKeyVerification | Promise<ApiKeyVerification> {
    return this.owners === undefined ? key.result : this.owners.answer(key);
  }
}

function principalOf(verification: ApiKeyVerification): Principal | null {
  return verification.ok ? verification.principal : null;
}

/**
 * Creates the verifier that turns a presented API key into a principal.
 *
 * - Malformed keys (prefix, length, charset, checksum) are refused before
 *   any store query or hash.
 * - Successes are cached in an LRU keyed by the SHA-256 of the key (never
 *   the key) for `cacheTtlMs`, capped at the key's expiry, which is also
 *   checked on every hit. Revocations, scope changes and rotations made
 *   through `store` evict at once; made by another process, they evict
 *   when `store.watchChanges` reports them (within the store's poll
 *   interval), and at worst after `cacheTtlMs`.
 * - With `ownerScopes: 'intersect'`, a key with an owner holds the grants
 *   it and its owner's groups both hold, from a user scope cache that group
 *   changes evict.
 * - Failures are cached for `negativeCacheTtlMs`, so a repeated bad key
 *   costs no query and no hash.
 * - A key whose cached success expired is re-checked against the store
 *   (revoked, expired, scopes) but not re-hashed while the store still
 *   holds the hash it was proven to match (remembered for 24 hours by
 *   digest), so known keys never wait behind a flood of wrong secrets.
 * - Concurrent first uses of one key share one argon2 verification, at
 *   most `maxConcurrentVerifications` hashes run at once, and at most
 *   `maxQueuedVerifications` wait; beyond that, `ERR_OVERLOADED`.
 * - A broken or slow store raises `ERR_STORE_UNAVAILABLE`: never a success.
 *
 * @example
 * ```ts
 * const verifier = createApiKeyVerifier(store, { trackLastUsed: true });
 * const result = await verifier.verify(request.headers['x-api-key']);
 * if (!result.ok) throw unauthenticatedError('Invalid API key.');
 * context.principal = result.principal;
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad option.
 */
export function createApiKeyVerifier(store: ApiKeyVerifierStore, options?: ApiKeyVerifierOptions): ApiKeyVerifier {
  return new CachingApiKeyVerifier(store, options);
}
