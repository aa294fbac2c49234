import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { ScopeCatalog } from './scope-catalog';

/** Every `resource.action` scope a catalogue lists. */
export function catalogScopeSet(catalog: ScopeCatalog): Set<string> {
  const scopes = new Set<string>();
  for (const resource of catalog.resources) {
    for (const entry of resource.scopes) scopes.add(entry.scope);
  }
  return scopes;
}

/** The grants a catalogue makes meaningful: its scopes, `resource.*`, `*.action` and `*`. */
function knownGrants(catalog: ScopeCatalog): Set<string> {
  const grants = new Set<string>(['*']);
  for (const resource of catalog.resources) {
    grants.add(`${resource.resource}.*`);
    for (const entry of resource.scopes) {
      grants.add(entry.scope);
      grants.add(`*.${entry.action}`);
    }
  }
  return grants;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent
 * transpositions, so `raed` → `read` is one edit). Inputs are short
 * (≤ 128 characters), so three rows of numbers suffice.
 */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      let distance = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(distance);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known grant closest to `grant` by edit distance, or `null` when none
 * is close enough to be a plausible typo: at most 40 % of the grant's length
 * in edits, and never fewer than 2. Pass `catalogScopeSet(catalog)` as
 * `known` to suggest only scopes (for a requirement, which names no wildcard).
 */
export function closest(grant: string, known: ReadonlySet<string>): string | null {
  const threshold = Math.max(2, Math.floor(grant.length * 0.4));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of [...known].sort()) {
    const distance = editDistance(grant, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= threshold ? best : null;
}

/**
 * Checks that every grant means something in `catalog` (typo protection for
 * `createApiKey` and `saveGroup`):
 *
 * - `*` is always allowed;
 * - `resource.*` needs the resource in the catalogue;
 * - `*.action` needs some resource with that action;
 * - `resource.action` needs that scope.
 *
 * Grants must already be valid under the scope grammar (`normalizeGrants`).
 *
 * @example
 * ```ts
 * assertKnownScopes(['posts.raed'], catalog);
 * // throws ERR_UNKNOWN_SCOPE with details { scope: 'posts.raed', suggestion: 'posts.read' }
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_UNKNOWN_SCOPE` naming the first
 *   unknown grant in `details.scope` and the closest known grant in
 *   `details.suggestion` (`null` when nothing is close).
 */
export function assertKnownScopes(grants: readonly string[], catalog: ScopeCatalog): void {
  const known = knownGrants(catalog);
  for (const grant of grants) {
    if (known.has(grant)) continue;
    const suggestion = closest(grant, known);
    const hint = suggestion === null ? '' : ` Did you mean "${suggestion}"?`;
    throw new ScopedPermissionsError('ERR_UNKNOWN_SCOPE', `Unknown scope ${JSON.stringify(grant)}: no field in the schema requires it.${hint}`, {
      details: { scope: grant, suggestion },
    });
  }
}
