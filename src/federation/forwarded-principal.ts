import { FORWARDED_PRINCIPAL_HEADER, forwardedSubject } from '../auth/forwarded/forwarded-principal';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { Principal } from '../principal/principal';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { expandGrants } from './expand-grants';
import { createScopeTokenSigner, type ScopeTokenSigner, type ScopeTokenSigning } from './scope-token';

export { FORWARDED_PRINCIPAL_HEADER };

/** Options of {@link signForwardedPrincipal}. */
export interface SignForwardedPrincipalOptions extends ScopeTokenSigning {
  /** The supergraph's scopes, as `discoverScopes` returns them: wildcard grants are expanded against it. */
  readonly catalog: ScopeCatalog;
}

const signers = new WeakMap<SignForwardedPrincipalOptions, ScopeTokenSigner>();

/** The concrete scopes a principal holds against `catalog`; a legacy unrestricted key holds every scope. */
export function concreteScopesOf(principal: Principal, catalog: ScopeCatalog): string[] {
  if (principal.unrestricted === true && principal.kind === 'apiKey') return expandGrants(['*'], catalog);
  return expandGrants(principal.scopes, catalog);
}

/**
 * Signs the caller for the subgraphs behind a gateway: a short-lived JWS
 * (asymmetric key: Ed25519, ECDSA or RSA) that `createScopedContext({
 * forwarded })` checks in each subgraph. Send it in the
 * {@link FORWARDED_PRINCIPAL_HEADER} header.
 *
 * The token carries `sub` (`<kind>:<id>`, `apiKey:a1B2c3D4`), the key or
 * user `name`, and `scope`: the principal's grants expanded to concrete
 * scopes through `catalog` (`expandGrants`), space-separated. Never the
 * API key or the caller's own token. It expires after `ttlMs`, or when the
 * principal's credential does, whichever comes first.
 *
 * @returns The token, or `null` for an anonymous caller (forward nothing).
 * @example
 * ```ts
 * const token = await signForwardedPrincipal(principal, { privateKey, issuer: 'gateway', audience: 'subgraphs', ttlMs: 60_000, catalog });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a key
 *   that is not an asymmetric private key, or a bad issuer, audience or
 *   `ttlMs`; `ERR_INVALID_SCOPE` for a principal holding a malformed grant.
 */
export async function signForwardedPrincipal(principal: Principal, options: SignForwardedPrincipalOptions): Promise<string | null> {
  if (principal.kind === 'anonymous') return null;
  if (typeof principal.id !== 'string' || principal.id.length === 0) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'signForwardedPrincipal: the principal has no id.');
  }
  let signer = signers.get(options);
  if (signer === undefined) {
    signer = createScopeTokenSigner(options, 'signForwardedPrincipal');
    signers.set(options, signer);
  }
  const { token } = await signer.sign({
    subject: forwardedSubject(principal),
    scopes: concreteScopesOf(principal, options.catalog),
    ...(principal.name === undefined ? {} : { name: principal.name }),
    ...(principal.expiresAtMs === undefined ? {} : { notAfterMs: principal.expiresAtMs }),
  });
  return token;
}
