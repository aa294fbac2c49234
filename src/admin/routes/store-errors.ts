import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';

/**
 * Turns a store's refusal of a form's values into an error next to a field:
 * `ERR_INVALID_INPUT` naming a field the form has, `ERR_INVALID_SCOPE` and
 * `ERR_UNKNOWN_SCOPE` for the scopes, `ERR_DUPLICATE` for the name.
 * Anything else (an outage, a bug) is rethrown.
 *
 * @param fields - Store field name → form field name.
 */
export function fieldErrorOf<F extends string>(error: unknown, fields: Readonly<Record<string, F>>, scopesField: F, nameField: F): { readonly field: F; readonly message: string } {
  if (error instanceof ScopedPermissionsError) {
    if (error.code === 'ERR_INVALID_SCOPE' || error.code === 'ERR_UNKNOWN_SCOPE') return { field: scopesField, message: error.message };
    if (error.code === 'ERR_DUPLICATE') return { field: nameField, message: error.message };
    const field = error.details?.field;
    if (error.code === 'ERR_INVALID_INPUT' && typeof field === 'string' && Object.hasOwn(fields, field)) {
      return { field: fields[field] as F, message: error.message };
    }
  }
  throw error;
}

/** Whether an error is the store's `ERR_NOT_FOUND`. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ScopedPermissionsError && error.code === 'ERR_NOT_FOUND';
}
