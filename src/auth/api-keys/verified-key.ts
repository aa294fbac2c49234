import type { Principal } from '../../principal/principal';
import { ReadOnlyScopeSet } from '../../principal/read-only-set';
import { intersectGrants } from '../../scopes/intersect-grants';
import type { ApiKeyRecord } from '../../store/scope-store';
import type { ApiKeyVerification } from './api-key-verification';

/**
 * A key that passed every check, as the verifier caches it: never the
 * secret, never the hash. Its answers are built once and shared by every
 * request the cache entry serves.
 */
export class VerifiedKey {
  readonly id: string;
  /** The key's expiry in ms, or `null` for never. */
  readonly expiresAtMs: number | null;
  /** The owner's user id, or `null`. */
  readonly ownerId: string | null;
  /** The answer from the key's own scopes. */
  readonly result: ApiKeyVerification;
  private readonly name: string;
  private readonly rateLimit: string | null;
  /** The key's grants for an intersection: a legacy key without scopes counts as `*`. */
  private readonly grants: readonly string[];
  /** The last answer bounded by the owner's scopes, and the owner's scope set it was built from. */
  private bounded: { readonly ownerScopes: ReadonlySet<string>; readonly result: ApiKeyVerification } | undefined;

  /**
   * @param unrestricted - Whether this key, having no scopes, may do everything (`unscopedKeys: 'full-access'`).
   * @param revalidate - The principals' `revalidate`: the verifier's re-check of this key.
   */
  constructor(
    apiKey: ApiKeyRecord,
    expiresAtMs: number | null,
    unrestricted: boolean,
    private readonly revalidate: () => Promise<Principal | null>,
  ) {
    this.id = apiKey.id;
    this.name = apiKey.name;
    this.rateLimit = apiKey.rateLimit ?? null;
    this.expiresAtMs = expiresAtMs;
    this.ownerId = apiKey.ownerId;
    this.grants = unrestricted ? ['*'] : [...apiKey.scopes];
    this.result = this.answer(apiKey.scopes, unrestricted);
  }

  /**
   * The answer bounded by the owner's group scopes: the grants both hold.
   * Rebuilt only when `ownerScopes` is another set than last time (the
   * user scope cache hands out one set per user until it changes).
   */
  boundedBy(ownerScopes: ReadonlySet<string>): ApiKeyVerification {
    if (this.bounded?.ownerScopes !== ownerScopes) {
      this.bounded = { ownerScopes, result: this.answer(intersectGrants(this.grants, ownerScopes), false) };
    }
    return this.bounded.result;
  }

  private answer(scopes: readonly string[], unrestricted: boolean): ApiKeyVerification {
    const principal: Principal = Object.freeze({
      kind: 'apiKey' as const,
      id: this.id,
      name: this.name,
      scopes: new ReadOnlyScopeSet(scopes),
      ...(unrestricted ? { unrestricted: true } : {}),
      ...(this.expiresAtMs === null ? {} : { expiresAtMs: this.expiresAtMs }),
      ...(this.rateLimit === null ? {} : { rateLimit: this.rateLimit }),
      revalidate: this.revalidate,
    });
    return Object.freeze({ ok: true as const, principal });
  }
}
