import type { ScopeCatalog } from '../scopes/scope-catalog';
import { normalizeGrants } from '../scopes/scope-grammar';

/**
 * Turns grants into the concrete scopes a gateway can match: gateways
 * (Apollo Router, Hive Gateway, Cosmo) compare `@requiresScopes` strings
 * literally, so `posts.*` would not satisfy `posts.read` there.
 *
 * - `*` becomes every scope of the catalogue;
 * - `posts.*` every scope of the `posts` resource;
 * - `*.read` every `read` scope;
 * - a concrete scope stays as it is, in the catalogue or not.
 *
 * A wildcard that matches nothing in the catalogue adds nothing. Use it
 * wherever a token for a gateway is minted (`signForwardedPrincipal` and
 * `createTokenExchange` do), and when your own issuer puts our grants in a
 * JWT's `scope` claim.
 *
 * @param grants - Grants as a principal holds them (`posts.*`, `*.read`, `*`, `posts.read`).
 * @param catalog - The scopes that exist, as `discoverScopes` returns them, for a schema or a supergraph.
 * @returns The concrete scopes, sorted and without duplicates.
 * @example
 * ```ts
 * expandGrants(['posts.*', 'users.read'], discoverScopes(schema)); // ['posts.delete', 'posts.read', 'posts.write', 'users.read']
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` for a grant that is not `resource.action`, `resource.*`, `*.action` or `*`.
 */
export function expandGrants(grants: Iterable<string>, catalog: ScopeCatalog): string[] {
  const expanded = new Set<string>();
  for (const grant of normalizeGrants(grants)) {
    if (!grant.includes('*')) {
      expanded.add(grant);
      continue;
    }
    const [resource = '', action = ''] = grant === '*' ? ['*', '*'] : grant.split('.');
    for (const entry of catalog.resources) {
      if (resource !== '*' && entry.resource !== resource) continue;
      for (const scope of entry.scopes) if (action === '*' || scope.action === action) expanded.add(scope.scope);
    }
  }
  return [...expanded].sort();
}
