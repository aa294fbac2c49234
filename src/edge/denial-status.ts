import type { GraphQLError } from 'graphql';
import { FORBIDDEN, RATE_LIMITED, UNAUTHENTICATED } from '../errors/graphql-errors';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/**
 * The HTTP status of responses in which fields were denied (`UNAUTHENTICATED`,
 * `FORBIDDEN`, or `RATE_LIMITED` by a scope's rate limit): `'auto'` or `200`.
 *
 * - `'auto'`: 401, 403 (or 429, see {@link rateLimitAnswers200}) when no data survives (`data` is `null` or absent),
 *   200 when the response still carries data. What the GraphQL-over-HTTP
 *   specification asks for.
 * - `200`: always 200, the denials staying in the body's `errors`, for
 *   clients that drop the GraphQL errors of a non-2xx answer.
 */
export type DenialStatusPolicy = 'auto' | 200;

const DENIAL_STATUSES: ReadonlySet<number> = new Set([401, 403]);

/**
 * Checks a `denialStatus` option; `undefined` gives `'auto'`.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for anything but `'auto'` and `200`.
 */
export function denialStatusPolicy(policy: unknown): DenialStatusPolicy {
  if (policy === undefined) return 'auto';
  if (policy === 'auto' || policy === 200) return policy;
  throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', "denialStatus must be 'auto' or 200.", { details: { option: 'denialStatus' } });
}

/** Whether a status is a denial's: 401 or 403. */
export function isDenialStatus(status: number | undefined): boolean {
  return status !== undefined && DENIAL_STATUSES.has(status);
}

/**
 * Whether the denials of a response are answered 200 rather than 401/403:
 * always under `denialStatus: 200`, and under `'auto'` when data survives.
 * Failures before execution (bad credentials, a store outage) are not
 * denials of fields and keep their status; adapters apply this only to
 * execution results.
 *
 * @param hasData - Whether the result carries data (`data` neither `null` nor absent).
 */
export function denialsAnswer200(policy: DenialStatusPolicy, hasData: boolean): boolean {
  return policy === 200 || hasData;
}

/**
 * Whether a response refused by a scope's rate limit (HTTP 429) is answered
 * 200: always under `denialStatus: 200`; under `'auto'` only when a root
 * field still carries a value. Unlike a denial, a rate-limited operation
 * whose root fields all came back `null` keeps its 429 and `Retry-After`,
 * so that clients back off (in `'operation'` mode every root field of a
 * limited operation is `null`).
 *
 * @param data - The result's `data`.
 */
export function rateLimitAnswers200(policy: DenialStatusPolicy, data: Readonly<Record<string, unknown>> | null | undefined): boolean {
  return policy === 200 || (data != null && Object.values(data).some((value) => value !== null));
}

/** An error's `extensions.http` (a status and headers, as Apollo Server reads them), if it carries one. */
export function httpExtensionOf(error: GraphQLError): { readonly status?: unknown; readonly headers?: unknown } | undefined {
  const http: unknown = error.extensions?.['http'];
  return http !== null && typeof http === 'object' ? (http as { readonly status?: unknown; readonly headers?: unknown }) : undefined;
}

/**
 * Whether a server adapter drops an error's HTTP status (and its headers)
 * from a result's answer under `policy`: a field denial (`UNAUTHENTICATED`
 * or `FORBIDDEN` with 401/403) where {@link denialsAnswer200} says 200, a
 * `RATE_LIMITED` field (429) where {@link rateLimitAnswers200} does. The one
 * decision behind the Envelop and Mercurius adapters' status policy.
 *
 * @param data - The result's `data`.
 */
export function dropsErrorStatus(error: GraphQLError, policy: DenialStatusPolicy, data: Readonly<Record<string, unknown>> | null | undefined): boolean {
  const status = httpExtensionOf(error)?.status;
  const code = error.extensions?.['code'];
  if ((code === UNAUTHENTICATED || code === FORBIDDEN) && typeof status === 'number' && isDenialStatus(status)) return denialsAnswer200(policy, data != null);
  return code === RATE_LIMITED && status === 429 && rateLimitAnswers200(policy, data);
}
