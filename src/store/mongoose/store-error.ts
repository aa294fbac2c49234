import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';

/** MongoDB's error code for a unique-index violation. */
export const DUPLICATE_KEY_CODE = 11000;

function field(error: object, name: string): unknown {
  return name in error ? (error as Record<string, unknown>)[name] : undefined;
}

/**
 * Turns whatever a Mongoose call threw into a {@link ScopedPermissionsError}:
 *
 * - our own errors pass through unchanged;
 * - a unique-index violation (code 11000) becomes `ERR_DUPLICATE`, naming
 *   the indexed fields in `details.fields`;
 * - anything else (server selection, network, timeout, a closed connection)
 *   becomes `ERR_STORE_UNAVAILABLE`, so callers fail closed.
 *
 * The original error is kept as `cause`. The message names only the
 * operation and the error's class, never the driver's message, which can
 * carry the connection string.
 *
 * @param operation - The store method, for example `'getApiKey'`.
 */
export function toStoreError(error: unknown, operation: string): ScopedPermissionsError {
  if (error instanceof ScopedPermissionsError) return error;
  if (typeof error === 'object' && error !== null && field(error, 'code') === DUPLICATE_KEY_CODE) {
    const keyPattern = field(error, 'keyPattern');
    const fields = typeof keyPattern === 'object' && keyPattern !== null ? Object.keys(keyPattern) : [];
    return new ScopedPermissionsError('ERR_DUPLICATE', `${operation}: a record with that unique ${fields.join(', ') || 'key'} already exists.`, {
      cause: error,
      details: { operation, fields },
    });
  }
  const kind = error instanceof Error ? error.name : typeof error;
  return new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `${operation}: the MongoDB store is unavailable (${kind}).`, {
    cause: error,
    details: { operation },
  });
}

/**
 * Runs one database step of a store method, turning anything it throws into
 * a {@link ScopedPermissionsError} with {@link toStoreError}.
 */
export async function storeCall<T>(operation: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw toStoreError(error, operation);
  }
}
