import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { withDeadline } from '../../store/deadline';

/**
 * Calls a store method with a deadline, turning every failure into
 * `ERR_STORE_UNAVAILABLE` so that callers fail closed. The store's own error
 * is kept as `cause` for logging; it is not part of the message, since
 * driver messages can carry connection strings.
 *
 * @param operation - The store method's name, for the message and `details.operation`.
 * @param call - Starts the store call.
 * @param timeoutMs - Milliseconds to wait before giving up.
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when the call throws, rejects or outlives `timeoutMs`.
 */
export async function callStore<T>(operation: string, call: () => Promise<T>, timeoutMs: number): Promise<T> {
  const attempt = Promise.resolve()
    .then(call)
    .catch((error: unknown) => {
      if (error instanceof ScopedPermissionsError && error.code === 'ERR_STORE_UNAVAILABLE') throw error;
      throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `The store failed during ${operation}.`, {
        details: { operation },
        cause: error,
      });
    });
  return withDeadline(attempt, timeoutMs, () => storeTimeoutError(operation, timeoutMs));
}

/** The `ERR_STORE_UNAVAILABLE` of a store call that outlived its deadline. */
export function storeTimeoutError(operation: string, timeoutMs: number): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `The store did not answer ${operation} within ${timeoutMs} ms.`, {
    details: { operation, timeoutMs },
  });
}
