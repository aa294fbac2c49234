import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * An Apollo Server plugin that answers HTTP 200 when a response still
 * carries data, even though some fields failed with `UNAUTHENTICATED` (401)
 * or `FORBIDDEN` (403).
 *
 * Apollo Server applies the `extensions.http.status` of every field error to
 * the whole response, so by default a query where one nullable field is
 * forbidden answers 403 along with the data of the others, and many clients
 * drop the data of a non-2xx response. With this plugin the status is 401 or
 * 403 only where the whole response failed (`data` is `null` or absent), as
 * the GraphQL-over-HTTP specification asks; the errors and their codes are
 * unchanged either way.
 *
 * @example
 * ```ts
 * new ApolloServer({ schema, plugins: [partialResultStatusPlugin()] });
 * ```
 */
export function partialResultStatusPlugin<TContext extends BaseContext = BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const status = response.http.status;
          if ((status === 401 || status === 403) && response.body.kind === 'single' && response.body.singleResult.data != null) {
            response.http.status = 200;
          }
        },
      };
    },
  };
}
