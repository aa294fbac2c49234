import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/**
 * The HTTP status of responses in which fields were denied (`UNAUTHENTICATED`
 * or `FORBIDDEN`): `'auto'` or `200`.
 *
 * - `'auto'`: 401 or 403 when no data survives (`data` is `null` or absent),
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
