import type { ErrorCode } from './error-code';

/** Options accepted by {@link ScopedPermissionsError}. */
export interface ScopedPermissionsErrorOptions {
  /** The underlying error, kept for debugging. Never a secret. */
  cause?: unknown;
  /** Machine-readable details (schema coordinates, the offending scope, …). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The base class of every error this package throws for misuse (a bad
 * directive, a bad scope string, a malformed key) or for an unavailable store.
 *
 * Match on {@link ScopedPermissionsError.code}; messages may change between
 * releases. Messages never contain a secret (an API key, a token, a hash).
 *
 * @example
 * ```ts
 * try {
 *   scopeDirectiveTransformer(schema);
 * } catch (error) {
 *   if (error instanceof ScopedPermissionsError && error.code === 'ERR_INVALID_SCOPE') {
 *     console.error(error.details?.coordinate);
 *   }
 * }
 * ```
 */
export class ScopedPermissionsError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  /** Machine-readable details, when there are any. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: ScopedPermissionsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScopedPermissionsError';
    this.code = code;
    this.details = options.details;
  }
}
