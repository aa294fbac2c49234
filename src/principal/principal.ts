import { ReadOnlyScopeSet } from './read-only-set';

/** Where a principal's credentials came from. */
export type PrincipalKind = 'apiKey' | 'user' | 'jwt' | 'anonymous';

/**
 * The caller of one request, with one effective scope set.
 *
 * The `@scope` transformer reads it from the GraphQL context (by default
 * `context.principal`). `scopes` holds grants, which may use wildcards
 * (`posts.*`, `*.read`, `*`).
 *
 * @example
 * ```ts
 * const principal: Principal = { kind: 'apiKey', id: 'a1B2c3D4', name: 'ci', scopes: new ReadOnlyScopeSet(['posts.read']) };
 * ```
 */
export interface Principal {
  /** Where the credentials came from. */
  readonly kind: PrincipalKind;
  /** The key id, user id or JWT subject. Absent for anonymous callers. */
  readonly id?: string;
  /** A display name (the key's name, the user's name). */
  readonly name?: string;
  /**
   * The granted scopes, possibly with wildcards. The principals this
   * package builds hold a {@link ReadOnlyScopeSet}, which nothing can widen.
   */
  readonly scopes: ReadonlySet<string>;
  /**
   * Marks a legacy API key created without scopes, which drf-scoped-permissions
   * lets do everything. Only set when the API key verifier's `unscopedKeys`
   * option is `'full-access'` (the default), and honoured only on
   * `kind: 'apiKey'`. Default `false`.
   */
  readonly unrestricted?: boolean;
  /**
   * When the credential stops being valid, in milliseconds since the epoch
   * (the `Date.now()` scale): an API key's `expiresAt`, a JWT's `exp` (plus
   * the clock tolerance). Absent when the credential does not expire.
   * Subscriptions refuse every event from this time on.
   */
  readonly expiresAtMs?: number;
  /**
   * An API key's own rate limit (`'1000/hour'`), which `createScopedContext`
   * applies to every request of the key. Absent for keys without one and
   * for other kinds.
   */
  readonly rateLimit?: string;
  /**
   * Re-checks the credential behind this principal, for operations that
   * outlive the request (subscriptions check it before every event).
   * Resolves to the principal as the credential stands now (its scopes may
   * have narrowed), or `null` when the credential is no longer valid
   * (revoked, expired, deleted).
   *
   * The API key verifier sets it on the principals it builds: it answers
   * from its cache in microseconds while the entry is warm, and otherwise
   * with one store lookup and no argon2. Changes made through the same
   * store object evict the cache at once; changes made by another process
   * when the store's change watcher reports them (`store.watchChanges`,
   * within its poll interval), and at worst after the verifier's `cacheTtlMs`.
   *
   * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` or
   *   `ERR_OVERLOADED` when the store cannot answer; the caller fails closed.
   */
  readonly revalidate?: () => Promise<Principal | null>;
}

/** The principal of a request that presented no credentials. Frozen. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  kind: 'anonymous' as const,
  scopes: new ReadOnlyScopeSet(),
});
