import type { Principal } from '../../principal/principal';
import { ReadOnlyScopeSet } from '../../principal/read-only-set';

/**
 * A token whose signature and claims passed, as the JWT verifier caches it
 * under the token's SHA-256: the subject, the token's own grants, and the
 * principal built from them (with the subject's group scopes, when the
 * verifier adds them). Never the token itself.
 */
export class VerifiedToken {
  /** The principal from the token's grants alone. */
  readonly principal: Principal;
  /** The last principal with group scopes, and the group scope set it was built from. */
  private withGroups: { readonly groupScopes: ReadonlySet<string>; readonly principal: Principal } | undefined;

  /**
   * @param subject - The `sub` claim, a valid user id.
   * @param expiresAtMs - When jose would first refuse the token as expired (`exp` plus the clock tolerance, in ms), or `null` without `exp`.
   */
  constructor(
    readonly subject: string,
    private readonly name: string | undefined,
    private readonly grants: readonly string[],
    readonly expiresAtMs: number | null,
  ) {
    this.principal = this.build(grants);
  }

  /**
   * The principal with the subject's group scopes added. Rebuilt only when
   * `groupScopes` is another set than last time (the user scope cache hands
   * out one set per user until it changes).
   */
  principalWith(groupScopes: ReadonlySet<string>): Principal {
    if (this.withGroups?.groupScopes !== groupScopes) {
      this.withGroups = { groupScopes, principal: this.build([...this.grants, ...groupScopes]) };
    }
    return this.withGroups.principal;
  }

  private build(scopes: readonly string[]): Principal {
    return Object.freeze({
      kind: 'jwt' as const,
      id: this.subject,
      ...(this.name === undefined ? {} : { name: this.name }),
      scopes: new ReadOnlyScopeSet(scopes),
      // For later checks (subscriptions): the instant jose starts refusing the token.
      ...(this.expiresAtMs === null ? {} : { expiresAtMs: this.expiresAtMs }),
    });
  }
}
