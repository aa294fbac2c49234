import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { denialStatusPolicy, type DenialStatusPolicy } from '../edge/denial-status';
import { httpOfErrors } from './http-of-errors';

/** The part of Mercurius' context the formatter uses: the Fastify reply, to set headers. */
export interface MercuriusReplyContext {
  readonly reply?: { header(name: string, value: string): unknown } | undefined;
}

/** What a Mercurius `errorFormatter` receives: a result with errors (GraphQLError instances). */
export type MercuriusExecution = ExecutionResult & { readonly errors: readonly GraphQLError[] };

/** What a Mercurius `errorFormatter` returns. */
export interface MercuriusFormatted {
  statusCode: number;
  response: FormattedExecutionResult;
}

/** A Mercurius `errorFormatter`, typed structurally so this entry never imports Mercurius. */
export type MercuriusErrorFormatter<TContext extends MercuriusReplyContext = MercuriusReplyContext> = (
  execution: MercuriusExecution,
  context: TContext,
) => MercuriusFormatted;

/** Options of {@link scopedErrorFormatter}. */
export interface ScopedErrorFormatterOptions {
  /**
   * The status of responses whose fields were denied: `'auto'` answers 401/403
   * when no data survives and 200 when some does; `200` always answers 200.
   * The same option as `partialResultStatusPlugin`'s and `useScopedPermissions`'.
   *
   * @default 'auto'
   */
  denialStatus?: DenialStatusPolicy;
}

/** The error's JSON with `extensions.http` removed: the status and headers go to the HTTP answer, not the body. */
function withoutHttp(error: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = error.extensions;
  if (extensions === undefined || !('http' in extensions)) return error;
  const { http: _http, ...rest } = extensions;
  return { ...error, extensions: rest };
}

/**
 * Wraps a Mercurius `errorFormatter` (usually `mercurius.defaultErrorFormatter`)
 * so that Mercurius answers with this package's status policy, as Apollo
 * Server with `partialResultStatusPlugin` does:
 *
 * - a request refused before execution (bad or revoked credentials) is 401
 *   with `WWW-Authenticate`, a store outage 503 with `Retry-After`;
 * - a denied field is 401/403 when no data survives, and 200 beside data
 *   (`denialStatus: 'auto'`), or always 200 (`denialStatus: 200`);
 * - every other error keeps the status `base` gives it.
 *
 * By default Mercurius answers 200 to any executed operation, and 500 when
 * the context function throws; use {@link scopedMercuriusContext} for the
 * latter. `extensions.http` never reaches the response body, and a request
 * refused before execution has no `data` entry.
 *
 * @example
 * ```ts
 * app.register(mercurius, {
 *   schema,
 *   context: scopedMercuriusContext(scopedContext),
 *   errorFormatter: scopedErrorFormatter(mercurius.defaultErrorFormatter),
 * });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad `denialStatus`.
 */
export function scopedErrorFormatter<TContext extends MercuriusReplyContext>(
  base: MercuriusErrorFormatter<TContext>,
  options: ScopedErrorFormatterOptions = {},
): MercuriusErrorFormatter<TContext> {
  const policy = denialStatusPolicy(options.denialStatus);
  return (execution, context) => {
    const formatted = base(execution, context);
    const { status, headers } = httpOfErrors(execution.errors, policy, execution.data);
    for (const [name, value] of headers) context.reply?.header(name, value);
    const { data, errors } = formatted.response;
    // A request refused before execution has no `data` entry (GraphQL over HTTP); Mercurius' default adds `data: null`.
    const response: FormattedExecutionResult = 'data' in execution ? { data, errors: errors?.map(withoutHttp) } : { errors: errors?.map(withoutHttp) };
    if (formatted.response.extensions !== undefined) response.extensions = formatted.response.extensions;
    return { statusCode: status ?? formatted.statusCode, response };
  };
}
