import type { FieldRequirement } from '../requirements/field-requirement';

/**
 * The scopes a gateway must see for one requirement, in the shape of
 * federation's `@requiresScopes(scopes:)`: an OR of ANDs, each inner list
 * a set of scopes that together satisfy the requirement. The one place that
 * turns a requirement into gateway scopes, so that the printed SDL and the
 * supergraph stay in step with what the subgraph enforces.
 *
 * @example
 * ```ts
 * requiresScopesOf({ coordinate: 'Query.posts', resource: 'posts', action: 'read', scope: 'posts.read', actionSource: 'default-read' });
 * // [['posts.read']]
 * ```
 */
export function requiresScopesOf(requirement: FieldRequirement): string[][] {
  return [[requirement.scope]];
}
