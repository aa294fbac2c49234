import { GraphQLError } from 'graphql';

/**
 * `extensions.code` of the error raised when a field needs a scope and the
 * request carries no credentials (HTTP 401).
 */
export const UNAUTHENTICATED = 'UNAUTHENTICATED' as const;

/**
 * `extensions.code` of the error raised when the caller lacks the scope a
 * field needs (HTTP 403).
 */
export const FORBIDDEN = 'FORBIDDEN' as const;

/**
 * Builds the GraphQL error for a request without (valid) credentials.
 *
 * @param message - What went wrong, never containing the presented secret.
 * @param requiredScope - The scope the field needs, when a field raised it;
 *   a list of alternatives for an `anyOf` requirement (`extensions.anyOf`).
 * @param challenge - A `WWW-Authenticate` value for the response (RFC 6750),
 *   for errors that fail the whole request, such as `Bearer error="invalid_token"`.
 */
export function unauthenticatedError(message: string, requiredScope?: string | readonly string[], challenge?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: UNAUTHENTICATED,
      ...scopeExtensions(requiredScope),
      http: challenge === undefined ? { status: 401 } : { status: 401, headers: new Map([['www-authenticate', challenge]]) },
    },
  });
}

/**
 * What an error says of the scope it wants: `requiredScope` for one scope,
 * `anyOf` for alternatives (any one of them would do).
 */
function scopeExtensions(required: string | readonly string[] | undefined): { requiredScope?: string; anyOf?: readonly string[] } {
  if (required === undefined) return {};
  if (typeof required === 'string') return { requiredScope: required };
  return required.length === 1 ? { requiredScope: required[0] as string } : { anyOf: [...required] };
}

/** How a scope, or a list of alternatives, reads in a message: `scope "a"`, `one of the scopes "a", "b"`. */
export function describeRequired(required: string | readonly string[]): string {
  if (typeof required === 'string' || required.length === 1) return `scope "${typeof required === 'string' ? required : (required[0] as string)}"`;
  return `one of the scopes ${required.map((scope) => `"${scope}"`).join(', ')}`;
}

/**
 * Builds the GraphQL error for a caller that lacks `requiredScope` (HTTP
 * 403): one scope (`extensions.requiredScope`), or alternatives of which
 * the caller holds none (`extensions.anyOf`).
 */
export function forbiddenError(requiredScope: string | readonly string[]): GraphQLError {
  return new GraphQLError(`Missing required ${describeRequired(requiredScope)}.`, {
    extensions: { code: FORBIDDEN, ...scopeExtensions(requiredScope), http: { status: 403 } },
  });
}

/**
 * Builds the GraphQL error for a store that threw or timed out while
 * authenticating a request (HTTP 503). The request fails closed. The store's
 * own error is not attached, since driver messages can carry connection
 * strings; log it where it is caught.
 */
export function storeUnavailableError(): GraphQLError {
  return new GraphQLError('The credential store is unavailable; the request was refused.', {
    extensions: { code: 'ERR_STORE_UNAVAILABLE', http: { status: 503 } },
  });
}

/**
 * Builds the GraphQL error for a request refused because the API key
 * verifier's queue of hash checks is full (HTTP 503). The request fails closed.
 */
export function overloadedError(): GraphQLError {
  return new GraphQLError('Too many requests are being authenticated; try again shortly.', {
    extensions: { code: 'ERR_OVERLOADED', http: { status: 503 } },
  });
}

/**
 * Builds the generic error for an unexpected failure while authenticating a
 * request (HTTP 500, `INTERNAL_SERVER_ERROR`, Apollo's code). It carries no
 * text of the original error, which may hold internal details (a user id,
 * a driver message, a stack); report the original where it is caught.
 */
export function internalError(): GraphQLError {
  return new GraphQLError('Internal server error.', {
    extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } },
  });
}
