import type { Principal } from './principal';

/** Whether `principal` carries an expiry that has passed at `nowMs`. An invalid expiry counts as passed. */
export function isExpired(principal: Principal, nowMs: number = Date.now()): boolean {
  const expiresAtMs = principal.expiresAtMs;
  // Written as !(now < expiry) so that NaN (a corrupt expiry) counts as expired.
  return expiresAtMs !== undefined && !(nowMs < expiresAtMs);
}

/**
 * The principal as its credential stands now, for a check long after the
 * request that authenticated it (the events of a subscription):
 *
 * - `null` when its `expiresAtMs` has passed;
 * - otherwise, when it carries `revalidate`, what that answers (`null` for a
 *   revoked or deleted credential, or a principal with today's scopes), with
 *   the same expiry check on the answer;
 * - otherwise the principal itself (session users, anonymous callers, and
 *   principals an application builds without `revalidate`).
 *
 * @throws {@link ScopedPermissionsError} what `revalidate` throws
 *   (`ERR_STORE_UNAVAILABLE`, `ERR_OVERLOADED`); callers fail closed.
 */
export async function currentPrincipal(principal: Principal): Promise<Principal | null> {
  if (isExpired(principal)) return null;
  if (typeof principal.revalidate !== 'function') return principal;
  const current = await principal.revalidate();
  return current === null || isExpired(current) ? null : current;
}
