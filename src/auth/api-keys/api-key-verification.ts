import type { Principal } from '../../principal/principal';

/**
 * Why a presented API key was refused:
 *
 * - `'malformed'`: wrong prefix, length, charset or checksum (no store query was made);
 * - `'unknown'`: no key has that id;
 * - `'invalid'`: the secret does not match;
 * - `'revoked'`: the key was revoked;
 * - `'expired'`: the key's `expiresAt` has passed.
 *
 * Answer every one of them with the same HTTP 401; the reason is for logs
 * and metrics, not for the caller.
 */
export type ApiKeyFailureReason = 'malformed' | 'unknown' | 'invalid' | 'revoked' | 'expired';

/** The result of {@link ApiKeyVerifier.verify}: a principal, or a reason for refusal. */
export type ApiKeyVerification =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: ApiKeyFailureReason };

/**
 * Counters of an {@link ApiKeyVerifier}, for metrics and benchmarks. Counts
 * are totals since the verifier was created.
 */
export interface ApiKeyVerifierStats {
  /** argon2 verifications started (cache misses that reached the hash). */
  readonly verifications: number;
  /** argon2 rehashes started (after a hash parameter change). */
  readonly rehashes: number;
  /** argon2 operations running now. */
  readonly inFlight: number;
  /** The most argon2 operations that ever ran at once (≤ `maxConcurrentVerifications`). */
  readonly peakInFlight: number;
  /** argon2 operations waiting for a slot now. */
  readonly queued: number;
  /** The most argon2 operations that ever waited at once. */
  readonly peakQueued: number;
  /** Verifications answered from the cache of successes. */
  readonly cacheHits: number;
  /** Verifications answered from the cache of failures. */
  readonly negativeHits: number;
  /** Verifications that joined an identical one already in flight. */
  readonly singleFlightJoins: number;
  /**
   * Cache misses settled without argon2: the key had been verified before in
   * this process, and the store still holds the very hash it matched.
   */
  readonly revalidations: number;
  /**
   * Re-checks of live principals through their `revalidate` (subscriptions,
   * before each event); warm ones make no store call.
   */
  readonly principalChecks: number;
  /** `findApiKeyCredential` calls made. */
  readonly storeLookups: number;
  /** Verifications refused with `ERR_OVERLOADED`. */
  readonly overloaded: number;
  /** Entries in the cache of successes now. */
  readonly cacheSize: number;
  /** Entries in the cache of failures now. */
  readonly negativeCacheSize: number;
}

/** Verifies presented API keys against an `ApiKeyCredentialStore`. Made by `createApiKeyVerifier`. */
export interface ApiKeyVerifier {
  /**
   * Verifies a presented key. Never throws for a bad key: the result says
   * why it was refused.
   *
   * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when the
   *   store throws or outlives `storeTimeoutMs`; `ERR_OVERLOADED` when the
   *   verification queue is full. Both mean: refuse the request (HTTP 503).
   */
  verify(presentedKey: string): Promise<ApiKeyVerification>;
  /** Forgets every cached result for key `id` (done automatically on store change events). */
  evict(id: string): void;
  /** Forgets every cached result. */
  clear(): void;
  /** A snapshot of the counters. */
  stats(): ApiKeyVerifierStats;
  /**
   * Resolves when the background writes started so far (rehash,
   * last-used) have finished. Their failures go to `onError`; this never
   * rejects.
   */
  settled(): Promise<void>;
  /**
   * Unsubscribes from the store's change events, clears the caches and
   * waits for background writes. Later `verify` calls still work, but cache
   * nothing.
   */
  dispose(): Promise<void>;
}
