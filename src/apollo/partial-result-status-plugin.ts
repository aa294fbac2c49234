import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { denialsAnswer200, type DenialStatusPolicy, denialStatusPolicy, isDenialStatus } from '../edge/denial-status';
import type { ScopedPermissionsError } from '../errors/scoped-permissions-error';

export type { DenialStatusPolicy } from '../edge/denial-status';

/** Options of {@link partialResultStatusPlugin}. */
export interface PartialResultStatusPluginOptions {
  /**
   * The HTTP status of a response whose fields were denied.
   *
   * - `'auto'`: 401 or 403 when no data survives (`data` is `null` or
   *   absent, as when a denied field is non-null all the way up), and 200
   *   when the response still carries data (a denied nullable field is just
   *   `null`). This is what the GraphQL-over-HTTP specification asks for.
   * - `200`: always 200, the denials staying in the body's `errors` with
   *   their `extensions.code` and `requiredScope`. For clients that treat any
   *   non-2xx answer as a transport failure and drop the GraphQL errors
   *   (Apollo Client 3, graphql-request).
   *
   * Either way, failures of the context function keep their status: bad
   * credentials are still 401, a store outage 503. Apollo Server answers
   * those before any plugin sees the request.
   *
   * @default 'auto'
   */
  denialStatus?: DenialStatusPolicy;
}

/**
 * An Apollo Server plugin that sets the HTTP status of responses in which
 * fields were denied with `UNAUTHENTICATED` (401) or `FORBIDDEN` (403).
 *
 * Apollo Server applies the `extensions.http.status` of every field error to
 * the whole response, so by default a query where one nullable field is
 * forbidden answers 403 along with the data of the others, and many clients
 * drop the data of a non-2xx response. With this plugin the status is 401 or
 * 403 only where the whole response failed (`denialStatus: 'auto'`, the
 * default), or never (`denialStatus: 200`); the errors and their codes are
 * unchanged either way.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for another `denialStatus`.
 * @example
 * ```ts
 * new ApolloServer({ schema, plugins: [partialResultStatusPlugin()] });
 * new ApolloServer({ schema, plugins: [partialResultStatusPlugin({ denialStatus: 200 })] }); // for Apollo Client 3
 * ```
 */
export function partialResultStatusPlugin<TContext extends BaseContext = BaseContext>(
  options: PartialResultStatusPluginOptions = {},
): ApolloServerPlugin<TContext> {
  const policy = denialStatusPolicy(options.denialStatus);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (!isDenialStatus(response.http.status)) return;
          if (denialsAnswer200(policy, response.body.kind === 'single' && response.body.singleResult.data != null)) response.http.status = 200;
        },
      };
    },
  };
}
