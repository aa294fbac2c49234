import type { FieldRequirement } from '../requirements/field-requirement';
import { requiresScopesOf as expressionScopes } from '../requirements/scope-expression';

/**
 * The scopes a gateway must see for one requirement, in the shape of
 * federation's `@requiresScopes(scopes:)`: an OR of ANDs, each inner list
 * a set of scopes that together satisfy the requirement. The one place that
 * turns a requirement into gateway scopes, so that the printed SDL and the
 * supergraph stay in step with what the subgraph enforces.
 *
 * @example
 * ```ts
 * requiresScopesOf(requirement); // [['posts.read']] for @scope(resource: "posts") on a Query field,
 * // [['a.read', 'c.read'], ['b.read', 'c.read']] for @scope(anyOf: ["a.read", "b.read"]) @scope(resource: "c")
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_DIRECTIVE`, naming the
 *   coordinate, for a requirement that expands beyond
 *   `MAX_EXPRESSION_ALTERNATIVES` (only a hand-made one: the transform
 *   refuses such a requirement first). Never a truncated list.
 */
export function requiresScopesOf(requirement: FieldRequirement): string[][] {
  return expressionScopes(requirement.allOf, requirement.coordinate).map((alternative) => [...alternative]);
}
