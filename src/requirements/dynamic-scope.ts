import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { parseScope } from '../scopes/scope-grammar';
import type { FieldRequirement } from './field-requirement';

const ignore = (): void => undefined;

/** When `value` is a promise (has a callable `then`, read once), handles its rejection and returns `true`. Never throws. */
function handleRejection(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    const then: unknown = (value as { then?: unknown }).then;
    if (typeof then !== 'function') return false;
    Reflect.apply(then, value, [undefined, ignore]);
  } catch {
    // A `then` that throws is no promise to wait for; the value is refused all the same.
  }
  return true;
}

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
    // An async `requiredScope` is refused, but its promise may still reject: handle that, or Node
    // ends the process on the unhandled rejection (one anonymous request would be enough).
    if (handleRejection(replaced)) {
      throw new ScopedPermissionsError('ERR_INVALID_SCOPE', `requiredScope returned a promise for ${requirement.coordinate}; it must return a scope or null synchronously.`, {
        details: { coordinate: requirement.coordinate },
      });
    }
    throw new ScopedPermissionsError('ERR_INVALID_SCOPE', `requiredScope returned a ${typeof replaced} for ${requirement.coordinate}; return a scope or null.`, {
      details: { coordinate: requirement.coordinate },
    });
  }
  parseScope(replaced);
  return replaced;
}
