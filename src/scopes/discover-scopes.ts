import type { GraphQLSchema } from 'graphql';
import { collectRequirements } from '../requirements/collect-requirements';
import type { CatalogField, CatalogResource, CatalogScope, ScopeCatalog } from './scope-catalog';

/** The actions every resource lists, in display order, whether used or not. */
export const STANDARD_ACTIONS: readonly string[] = Object.freeze(['read', 'write', 'delete']);

/** Options of {@link discoverScopes}. */
export interface DiscoverScopesOptions {
  /** The directive's name, without `@`. Default `'scope'`. */
  directiveName?: string;
  /** Must match the transformer's `deleteVerbs`. Default `['delete', 'remove', 'destroy']`. */
  deleteVerbs?: readonly string[];
}

function actionOrder(a: string, b: string): number {
  const rank = (action: string) => {
    const index = STANDARD_ACTIONS.indexOf(action);
    return index === -1 ? STANDARD_ACTIONS.length : index;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Lists every scope a schema uses, grouped by resource: the counterpart of
 * drf-scoped-permissions' `manage.py list_scopes`.
 *
 * Every resource lists `read`, `write` and `delete` (as drf-scoped-permissions does), marked
 * `used: false` when no field requires them, then its custom actions
 * alphabetically. Each scope carries the schema coordinates that require it,
 * interface fields included, and `fields`: the same coordinates, each with
 * how its action was chosen (`explicit`, or inferred: `default-read`,
 * `default-write`, `delete-verb`), so a reviewer sees what was inferred. A
 * field whose requirement is an expression is listed under each scope it
 * names, with the whole expression in `allOf` (so a scope that is one of
 * several alternatives is not mistaken for a must). A schema that never uses the directive gives a
 * catalogue with no resources.
 *
 * @example
 * ```ts
 * const catalog = discoverScopes(schema);
 * console.log(formatScopes(catalog));
 * ```
 * @throws {@link ScopedPermissionsError} as the transformer does for a malformed directive.
 */
export function discoverScopes(schema: GraphQLSchema, options: DiscoverScopesOptions = {}): ScopeCatalog {
  const byResource = new Map<string, Map<string, CatalogField[]>>();
  for (const { coordinate, allOf, scope, scopes } of collectRequirements(schema, options).values()) {
    for (const { resource, action, actionSource } of scopes) {
      let actions = byResource.get(resource);
      if (!actions) {
        actions = new Map(STANDARD_ACTIONS.map((standard) => [standard, []]));
        byResource.set(resource, actions);
      }
      const fields = actions.get(action) ?? [];
      fields.push(scope === undefined ? { coordinate, action, actionSource, allOf } : { coordinate, action, actionSource });
      actions.set(action, fields);
    }
  }
  const resources: CatalogResource[] = [...byResource.keys()].sort().map((resource) => {
    const actions = byResource.get(resource) ?? new Map<string, CatalogField[]>();
    const scopes: CatalogScope[] = [...actions.keys()].sort(actionOrder).map((action) => {
      const fields = (actions.get(action) ?? []).sort((a, b) => (a.coordinate < b.coordinate ? -1 : a.coordinate > b.coordinate ? 1 : 0));
      const coordinates = fields.map((field) => field.coordinate);
      return { scope: `${resource}.${action}`, action, coordinates, fields, used: coordinates.length > 0 };
    });
    return { resource, scopes };
  });
  return { resources };
}
