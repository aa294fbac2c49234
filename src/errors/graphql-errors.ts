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
    extensions: withHttp(
      { code: UNAUTHENTICATED, ...scopeExtensions(requiredScope) },
      401,
      challenge === undefined ? undefined : { 'www-authenticate': challenge },
    ),
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
 * `extensions.code` of the error raised when a caller has used up a rate
 * limit (HTTP 429, with `Retry-After`).
 */
export const RATE_LIMITED = 'RATE_LIMITED' as const;

/**
 * Builds the GraphQL error for a caller over a rate limit (HTTP 429):
 * `extensions.retryAfterSeconds` and the `Retry-After` header say when to
 * come back (whole seconds, at least 1).
 *
 * @param retryAfterMs - How long the caller must wait, in milliseconds.
 * @param limitedScope - The scope whose limit was reached; absent for a key's own limit.
 */
export function rateLimitedError(retryAfterMs: number, limitedScope?: string): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const message = limitedScope === undefined ? 'Rate limit exceeded for this API key.' : `Rate limit exceeded for scope "${limitedScope}".`;
  return new GraphQLError(message, {
    extensions: withHttp({ code: RATE_LIMITED, ...(limitedScope === undefined ? {} : { limitedScope }), retryAfterSeconds }, 429, { 'retry-after': String(retryAfterSeconds) }),
  });
}

/**
 * The `Retry-After` of a refusal for a store outage or overload, in seconds:
 * the same as the admin page's 503. Long enough for a failover, short
 * enough that clients come back soon.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * `extensions` with `http` as Apollo Server reads it: the status, and the
 * headers as a `Map` (GraphQL Yoga reads a record; the Envelop plugin
 * translates). Typed as a plain record, since Yoga's types declare `http`
 * their way for every `GraphQLError` of a program that imports them.
 */
function withHttp(extensions: Record<string, unknown>, status: number, headers?: Readonly<Record<string, string>>): Record<string, unknown> {
  return { ...extensions, http: headers === undefined ? { status } : { status, headers: new Map(Object.entries(headers)) } };
}

const RETRY_AFTER: Readonly<Record<string, string>> = Object.freeze({ 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });

/**
 * Builds the GraphQL error for a store that threw or timed out while
 * authenticating a request (HTTP 503, `Retry-After: 5`). The request fails closed. The store's
 * own error is not attached, since driver messages can carry connection
 * strings; log it where it is caught.
 */
export function storeUnavailableError(): GraphQLError {
  return new GraphQLError('The credential store is unavailable; the request was refused.', {
    extensions: withHttp({ code: 'ERR_STORE_UNAVAILABLE' }, 503, RETRY_AFTER),
  });
}

/**
 * Builds the GraphQL error for a rate limit whose counts could not be read
 * (the backend threw or timed out) while the limits fail closed (HTTP 503,
 * `Retry-After: 5`, code `ERR_STORE_UNAVAILABLE`).
 */
export function rateLimitUnavailableError(): GraphQLError {
  return new GraphQLError('The rate-limit store is unavailable; the request was refused.', {
    extensions: withHttp({ code: 'ERR_STORE_UNAVAILABLE' }, 503, RETRY_AFTER),
  });
}

/**
 * Builds the GraphQL error for a request refused because the API key
 * verifier's queue of hash checks is full (HTTP 503, `Retry-After: 5`). The request fails closed.
 */
export function overloadedError(): GraphQLError {
  return new GraphQLError('Too many requests are being authenticated; try again shortly.', {
    extensions: withHttp({ code: 'ERR_OVERLOADED' }, 503, RETRY_AFTER),
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
