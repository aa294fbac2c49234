import { GraphQLError, type ExecutionResult } from 'graphql';
import { type DenialStatusPolicy, dropsErrorStatus, httpExtensionOf } from '../edge/denial-status';

// Our errors carry `extensions.http` as Apollo Server reads it: a status and
// a `Map` of headers. Yoga (and so Hive Gateway) reads the same status but
// copies headers with `Object.assign`, which sees nothing in a `Map`; and it
// answers the highest status among the errors, so a partial result would be
// a 403. This is the Envelop adapter's translation, nothing more: the
// decisions come from src/edge.

interface HttpExtension {
  readonly status?: unknown;
  readonly headers?: unknown;
}

const httpOf = (error: GraphQLError): HttpExtension | undefined => httpExtensionOf(error);

function withHttp(error: GraphQLError, http: HttpExtension | undefined): GraphQLError {
  const { http: _dropped, ...extensions } = error.extensions;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: http === undefined ? extensions : { ...extensions, http },
  });
}

/** The error with its `extensions.http.headers` as a plain record, when they are a `Map`; else the error itself. */
export function withRecordHeaders(error: GraphQLError): GraphQLError {
  const http = httpOf(error);
  if (!(http?.headers instanceof Map)) return error;
  return withHttp(error, { ...http, headers: Object.fromEntries(http.headers as Map<string, string>) });
}

/**
 * The result as Yoga should answer it under `policy`: an error loses its
 * status where `dropsErrorStatus` (src/edge) says so, and every `Map` of headers
 * becomes a record. `null` when nothing changes (the common case, and the
 * only one on the hot path: a result without errors is not looked at).
 */
export function resultForYoga(result: ExecutionResult, policy: DenialStatusPolicy): ExecutionResult | null {
  const errors = result.errors;
  if (errors === undefined || errors.length === 0) return null;
  let changed = false;
  const translated = errors.map((error) => {
    const next = dropsErrorStatus(error, policy, result.data) ? withHttp(error, undefined) : withRecordHeaders(error);
    changed ||= next !== error;
    return next;
  });
  return changed ? { ...result, errors: translated } : null;
}
