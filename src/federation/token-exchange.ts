import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyVerifierStore } from '../auth/api-keys/api-key-maintenance';
import type { ApiKeyVerification, ApiKeyVerifier } from '../auth/api-keys/api-key-verification';
import { createApiKeyVerifier } from '../auth/api-keys/api-key-verifier';
import type { ApiKeyVerifierOptions } from '../auth/api-keys/api-key-verifier-options';
import { extractCredentials } from '../auth/extract-credentials';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { clientBucket } from '../rate-limit/client-bucket';
import { createRateLimiter, type RateLimiter } from '../rate-limit/rate-limiter';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { forwardedSubject } from '../auth/forwarded/forwarded-principal';
import { concreteScopesOf } from './forwarded-principal';
import { createScopeTokenSigner, type ScopeTokenSigning } from './scope-token';

/** Options of {@link createTokenExchange}. */
export interface TokenExchangeOptions extends ScopeTokenSigning {
  /** Where API keys live (`MemoryScopeStore`, `MongooseScopeStore`); keys are checked by the API key verifier. */
  readonly store: ApiKeyVerifierStore;
  /** The supergraph's scopes (`discoverScopes`): wildcard grants become concrete scopes, as routers match them literally. */
  readonly catalog: ScopeCatalog;
  /** An API key verifier to share, or options for one made here on `store`. Default: one with default options. */
  readonly verifier?: ApiKeyVerifier | ApiKeyVerifierOptions;
  /**
   * The per-client limit, counted before the key is checked (so that
   * guessing keys is throttled too): a limiter from `createRateLimiter`
   * (share a MongoDB backend between replicas), or a rate for one made here
   * in memory. Default `'60/minute'`.
   */
  readonly rateLimit?: RateLimiter | string;
  /**
   * The client a request is counted against. Default: the socket's remote
   * address (behind a proxy, read your trusted forwarding header here).
   * Counted as the admin sign-in throttle counts clients (`clientBucket`):
   * an IPv4 address as it is, an IPv6 address by its /64 network (however
   * spelled), so that one subscriber's 2⁶⁴ addresses share one budget.
   */
  readonly clientOf?: (req: IncomingMessage) => string;
  /** Receives unexpected failures, answered 500 without their text (never the key). Must not throw. Default: a process warning. */
  readonly onError?: (error: Error) => void;
}

/** The OAuth 2.0 token response (RFC 6749 §5.1) that {@link createTokenExchange} answers. */
export interface TokenExchangeResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  /** Seconds until the token expires. */
  readonly expires_in: number;
  /** The concrete scopes, space-separated. */
  readonly scope: string;
}

/** The handler {@link createTokenExchange} returns: `node:http`'s request listener, and Express middleware. */
export interface TokenExchangeHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Stops the verifier made here (its change subscriptions); not one passed in. */
  dispose(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  // RFC 6749 §5.1: token responses are never cached.
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
  res.end(JSON.stringify(body));
}

const isVerifier = (value: ApiKeyVerifier | ApiKeyVerifierOptions | undefined): value is ApiKeyVerifier => typeof (value as Partial<ApiKeyVerifier> | undefined)?.verify === 'function';

/**
 * A token endpoint for gateways that cannot run our code (Apollo Router,
 * WunderGraph Cosmo): it exchanges an API key for a short-lived JWT that the
 * router's `@requiresScopes` enforcement accepts, as OAuth's
 * client-credentials flow does.
 *
 * `POST` with `Authorization: Bearer <key>` answers 200
 * `{ access_token, token_type: "Bearer", expires_in, scope }`. The token is
 * signed with `privateKey` (asymmetric: publish the public half as the
 * router's JWKS), carries `sub` `apiKey:<id>`, the key's `name`, and `scope`:
 * the key's grants expanded to concrete scopes (`expandGrants`),
 * space-separated, as routers read it. It expires after `ttlMs`, or with
 * the key, whichever comes first.
 *
 * Refusals, as OAuth errors: a missing, malformed, unknown, revoked or
 * expired key is 401 `invalid_client`; more requests from one client than
 * `rateLimit` allows are 429 with `Retry-After`; a method other than POST is
 * 405; a store outage, or a rate-limit backend outage, is 503. No answer
 * carries the key.
 *
 * @example
 * ```ts
 * app.post('/oauth/token', createTokenExchange({ store, privateKey, issuer: 'https://api.example.com', audience: 'router', ttlMs: 300_000, catalog }));
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` at creation for
 *   a missing store or catalogue, a key that is not an asymmetric private
 *   key, or a bad issuer, audience, `ttlMs` or rate.
 */
export function createTokenExchange(options: TokenExchangeOptions): TokenExchangeHandler {
  const signer = createScopeTokenSigner(options, 'createTokenExchange');
  if (typeof options.store?.findApiKeyCredential !== 'function') throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createTokenExchange needs a store.');
  if (!Array.isArray(options.catalog?.resources)) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createTokenExchange needs a catalog (discoverScopes).');
  const ownVerifier = !isVerifier(options.verifier);
  const verifier = isVerifier(options.verifier) ? options.verifier : createApiKeyVerifier(options.store, options.verifier);
  const limiter = typeof options.rateLimit === 'object' ? options.rateLimit : createRateLimiter({ name: 'token-exchange', rate: options.rateLimit ?? '60/minute' });
  const clientOf = options.clientOf ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const invalidClient = (res: ServerResponse): void => send(res, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
  const unavailable = (res: ServerResponse): void => send(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '5' });

  async function exchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, { error: 'invalid_request' }, { allow: 'POST' });
    const decision = await limiter.consume(clientBucket(clientOf(req)));
    if (!decision.allowed) {
      if (decision.reason === 'unavailable') return unavailable(res);
      return send(res, 429, { error: 'too_many_requests' }, { 'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)) });
    }
    const credential = extractCredentials(req);
    if (credential.kind !== 'credential') return invalidClient(res);
    let verification: ApiKeyVerification;
    try {
      verification = await verifier.verify(credential.value);
    } catch (error) {
      if (error instanceof ScopedPermissionsError && (error.code === 'ERR_STORE_UNAVAILABLE' || error.code === 'ERR_OVERLOADED')) return unavailable(res);
      throw error;
    }
    if (!verification.ok) return invalidClient(res);
    const { principal } = verification;
    const scopes = concreteScopesOf(principal, options.catalog);
    const { token, expiresInSec } = await signer.sign({
      subject: forwardedSubject(principal),
      scopes,
      ...(principal.name === undefined ? {} : { name: principal.name }),
      ...(principal.expiresAtMs === undefined ? {} : { notAfterMs: principal.expiresAtMs }),
    });
    const body: TokenExchangeResponse = { access_token: token, token_type: 'Bearer', expires_in: expiresInSec, scope: scopes.join(' ') };
    return send(res, 200, body);
  }

  /** Never rejects: an unexpected failure is a 500 without its text (Express 4 and `node:http` would leave the request hanging). */
  async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await exchange(req, res);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (options.onError !== undefined) options.onError(failure);
      else process.emitWarning(`graphql-scoped-permissions token exchange: ${failure.message}`);
      if (!res.headersSent) send(res, 500, { error: 'server_error' });
      else res.destroy();
    }
  }

  return Object.assign(handler, {
    async dispose(): Promise<void> {
      if (ownVerifier) await verifier.dispose();
    },
  });
}
