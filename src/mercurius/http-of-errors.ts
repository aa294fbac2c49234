import type { GraphQLError } from 'graphql';
import { type DenialStatusPolicy, dropsErrorStatus, httpExtensionOf } from '../edge/denial-status';

/** The HTTP answer our errors ask for: a status (or none), and headers. */
export interface HttpOfErrors {
  /** The status of the last error that sets one and keeps it under the policy, as Apollo Server picks it; `undefined` when none does. */
  readonly status: number | undefined;
  /** Every header the errors set (`WWW-Authenticate`, `Retry-After`), lower-cased names. */
  readonly headers: ReadonlyMap<string, string>;
}

function headerEntries(headers: unknown): Array<[string, string]> {
  const entries = headers instanceof Map ? [...(headers as Map<unknown, unknown>)] : headers !== null && typeof headers === 'object' ? Object.entries(headers) : [];
  return entries.flatMap(([name, value]) => (typeof name === 'string' && typeof value === 'string' ? [[name.toLowerCase(), value] as [string, string]] : []));
}

/**
 * Reads the status and headers that our errors carry in `extensions.http`
 * (401 with `WWW-Authenticate`, 403, 503 with `Retry-After`), applying the
 * status policy of src/edge: an error sets no status (nor headers) where
 * `dropsErrorStatus` says the answer is 200 (a field denial, or a
 * rate-limited field, beside data that survives).
 *
 * @param data - The result's `data`.
 */
export function httpOfErrors(errors: readonly GraphQLError[], policy: DenialStatusPolicy, data: Readonly<Record<string, unknown>> | null | undefined): HttpOfErrors {
  let status: number | undefined;
  const headers = new Map<string, string>();
  for (const error of errors) {
    const http = httpExtensionOf(error);
    if (http === undefined || dropsErrorStatus(error, policy, data)) continue;
    if (typeof http.status === 'number') status = http.status;
    for (const [name, value] of headerEntries(http.headers)) headers.set(name, value);
  }
  return { status, headers };
}
