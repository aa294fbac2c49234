import type { CatalogResource, CatalogScope, ScopeCatalog } from '../../scopes/scope-catalog';
import { STANDARD_ACTIONS } from '../../scopes/discover-scopes';
import { parseScope } from '../../scopes/scope-grammar';

/**
 * The catalogue the admin page offers: the schema's, plus the admin scope
 * (by default `scopes.admin`), which no field requires but which a key needs
 * to sign in here.
 */
export function withAdminScope(catalog: ScopeCatalog, adminScope: string): ScopeCatalog {
  const { resource, action } = parseScope(adminScope);
  const adminEntry: CatalogScope = { scope: adminScope, action, coordinates: [], used: true };
  const existing = catalog.resources.find((entry) => entry.resource === resource);
  if (existing?.scopes.some((entry) => entry.scope === adminScope)) return catalog;
  const merged: CatalogResource =
    existing === undefined ? { resource, scopes: [adminEntry] } : { resource, scopes: [...existing.scopes, adminEntry] };
  const resources = [...catalog.resources.filter((entry) => entry.resource !== resource), merged].sort((a, b) =>
    a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0,
  );
  return { resources };
}

/**
 * The grants the admin page's checkboxes offer for a catalogue: `*`, each
 * resource's `resource.*`, and each scope.
 */
export function offeredGrants(catalog: ScopeCatalog): Set<string> {
  const grants = new Set<string>(['*']);
  for (const { resource, scopes } of catalog.resources) {
    grants.add(`${resource}.*`);
    for (const { scope } of scopes) grants.add(scope);
  }
  return grants;
}

/**
 * Whether a grant means something in this catalogue: offered, or a
 * `*.action` wildcard whose action some resource has. Others are flagged
 * "not in the schema" (they are kept, never dropped).
 */
export function isKnownGrant(catalog: ScopeCatalog, grant: string): boolean {
  if (offeredGrants(catalog).has(grant)) return true;
  if (!grant.startsWith('*.')) return false;
  const action = grant.slice(2);
  return STANDARD_ACTIONS.includes(action) || catalog.resources.some(({ scopes }) => scopes.some((entry) => entry.action === action));
}
