import { debuglog } from 'node:util';

/** Why a request was answered 401, for logs and metrics. Never carries the credential. */
export interface UnauthenticatedEvent {
  /** `header`: refused while reading headers; `apiKey`/`jwt`/`forwarded`: refused by that verifier (`forwarded`: a gateway's forwarded principal); `unsupported`: a bearer token of no known shape. */
  readonly method: 'header' | 'apiKey' | 'jwt' | 'forwarded' | 'unsupported';
  /**
   * The extractor's or the verifier's reason: for headers `duplicate-header`,
   * `both-headers`, `unsupported-scheme`, `too-long`, …; for API keys
   * `malformed`, `unknown`, `invalid` (a wrong secret), `revoked`, `expired`; for
   * JWTs `expired`, `invalid-signature`, `invalid-claims` (issuer, audience,
   * `nbf`), `algorithm-not-allowed`, `unknown-key`, `not-configured`, ….
   */
  readonly reason: string;
}

const debug = debuglog('graphql-scoped-permissions');

/**
 * The default `onUnauthenticated` of `createScopedContext`: one line per
 * 401 through Node's `util.debuglog('graphql-scoped-permissions')`, so
 * `NODE_DEBUG=graphql-scoped-permissions` prints why each request was
 * refused (`401 apiKey: revoked`), and nothing is printed otherwise. The
 * line carries the method and the reason only, never the key or token;
 * the client still sees the generic message. Call it from your own
 * `onUnauthenticated` to keep it.
 *
 * @example
 * ```ts
 * createScopedContext({ store, onUnauthenticated: (event) => { metrics.count('401', event); logUnauthenticated(event); } });
 * ```
 */
export function logUnauthenticated(event: UnauthenticatedEvent): void {
  debug('401 %s: %s', event.method, event.reason);
}
