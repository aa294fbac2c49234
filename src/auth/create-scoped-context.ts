import { GraphQLError } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { internalError, overloadedError, storeUnavailableError, unauthenticatedError } from '../errors/graphql-errors';
import { looksLikeApiKey } from '../keys/api-key-format';
import { parseImportedKey } from '../keys/imported-key-format';
import type { GroupStore } from '../store/scope-store';
import { assertUserId } from '../store/store-input';
import type { ApiKeyVerifierStore } from './api-keys/api-key-maintenance';
import type { ApiKeyVerifier } from './api-keys/api-key-verification';
import { createApiKeyVerifier } from './api-keys/api-key-verifier';
import type { ApiKeyVerifierOptions, ApiKeyVerifierWarningEvent } from './api-keys/api-key-verifier-options';
import { type CredentialRequest, readCredentials, readHeader, resolveExtractOptions } from './extract-credentials';
import { createForwardedPrincipalVerifier, FORWARDED_PRINCIPAL_HEADER, type ForwardedPrincipalOptions, type ForwardedPrincipalVerifier } from './forwarded/forwarded-principal';
import { createJwtVerifier } from './jwt/jwt-verifier';
import { type UnauthenticatedEvent, logUnauthenticated } from './log-unauthenticated';

export type { UnauthenticatedEvent } from './log-unauthenticated';
import type { JwtVerifier, JwtVerifierOptions } from './jwt/jwt-verifier-options';
import { createUserScopeCache } from './users/user-scope-cache';
import type { UserScopeCache, UserScopeStore } from './users/user-scope-cache';
import type { UserScopeCacheOptions } from './users/user-scope-cache-options';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../principal/principal';
import { createKeyRateLimits } from '../rate-limit/key-rate-limits';
import type { RateLimitBackend } from '../rate-limit/rate-limit-backend';
import { type RateLimitingOptions, type RequestRateLimit, type ScopeRateLimits, createScopeRateLimits } from '../rate-limit/scope-rate-limits';

/** What the context function returns; spread it into your own context. */
export interface ScopedContext {
  /** The caller. `ANONYMOUS_PRINCIPAL` when the request carried no credentials. */
  readonly principal: Principal;
  /**
   * The request's rate limits, present when `rateLimits` lists scopes and the
   * caller is authenticated. The field guards and the operation check use it;
   * keep it on the context (spreading the context keeps it).
   */
  readonly rateLimit?: RequestRateLimit;
}

/** A user signed in by the application's own session auth (see {@link CreateScopedContextOptions.getUser}). */
export interface AppUser {
  /** The user id groups list as members: 1–200 printable characters. */
  readonly id: string;
  /** A display name. */
  readonly name?: string;
}

/**
 * The store methods authentication uses: credentials, `getUserScopes`, and
 * the change sources the caches follow (`watchChanges` for changes from
 * other processes). Every `ScopeStore` has them.
 */
export type ScopedContextStore = ApiKeyVerifierStore & UserScopeStore & Pick<GroupStore, 'getUserScopes'>;

/**
 * An internal failure reported to {@link CreateScopedContextOptions.onError}:
 * `store-unavailable` (store or JWKS endpoint threw or timed out, or returned
 * a malformed record) or `overloaded` (the API key verifier's queue is
 * full), both answered 503; `internal` (anything else: an invalid user from
 * `getUser`, a bug), answered with a generic 500 whose body carries none of
 * the error's text; or `watch`: the store's change watcher failed and
 * retries with backoff (no request fails; until it recovers, changes made
 * by other processes apply within the cache TTLs).
 */
export interface ScopedContextErrorEvent {
  readonly kind: 'store-unavailable' | 'overloaded' | 'internal' | 'watch';
}

/** Options of {@link createScopedContext}. */
export interface CreateScopedContextOptions<TRequest extends CredentialRequest = CredentialRequest> {
  /**
   * Where keys and groups live, for example a `MemoryScopeStore` or
   * `MongooseScopeStore`. Required, unless `forwarded` is set and the
   * subgraph accepts only forwarded principals.
   */
  store?: ScopedContextStore;
  /**
   * In a federation subgraph: accept the principal a gateway forwards in
   * the `scoped-principal` header (`FORWARDED_PRINCIPAL_HEADER`), a JWS
   * from `signForwardedPrincipal`, checked with the gateway's public key,
   * issuer and this subgraph's audience. A valid token gives its principal
   * (kind, id and concrete scopes); a forged, expired, replayed (another
   * audience) or edited one is a 401. Without the header, and without a
   * `store`, the request is anonymous whatever other credentials it
   * carries: the subgraph trusts only the gateway. With a `store` too, a
   * request without the header is authenticated as usual. Default: none.
   */
  forwarded?: ForwardedPrincipalOptions;
  /** A verifier from `createApiKeyVerifier`, or options to build one on `store`. Default: one with default options. */
  verifier?: ApiKeyVerifier | ApiKeyVerifierOptions;
  /** A verifier from `createJwtVerifier`, or its options. Default: none, and bearer JWTs get 401. */
  jwt?: JwtVerifier | JwtVerifierOptions;
  /**
   * The cache of users' group scopes that JWT subjects, session users and
   * owner-bound keys share: one from `createUserScopeCache`, or its options
   * (`groupCacheTtlMs`, default 30000). Default: one with default options.
   */
  userScopes?: UserScopeCache | UserScopeCacheOptions;
  /**
   * The application's session auth, asked only when the request carries no
   * credential header. A user gets the scopes of their groups (principal
   * kind `'user'`); `null` means anonymous. A `GraphQLError` it throws
   * reaches the client as it is (set `extensions.http.status` to pick the
   * response); anything else, and a user with an invalid id, becomes a
   * generic 500 `INTERNAL_SERVER_ERROR`, the original going to `onError`.
   */
  getUser?: (req: TRequest) => AppUser | null | undefined | Promise<AppUser | null | undefined>;
  /** The header that carries an API key. Default `'x-api-key'`. */
  apiKeyHeader?: string;
  /**
   * The `Authorization` schemes that carry a key or token, in any case: for
   * example `['Bearer', 'Api-Key']` also accepts drf-scoped-permissions'
   * `Authorization: Api-Key <key>`. Any other scheme is a 401. Default `['Bearer']`.
   */
  authSchemes?: readonly string[];
  /** The prefix keys must carry, when the verifier is built here (its `prefix`). Default `'gsp'`. */
  keyPrefix?: string;
  /** The longest credential header read, in characters. Default 4096. */
  maxCredentialLength?: number;
  /** Milliseconds each store call may take before 503, for verifiers built here and for group lookups. Default 5000. */
  storeTimeoutMs?: number;
  /**
   * Receives warnings of the API key verifier built here (its `onWarning`,
   * unless `verifier` sets its own): today, the first time each legacy key
   * without scopes authenticates with full access. Never carries a secret.
   * Default: a process warning.
   */
  onWarning?: (message: string, event: ApiKeyVerifierWarningEvent) => void;
  /** Receives internal failures (never the credential). Must not throw; its errors are ignored. Default: none. */
  onError?: (error: Error, event: ScopedContextErrorEvent) => void;
  /**
   * Receives each 401's reason (never the credential). Must not throw; its
   * errors are ignored. Default: `logUnauthenticated`, which prints one line
   * per 401 when `NODE_DEBUG=graphql-scoped-permissions` is set, and nothing otherwise.
   */
  onUnauthenticated?: (event: UnauthenticatedEvent) => void;
  /**
   * Rates per scope, like Django REST framework's `ScopedRateThrottle`:
   * `{ 'analytics.export': '10/hour', 'posts.write': '100/minute' }`. Each
   * principal (key id, user id or JWT subject) has its own bucket per listed
   * scope. A request that selects fields needing a listed scope uses one
   * unit of it, however many fields or list items need it; a field the
   * caller may not use anyway (a missing scope) uses none. Over the rate:
   * `RATE_LIMITED` with `extensions.retryAfterSeconds` (HTTP 429 and
   * `Retry-After`), for the whole operation before any resolver runs in
   * `'operation'` mode, and for the limited fields only in `'field'` mode.
   * Scopes are concrete (`resource.action`), rates as `parseRate` reads them.
   * Default: none.
   */
  rateLimits?: ScopeRateLimits;
  /**
   * Where rate limits count, and what a failure of their backend decides
   * (fail closed by default): the per-scope `rateLimits` and each API key's
   * own `rateLimit` (`createApiKey({ rateLimit: '1000/hour' })`), which
   * counts every request of the key and answers 429 before any field.
   */
  rateLimiting?: RateLimitingOptions;
}

/** The function {@link createScopedContext} returns: Apollo's `context`, or part of it. */
export interface ScopedContextFunction<TRequest extends CredentialRequest = CredentialRequest> {
  (args: { req: TRequest }): Promise<ScopedContext>;
  /**
   * Stops what the function started: the change subscriptions (and, with
   * the last one, the store's watcher) of the caches and verifiers made
   * here, not of those passed in. Requests after it still work, uncached.
   */
  dispose(): Promise<void>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const DEFAULT_STORE_TIMEOUT_MS = 5000;
const MAX_NAME_LENGTH = 200;

function isVerifier<T extends { verify: unknown }>(value: T | object | undefined): value is T {
  return typeof (value as Partial<T> | undefined)?.verify === 'function';
}

function isUserScopeCache(value: UserScopeCache | UserScopeCacheOptions | undefined): value is UserScopeCache {
  return typeof (value as Partial<UserScopeCache> | undefined)?.scopesOf === 'function';
}

/** The rate-limit backend a store offers (`MongooseScopeStore`: its database), if any. */
function storeRateLimitBackend(store: object): RateLimitBackend | undefined {
  const offered = (store as { rateLimitBackend?: unknown }).rateLimitBackend;
  return typeof offered === 'function' ? (offered.call(store) as RateLimitBackend) : undefined;
}

/** Calls a logging hook; what it throws must not change the response. */
function quietly(call: () => void): void {
  try {
    call();
  } catch {
    // Ignored on purpose.
  }
}

/** Answers a refused credential: reports why (never the credential), and throws `UNAUTHENTICATED` (401). */
function refuseWith(onUnauthenticated: ((event: UnauthenticatedEvent) => void) | undefined, method: UnauthenticatedEvent['method'], reason: string): never {
  quietly(() => onUnauthenticated?.({ method, reason }));
  const message = method === 'jwt' || method === 'forwarded' ? 'Invalid or expired token.' : method === 'apiKey' ? 'Invalid API key.' : 'Invalid credentials.';
  // RFC 6750: a malformed header is an invalid request; a refused credential an invalid token.
  throw unauthenticatedError(message, undefined, `Bearer error="${method === 'header' ? 'invalid_request' : 'invalid_token'}"`);
}

/**
 * What the client may see of a failure: a `GraphQLError` as it is (our
 * 401s, or one the application threw for its client), a store outage or
 * overload as our 503, and anything else as a generic 500 without its
 * text. Every internal failure goes to `onError`.
 */
function clientError(error: unknown, onError: CreateScopedContextOptions['onError']): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof ScopedPermissionsError && error.code === 'ERR_STORE_UNAVAILABLE') {
    quietly(() => onError?.(error, { kind: 'store-unavailable' }));
    return storeUnavailableError();
  }
  if (error instanceof ScopedPermissionsError && error.code === 'ERR_OVERLOADED') {
    quietly(() => onError?.(error, { kind: 'overloaded' }));
    return overloadedError();
  }
  const internal = error instanceof Error ? error : new Error(String(error));
  quietly(() => onError?.(internal, { kind: 'internal' }));
  return internalError();
}

/** The longest forwarded-principal header read, in characters: a token carries every concrete scope of its principal. */
const MAX_FORWARDED_LENGTH = 16 * 1024;

/** The principal a gateway forwarded, `undefined` without the header; a header that is not a valid token is a 401. */
async function forwardedPrincipal(
  verifier: ForwardedPrincipalVerifier,
  req: CredentialRequest,
  onUnauthenticated: CreateScopedContextOptions['onUnauthenticated'],
): Promise<Principal | undefined> {
  const value = readHeader(req, FORWARDED_PRINCIPAL_HEADER, MAX_FORWARDED_LENGTH);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return refuseWith(onUnauthenticated, 'header', value.kind === 'rejected' ? value.reason : 'malformed');
  const result = await verifier.verify(value);
  return result.ok ? result.principal : refuseWith(onUnauthenticated, 'forwarded', result.reason);
}

/** The context function of a subgraph without a store: the forwarded principal, or anonymous. */
function forwardedOnlyContext<TRequest extends CredentialRequest>(
  options: ForwardedPrincipalOptions,
  { onError, onUnauthenticated }: Pick<CreateScopedContextOptions<TRequest>, 'onError' | 'onUnauthenticated'>,
): ScopedContextFunction<TRequest> {
  const verifier = createForwardedPrincipalVerifier(options);
  async function scopedContext({ req }: { req: TRequest }): Promise<ScopedContext> {
    try {
      return { principal: (await forwardedPrincipal(verifier, req, onUnauthenticated)) ?? ANONYMOUS_PRINCIPAL };
    } catch (error) {
      throw clientError(error, onError);
    }
  }
  return Object.assign(scopedContext, { dispose: () => verifier.dispose() });
}

/**
 * Creates the context function that authenticates each request, for Apollo
 * Server's `startStandaloneServer` or `expressMiddleware` (both pass
 * `{ req }`).
 *
 * - `Authorization: Bearer <key>` or `X-API-Key: <key>` in our key format
 *   is verified as an API key; a bearer token shaped like a JWT is verified
 *   as one when `jwt` is configured.
 * - No credentials: `getUser(req)`, else `ANONYMOUS_PRINCIPAL`.
 * - Bad credentials of any kind (malformed, unknown, wrong, revoked,
 *   expired, both headers at once, duplicate headers) throw
 *   `UNAUTHENTICATED` (401). They never fall back to anonymous.
 * - A store that throws, times out or returns a malformed record throws
 *   `ERR_STORE_UNAVAILABLE` (503); a full verification queue throws
 *   `ERR_OVERLOADED` (503). Any other failure throws a generic 500
 *   `INTERNAL_SERVER_ERROR` without its text. Each goes to `onError`.
 *
 * Apollo Server answers a `GraphQLError` thrown here with its
 * `extensions.http.status` and keeps its `extensions.code`. No message
 * contains the presented key or token.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` at creation for bad options.
 * @example
 * ```ts
 * const scopedContext = createScopedContext({ store, jwt: { secret: process.env.JWT_SECRET!, issuer: 'https://auth.example.com', audience: 'blog-api' } });
 * await startStandaloneServer(server, { context: async (args) => ({ ...(await scopedContext(args)), db }) });
 * ```
 */
export function createScopedContext<TRequest extends CredentialRequest = CredentialRequest>(
  options: CreateScopedContextOptions<TRequest>,
): ScopedContextFunction<TRequest> {
  const { store, getUser, onError } = options;
  const onUnauthenticated = options.onUnauthenticated ?? logUnauthenticated;
  if (store === undefined && options.forwarded !== undefined) {
    for (const option of ['verifier', 'jwt', 'getUser'] as const) {
      if (options[option] !== undefined) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `createScopedContext: ${option} needs a store; without one only forwarded principals are accepted.`);
    }
    return forwardedOnlyContext(options.forwarded, { onError, onUnauthenticated });
  }
  if (typeof store?.findApiKeyCredential !== 'function' || typeof store.getUserScopes !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createScopedContext needs a store (or, in a subgraph that accepts only forwarded principals, forwarded).');
  }
  // Fail at start-up, not on the first request, for a bad header or length option.
  const { apiKeyHeader, maxLength, authSchemes } = resolveExtractOptions({
    apiKeyHeader: options.apiKeyHeader,
    maxLength: options.maxCredentialLength,
    authSchemes: options.authSchemes,
  });
  const storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const rateLimiting: RateLimitingOptions = { backend: storeRateLimitBackend(store), ...options.rateLimiting };
  const rateLimits = createScopeRateLimits(options.rateLimits, rateLimiting);
  const keyRateLimits = createKeyRateLimits(rateLimiting);
  if (!Number.isSafeInteger(storeTimeoutMs) || storeTimeoutMs < 1) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'storeTimeoutMs must be an integer ≥ 1 (milliseconds).');
  }

  if (isVerifier<ApiKeyVerifier>(options.verifier) && options.keyPrefix !== undefined) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'keyPrefix applies only when the verifier is built here; set prefix on your verifier.');
  }
  if (isVerifier<ApiKeyVerifier>(options.verifier) && options.onWarning !== undefined) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'onWarning applies only when the verifier is built here; set onWarning on your verifier.');
  }
  // What is built here is disposed here; what was passed in belongs to the caller.
  const built: Array<{ dispose(): Promise<void> }> = [];
  function own<T extends { dispose(): Promise<void> }>(made: T): T {
    built.push(made);
    return made;
  }
  const watchErrors = onError === undefined ? {} : { onError: (error: Error) => quietly(() => onError(error, { kind: 'watch' })) };
  const userScopes: UserScopeCache = isUserScopeCache(options.userScopes)
    ? options.userScopes
    : own(createUserScopeCache(store, { storeTimeoutMs, ...watchErrors, ...options.userScopes }));
  const apiKeys: ApiKeyVerifier = isVerifier<ApiKeyVerifier>(options.verifier)
    ? options.verifier
    : own(
        createApiKeyVerifier(store, {
          storeTimeoutMs,
          userScopes,
          ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
          ...options.verifier,
          ...(options.keyPrefix === undefined ? {} : { prefix: options.keyPrefix }),
        }),
      );
  const jwt: JwtVerifier | undefined =
    options.jwt === undefined || isVerifier<JwtVerifier>(options.jwt) ? options.jwt : own(createJwtVerifier({ storeTimeoutMs, userScopes, ...options.jwt }, store));

  const refuse = (method: UnauthenticatedEvent['method'], reason: string): never => refuseWith(onUnauthenticated, method, reason);
  const forwarded = options.forwarded === undefined ? undefined : own(createForwardedPrincipalVerifier(options.forwarded));

  const toClientError = (error: unknown): GraphQLError => clientError(error, onError);

  async function scopedContext({ req }: { req: TRequest }): Promise<ScopedContext> {
    try {
      const fromGateway = forwarded === undefined ? undefined : await forwardedPrincipal(forwarded, req, onUnauthenticated);
      let principal: Principal;
      if (fromGateway !== undefined) principal = fromGateway;
      else {
        const found = readCredentials(req, apiKeyHeader, maxLength, authSchemes);
        if (found.kind === 'rejected') return refuse('header', found.reason);
        principal = found.kind === 'credential' ? await fromCredential(found.source, found.value) : await fromUser(req);
      }
      // A key's own limit counts every request of the key, before anything else is served.
      if (principal.rateLimit !== undefined) await keyRateLimits.consume(principal);
      const rateLimit = rateLimits?.forRequest(principal);
      return rateLimit === undefined ? { principal } : { principal, rateLimit };
    } catch (error) {
      throw toClientError(error);
    }
  }

  async function fromCredential(source: 'bearer' | 'apiKeyHeader', value: string): Promise<Principal> {
    // Keys imported from djangorestframework-api-key keep their `<prefix>.<secret>` form.
    if (looksLikeApiKey(value) || parseImportedKey(value) !== null) {
      const result = await apiKeys.verify(value);
      return result.ok ? result.principal : refuse('apiKey', result.reason);
    }
    if (source === 'apiKeyHeader') return refuse('apiKey', 'malformed');
    if (!JWT_SHAPE.test(value)) return refuse('unsupported', 'malformed');
    if (jwt === undefined) return refuse('jwt', 'not-configured');
    const result = await jwt.verify(value);
    return result.ok ? result.principal : refuse('jwt', result.reason);
  }

  async function fromUser(req: TRequest): Promise<Principal> {
    const user = getUser === undefined ? null : await getUser(req);
    if (user === null || user === undefined) return ANONYMOUS_PRINCIPAL;
    const id = assertUserId(user.id);
    const scopes = userScopes.peek(id) ?? (await userScopes.scopesOf(id));
    const name = typeof user.name === 'string' && user.name.length <= MAX_NAME_LENGTH ? user.name : undefined;
    return name === undefined ? { kind: 'user', id, scopes } : { kind: 'user', id, name, scopes };
  }

  return Object.assign(scopedContext, {
    async dispose(): Promise<void> {
      // The verifiers first: they may share the user scope cache.
      for (const made of built.splice(0).reverse()) await made.dispose();
    },
  });
}
