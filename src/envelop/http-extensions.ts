import { GraphQLError, type ExecutionResult } from 'graphql';
import { FORBIDDEN, RATE_LIMITED, UNAUTHENTICATED } from '../errors/graphql-errors';
import { denialsAnswer200, type DenialStatusPolicy, isDenialStatus, rateLimitAnswers200 } from '../edge/denial-status';

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

function httpOf(error: GraphQLError): HttpExtension | undefined {
  const http: unknown = error.extensions['http'];
  return http !== null && typeof http === 'object' ? (http as HttpExtension) : undefined;
}

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

/** Whether an error is a field or operation denial: our code with a 401/403 status. */
function isDenial(error: GraphQLError): boolean {
  const code = error.extensions['code'];
  const status = httpOf(error)?.status;
  return (code === UNAUTHENTICATED || code === FORBIDDEN) && typeof status === 'number' && isDenialStatus(status);
}

/**
 * The result as Yoga should answer it under `policy`: denials lose their
 * 401/403 where {@link denialsAnswer200} says so, rate-limited fields their
 * 429 where {@link rateLimitAnswers200} does, and every `Map` of headers
 * becomes a record. `null` when nothing changes (the common case, and the
 * only one on the hot path: a result without errors is not looked at).
 */
export function resultForYoga(result: ExecutionResult, policy: DenialStatusPolicy): ExecutionResult | null {
  const errors = result.errors;
  if (errors === undefined || errors.length === 0) return null;
  const answer200 = denialsAnswer200(policy, result.data != null);
  const rateLimited200 = rateLimitAnswers200(policy, result.data);
  let changed = false;
  const translated = errors.map((error) => {
    const dropStatus = isDenial(error) ? answer200 : error.extensions['code'] === RATE_LIMITED && rateLimited200;
    const next = dropStatus ? withHttp(error, undefined) : withRecordHeaders(error);
    changed ||= next !== error;
    return next;
  });
  return changed ? { ...result, errors: translated } : null;
}
