import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { parseScope } from '../scopes/scope-grammar';
import type { FieldRequirement } from './field-requirement';

/**
 * The scope a dynamic requirement (`requiredScope`) gives one selection:
 * `replaced` when it is a scope, the directive's scope (`directiveScope`,
 * the requirement's one scope) when it is `null` or `undefined`.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` for anything else
 *   (a wildcard, a bad name, a non-string).
 */
export function dynamicScope(requirement: FieldRequirement, directiveScope: string, replaced: unknown): string {
  if (replaced == null) return directiveScope;
  if (typeof replaced !== 'string') {
    throw new ScopedPermissionsError('ERR_INVALID_SCOPE', `requiredScope returned a ${typeof replaced} for ${requirement.coordinate}; return a scope or null.`, {
      details: { coordinate: requirement.coordinate },
    });
  }
  parseScope(replaced);
  return replaced;
}
