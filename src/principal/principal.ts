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
 * const principal: Principal = { kind: 'apiKey', id: 'a1B2c3D4', name: 'ci', scopes: new Set(['posts.read']) };
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
   * Marks a legacy API key created without scopes, which the seed package
   * lets do everything. Only set when the API key verifier's `unscopedKeys`
   * option is `'full-access'` (the default), and honoured only on
   * `kind: 'apiKey'`. Default `false`.
   */
  readonly unrestricted?: boolean;
}

/** The principal of a request that presented no credentials. Frozen. */
export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({
  kind: 'anonymous' as const,
  scopes: new ReadOnlyScopeSet(),
});
