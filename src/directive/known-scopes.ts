import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { FieldRequirement } from '../requirements/field-requirement';
import { assertKnownScopes, catalogScopeSet, closest } from '../scopes/assert-known-scopes';
import type { CatalogResource, ScopeCatalog } from '../scopes/scope-catalog';
import { parseScope } from '../scopes/scope-grammar';

/**
 * The catalogue of a `knownScopes` option.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a list that is not one of scopes (`resource.action`, no wildcards).
 */
export function knownScopesCatalog(knownScopes: readonly string[]): ScopeCatalog {
  if (!Array.isArray(knownScopes)) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'scopeDirective: knownScopes must be an array of scopes.', { details: { option: 'knownScopes' } });
  const byResource = new Map<string, CatalogResource['scopes'][number][]>();
  for (const scope of knownScopes) {
    let parsed;
    try {
      parsed = parseScope(scope);
    } catch (error) {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'scopeDirective: knownScopes lists something that is not a scope (resource.action, no wildcards).', { details: { option: 'knownScopes' }, cause: error });
    }
    const entries = byResource.get(parsed.resource) ?? [];
    entries.push({ scope, action: parsed.action, coordinates: [], used: true });
    byResource.set(parsed.resource, entries);
  }
  return { resources: [...byResource].map(([resource, scopes]) => ({ resource, scopes })) };
}

/**
 * Checks that every scope the requirements name, in `anyOf` too, is in a
 * strict catalogue (the `knownScopes` option), so that a typo in the schema
 * fails at transform time.
 *
 * @throws {@link ScopedPermissionsError} `ERR_UNKNOWN_SCOPE` with `details.scope`,
 *   `details.suggestion` (the closest known scope, or `null`) and `details.coordinate`.
 */
export function assertRequirementsKnown(requirements: Iterable<FieldRequirement>, catalog: ScopeCatalog): void {
  for (const requirement of requirements) {
    try {
      assertKnownScopes(requirement.scopes.map((entry) => entry.scope), catalog);
    } catch (error) {
      if (!(error instanceof ScopedPermissionsError)) throw error;
      const { scope } = error.details ?? {};
      // A requirement names a scope, never a wildcard: suggest among the catalogue's scopes only.
      const suggestion = typeof scope === 'string' ? closest(scope, catalogScopeSet(catalog)) : null;
      const hint = typeof suggestion === 'string' ? ` Did you mean "${suggestion}"?` : '';
      throw new ScopedPermissionsError('ERR_UNKNOWN_SCOPE', `${requirement.coordinate} requires ${JSON.stringify(scope)}, which knownScopes does not list.${hint}`, {
        details: { ...error.details, suggestion, coordinate: requirement.coordinate },
        cause: error,
      });
    }
  }
}
