import { MAX_SCOPE_LENGTH, isGrant, normalizeGrants } from '../../scopes/scope-grammar';
import { MAX_GRANTS } from '../../store/store-input';

/** The grants ticked in a form, or the error to show next to the checkboxes. */
export type GrantsResult = { readonly ok: true; readonly grants: string[] } | { readonly ok: false; readonly error: string };

/**
 * Reads the ticked `scope` checkboxes. Every value must be offered by the
 * page (`allowed`: the catalogue's checkboxes plus the grants the record
 * already has), so a forged form cannot add a scope the page never showed.
 *
 * @param required - Refuse an empty selection (keys: a key without scopes is an unrestricted legacy key).
 */
export function readGrants(values: readonly string[], allowed: ReadonlySet<string>, required: boolean): GrantsResult {
  if (values.length > MAX_GRANTS) return { ok: false, error: `At most ${MAX_GRANTS} scopes can be granted.` };
  for (const value of values) {
    const shown = JSON.stringify(value.slice(0, MAX_SCOPE_LENGTH));
    if (!isGrant(value)) return { ok: false, error: `${shown} is not a valid scope.` };
    if (!allowed.has(value)) return { ok: false, error: `${shown} is not a scope of this schema.` };
  }
  const grants = normalizeGrants(values);
  if (required && grants.length === 0) {
    return { ok: false, error: 'Pick at least one scope. A key without scopes would be unrestricted.' };
  }
  return { ok: true, grants };
}
