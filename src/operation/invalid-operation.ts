import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/**
 * Deeper selections than this are refused, and so are fragments (inline or
 * spread) nested deeper than this inside one selection set, so that an
 * unvalidated document, cyclic or just deep, can neither recurse forever nor
 * overflow the stack.
 */
export const MAX_SELECTION_DEPTH = 512;

/** The `ERR_INVALID_OPERATION` error. */
export function invalidOperation(message: string, details?: Readonly<Record<string, unknown>>): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPERATION', message, details === undefined ? {} : { details });
}

/** The `ERR_INVALID_OPERATION` error of a document nested deeper than {@link MAX_SELECTION_DEPTH}. */
export function tooDeep(): ScopedPermissionsError {
  return invalidOperation(`The operation nests selections deeper than ${MAX_SELECTION_DEPTH}.`, { limit: MAX_SELECTION_DEPTH });
}
