import type { GraphQLError } from 'graphql';
import { FORBIDDEN, UNAUTHENTICATED } from '../errors/graphql-errors';
import { denialsAnswer200, type DenialStatusPolicy, isDenialStatus } from '../edge/denial-status';

/** The HTTP answer our errors ask for: a status (or none), and headers. */
export interface HttpOfErrors {
  /** The status of the last error that sets one and keeps it under the policy, as Apollo Server picks it; `undefined` when none does. */
  readonly status: number | undefined;
  /** Every header the errors set (`WWW-Authenticate`, `Retry-After`), lower-cased names. */
  readonly headers: ReadonlyMap<string, string>;
}

function httpOf(error: GraphQLError): { status?: unknown; headers?: unknown } | undefined {
  const http: unknown = error.extensions?.['http'];
  return http !== null && typeof http === 'object' ? (http as { status?: unknown; headers?: unknown }) : undefined;
}

function headerEntries(headers: unknown): Array<[string, string]> {
  const entries = headers instanceof Map ? [...(headers as Map<unknown, unknown>)] : headers !== null && typeof headers === 'object' ? Object.entries(headers) : [];
  return entries.flatMap(([name, value]) => (typeof name === 'string' && typeof value === 'string' ? [[name.toLowerCase(), value] as [string, string]] : []));
}

/**
 * Reads the status and headers that our errors carry in `extensions.http`
 * (401 with `WWW-Authenticate`, 403, 503 with `Retry-After`), applying the
 * denial status policy of src/edge: a field denial (`UNAUTHENTICATED` or
 * `FORBIDDEN` with 401/403) sets no status when
 * {@link denialsAnswer200} says the answer is 200.
 *
 * @param hasData - Whether the result carries data (`data` neither `null` nor absent).
 */
export function httpOfErrors(errors: readonly GraphQLError[], policy: DenialStatusPolicy, hasData: boolean): HttpOfErrors {
  const answer200 = denialsAnswer200(policy, hasData);
  let status: number | undefined;
  const headers = new Map<string, string>();
  for (const error of errors) {
    const http = httpOf(error);
    if (http === undefined) continue;
    const code = error.extensions?.['code'];
    const isDenial = (code === UNAUTHENTICATED || code === FORBIDDEN) && typeof http.status === 'number' && isDenialStatus(http.status);
    if (isDenial && answer200) continue;
    if (typeof http.status === 'number') status = http.status;
    for (const [name, value] of headerEntries(http.headers)) headers.set(name, value);
  }
  return { status, headers };
}
