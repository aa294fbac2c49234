import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { ApiKeyVerifier } from '../auth/api-keys/api-key-verification';
import type { ApiKeyVerifierOptions } from '../auth/api-keys/api-key-verifier-options';
import type { AppUser } from '../auth/create-scoped-context';
import type { JwtVerifier, JwtVerifierOptions } from '../auth/jwt/jwt-verifier-options';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import type { ScopeStore } from '../store/scope-store';

/** The admin scope a principal needs by default. `*` and `scopes.*` hold it too. */
export const DEFAULT_ADMIN_SCOPE = 'scopes.admin';

/** The path a `node:http` server mounts the admin page at, by default. */
export const DEFAULT_ADMIN_MOUNT_PATH = '/admin';

/** Options of `createScopeAdmin`. Durations are in milliseconds. */
export interface ScopeAdminOptions {
  /** Where keys and groups live: a `MemoryScopeStore`, a `MongooseScopeStore`, or your own `ScopeStore`. */
  store: ScopeStore;
  /**
   * The schema whose scopes the checkboxes offer (through `discoverScopes`).
   * Give `schema` or `catalog`, not both.
   */
  schema?: GraphQLSchema;
  /** A catalogue from `discoverScopes(schema, options)`, instead of `schema`. */
  catalog?: ScopeCatalog;
  /**
   * The scope a principal needs to use the admin page. `*`, `<resource>.*`
   * and `*.<action>` grant it as anywhere else. It is offered as a
   * checkbox even when no field requires it. Default `'scopes.admin'`.
   */
  adminScope?: string;
  /**
   * Verifies the API keys pasted into the sign-in form: pass the verifier
   * your API uses (`createApiKeyVerifier`), or options to build one on
   * `store`. Default: one with default options.
   */
  verifier?: ApiKeyVerifier | ApiKeyVerifierOptions;
  /** Verifies JWTs pasted into the sign-in form: a `createJwtVerifier` verifier or its options. Default: none (JWTs are refused). */
  jwt?: JwtVerifier | JwtVerifierOptions;
  /**
   * For applications with their own login: the signed-in user of a request,
   * or `null`. The user needs the admin scope through their groups; the
   * sign-in form is then not offered. Default: none (the sign-in form).
   */
  getUser?: (req: IncomingMessage) => AppUser | null | undefined | Promise<AppUser | null | undefined>;
  /**
   * Where a `node:http` server mounts the handler. Under Express
   * (`app.use('/admin', admin.handler)`), `req.baseUrl` is used instead.
   * Default `'/admin'`.
   */
  mountPath?: string;
  /** Keys per page of the keys list, 1–999. Default 50. */
  pageSize?: number;
  /**
   * Where sessions and sign-in throttle counts live:
   *
   * - `'store'`: in the store. On a `MongooseScopeStore`, sessions are kept
   *   in the `scoped_admin_sessions` collection (the SHA-256 of each session
   *   id, never the id; the credential sealed with a key only the cookie
   *   holder has) and the throttle counts in `scoped_rate_limits`, so every
   *   replica behind a load balancer shares sign-in, sign-out, the timeouts,
   *   the CSRF key and the throttle budgets: no sticky sessions needed. On a
   *   `MemoryScopeStore`, the same as `'memory'`.
   * - `'memory'`: in this process (a bounded LRU); each replica has its own.
   *
   * Default `'store'` (`'memory'` for stores that are neither).
   */
  sessions?: 'store' | 'memory';
  /** A session unused this long ends. Default 1800000 (30 minutes). */
  sessionIdleTimeoutMs?: number;
  /** A session ends this long after sign-in, used or not. Default 43200000 (12 hours). */
  sessionMaxAgeMs?: number;
  /** The most sessions kept in memory (LRU), with `sessions: 'memory'`. Default 1000. */
  maxSessions?: number;
  /**
   * Sign-in attempts allowed per client per minute; beyond, 429. A client is
   * an IPv4 address, an IPv6 /64 network, or what `getClientId` returns.
   * Default 10.
   */
  signInAttemptsPerClientPerMinute?: number;
  /**
   * Costly sign-in attempts (a well-formed key or JWT, which may cost a
   * store lookup and a hash) allowed from all clients together per minute.
   * Beyond, clients that already tried this minute get 429, while a
   * client's first attempt of the minute still goes through, so a few
   * addresses cannot lock the real admin out. Attempts refused on their
   * shape alone (a malformed key, a bad checksum) are never counted here.
   * Default 100.
   */
  signInAttemptsPerMinute?: number;
  /**
   * The client a sign-in attempt is counted against. Default: the socket's
   * remote address. Behind a proxy, return the client address the proxy
   * forwards (Express: `req.ip` with `trust proxy` set to the proxy's
   * address or hop count, such as `'loopback'` or `1`). Never `trust proxy:
   * true` with a proxy that appends to `X-Forwarded-For`: `req.ip` is then
   * the left-most entry, which the client writes, so every forged value
   * would count as a new client with its own budget and first attempt.
   */
  getClientId?: (req: IncomingMessage) => string;
  /**
   * Marks cookies `Secure`. Default: when the request came over HTTPS (a
   * TLS socket, or Express's `req.secure`). Set `true` behind a proxy that
   * terminates TLS, when Express's `trust proxy` is not set.
   */
  secureCookies?: boolean;
  /** The product name in the page header. Default `'Scopes admin'`. */
  title?: string;
  /** Milliseconds each store call of verifiers built here may take. Default 5000. */
  storeTimeoutMs?: number;
  /**
   * Receives the errors that fail a page (never a credential, a key or a
   * session id): a store outage, answered 503, and anything unexpected,
   * answered with a plain 500 page. Must not throw. Default: none.
   */
  onError?: (error: Error) => void;
}
