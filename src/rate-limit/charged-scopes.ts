import type { Principal } from '../principal/principal';
import { hasScope } from '../scopes/match-scope';
import type { RequestRateLimit } from './scope-rate-limits';

/**
 * The scopes an allowed operation (or field) uses units of: every scope it
 * needs for sure (`sure`, its one-scope clauses), and for each choice
 * (`anyOf`, a clause of several scopes) the scope the caller meets it with,
 * when that scope is limited. A caller meets a choice with a scope it holds;
 * when it holds an alternative without a limit, the choice uses nothing (it
 * could have been met without one), else it uses one unit of the first
 * limited alternative it holds (sorted, so field and operation mode charge
 * the same bucket). So `@scope(anyOf: ["analytics.export", "admin.all"])`
 * with a limit on `analytics.export` charges a caller who holds only
 * `analytics.export`, and not one who also holds `admin.all`.
 *
 * @returns `sure` itself when no choice adds a scope.
 */
export function chargedScopes(limit: RequestRateLimit, sure: readonly string[], choices: readonly (readonly string[])[], principal: Principal): readonly string[] {
  let charged: string[] | undefined;
  for (const choice of choices) {
    if (!limit.limitsAny(choice)) continue;
    let pick: string | undefined;
    let free = false;
    for (const scope of choice) {
      if (!hasScope(principal, scope)) continue;
      if (!limit.limits(scope)) {
        free = true;
        break;
      }
      pick ??= scope;
    }
    if (free || pick === undefined) continue;
    (charged ??= [...sure]).push(pick);
  }
  return charged ?? sure;
}
