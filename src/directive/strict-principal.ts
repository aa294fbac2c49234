import type { Principal } from '../principal/principal';
import type { PrincipalGetter } from './guard-resolver';

const stripped = new WeakMap<Principal, Principal>();

/** `principal` without the full access of a legacy key without scopes (its `revalidate` too). */
function withoutLegacyAccess(principal: Principal): Principal {
  const known = stripped.get(principal);
  if (known !== undefined) return known;
  const { revalidate } = principal;
  const strict: Principal = Object.freeze({
    ...principal,
    unrestricted: false,
    ...(revalidate === undefined ? {} : { revalidate: async (): Promise<Principal | null> => strictPrincipal(await revalidate()) ?? null }),
  });
  stripped.set(principal, strict);
  return strict;
}

function strictPrincipal<T extends Principal | null | undefined>(principal: T): T | Principal {
  return principal != null && principal.unrestricted === true ? withoutLegacyAccess(principal) : principal;
}

/**
 * The principal getter of a `preset: 'strict'` directive: the caller as
 * `getPrincipal` reads it, except that a legacy API key without scopes
 * (`unrestricted`, under the verifier's `unscopedKeys: 'full-access'`) has
 * only its scopes, none, as under `unscopedKeys: 'deny'`. Every other
 * principal is returned as it is, so the hot path costs one property read.
 */
export function strictPrincipalGetter(getPrincipal: PrincipalGetter): PrincipalGetter {
  return (context) => strictPrincipal(getPrincipal(context));
}
