import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiKeyVerifier } from '../auth/api-keys/api-key-verification';
import { createApiKeyVerifier } from '../auth/api-keys/api-key-verifier';
import type { AppUser } from '../auth/create-scoped-context';
import { createJwtVerifier } from '../auth/jwt/jwt-verifier';
import type { JwtVerifier } from '../auth/jwt/jwt-verifier-options';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { discoverScopes } from '../scopes/discover-scopes';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { parseScope } from '../scopes/scope-grammar';
import type { ScopeStore } from '../store/scope-store';
import { DEFAULT_ADMIN_MOUNT_PATH, DEFAULT_ADMIN_SCOPE, type ScopeAdminOptions } from './admin-options';
import { remoteAddress } from './http/admin-request';
import { boundedStore } from './bounded-store';
import { withAdminScope } from './scopes/admin-catalog';
import { mongoRateLimitBackend } from '../rate-limit/mongo-rate-limit-backend';
import { memoryRateLimitBackend } from '../rate-limit/rate-limit-backend';
import { MongoAdminSessions } from './session/mongo-admin-sessions';
import { type AdminSessions, MemoryAdminSessions } from './session/session-store';
import { SignInThrottle } from './session/sign-in-throttle';
import { storeConnection } from './session/store-connection';

/** Everything a request handler needs, resolved once from {@link ScopeAdminOptions}. */
export interface AdminConfig {
  /** The store, every call bounded by `storeTimeoutMs` (`boundedStore`). */
  readonly store: ScopeStore;
  /** The schema's catalogue plus the admin scope. */
  readonly catalog: ScopeCatalog;
  readonly adminScope: string;
  readonly apiKeys: ApiKeyVerifier;
  readonly jwt: JwtVerifier | undefined;
  readonly getUser: ((req: IncomingMessage) => AppUser | null | undefined | Promise<AppUser | null | undefined>) | undefined;
  readonly mountPath: string;
  readonly pageSize: number;
  readonly sessions: AdminSessions;
  readonly throttle: SignInThrottle;
  readonly getClientId: (req: IncomingMessage) => string;
  readonly secureCookies: boolean | undefined;
  readonly brand: string;
  readonly storeTimeoutMs: number;
  readonly onError: ((error: Error) => void) | undefined;
  /**
   * The key of the CSRF token HMAC: random per process with memory
   * sessions, shared through the store with store sessions. Never sent.
   */
  secret(): Promise<Uint8Array>;
  /** Releases what was built here (verifiers, sessions). */
  close(): Promise<void>;
}

const MOUNT_PATH = /^(\/[A-Za-z0-9._~-]+)*\/?$/;

function invalid(message: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `createScopeAdmin: ${message}`);
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < min || resolved > max) throw invalid(`${name} must be an integer from ${min} to ${max}.`);
  return resolved;
}

function isVerifier<T extends { verify: unknown }>(value: T | object | undefined): value is T {
  return typeof (value as Partial<T> | undefined)?.verify === 'function';
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalid(`${name} must be a function.`);
  return value;
}

/**
 * Checks the options and builds what they describe.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` naming the bad option.
 */
export function resolveAdminConfig(options: ScopeAdminOptions): AdminConfig {
  if (typeof options !== 'object' || options === null) throw invalid('an options object is required.');
  const { store } = options;
  for (const method of ['createApiKey', 'listApiKeys', 'updateApiKey', 'setApiKeyScopes', 'revokeApiKey', 'rotateApiKey', 'findApiKeyCredential', 'saveGroup', 'getGroup', 'listGroups', 'listAuditEntries'] as const) {
    if (typeof store?.[method] !== 'function') throw invalid('store must be a ScopeStore (MemoryScopeStore, MongooseScopeStore).');
  }
  if ((options.schema === undefined) === (options.catalog === undefined)) throw invalid('give exactly one of schema and catalog.');
  const catalog = options.catalog ?? discoverScopes(options.schema as NonNullable<ScopeAdminOptions['schema']>);
  if (!Array.isArray(catalog?.resources)) throw invalid('catalog must come from discoverScopes.');

  const adminScope = options.adminScope ?? DEFAULT_ADMIN_SCOPE;
  try {
    parseScope(adminScope);
  } catch (error) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createScopeAdmin: adminScope must be a scope, resource.action.', { cause: error });
  }

  const mountPath = options.mountPath ?? DEFAULT_ADMIN_MOUNT_PATH;
  if (typeof mountPath !== 'string' || mountPath.length > 200 || !mountPath.startsWith('/') || !MOUNT_PATH.test(mountPath)) {
    throw invalid('mountPath must be a path such as "/admin".');
  }
  const storeTimeoutMs = integer('storeTimeoutMs', options.storeTimeoutMs, 5000, 1);
  const brand = options.title ?? 'Scopes admin';
  if (typeof brand !== 'string' || brand.length === 0 || brand.length > 100) throw invalid('title must be 1–100 characters.');
  if (options.secureCookies !== undefined && typeof options.secureCookies !== 'boolean') throw invalid('secureCookies must be a boolean.');
  const getUser = optionalFunction('getUser', options.getUser);
  const onError = optionalFunction('onError', options.onError);
  const getClientId = optionalFunction('getClientId', options.getClientId) ?? remoteAddress;

  const pageSize = integer('pageSize', options.pageSize, 50, 1, 999);
  const sessionLimits = {
    idleTimeoutMs: integer('sessionIdleTimeoutMs', options.sessionIdleTimeoutMs, 30 * 60 * 1000, 1000),
    maxAgeMs: integer('sessionMaxAgeMs', options.sessionMaxAgeMs, 12 * 60 * 60 * 1000, 1000),
    maxSessions: integer('maxSessions', options.maxSessions, 1000, 1, 1_000_000),
  };
  const signInLimits = {
    perClientPerMinute: integer('signInAttemptsPerClientPerMinute', options.signInAttemptsPerClientPerMinute, 10, 1, 10_000),
    globalPerMinute: integer('signInAttemptsPerMinute', options.signInAttemptsPerMinute, 100, 1, 1_000_000),
  };
  if (options.sessions !== undefined && options.sessions !== 'store' && options.sessions !== 'memory') throw invalid("sessions must be 'store' or 'memory'.");
  const connection = (options.sessions ?? 'store') === 'store' ? storeConnection(store) : undefined;

  // Built last, once every option is known to be good: a verifier built here subscribes to the store.
  const ownJwt = options.jwt === undefined || isVerifier<JwtVerifier>(options.jwt) ? undefined : createJwtVerifier({ storeTimeoutMs, ...options.jwt }, store);
  const jwt: JwtVerifier | undefined = ownJwt ?? (isVerifier<JwtVerifier>(options.jwt) ? options.jwt : undefined);
  const ownVerifier = !isVerifier<ApiKeyVerifier>(options.verifier);
  const apiKeys = isVerifier<ApiKeyVerifier>(options.verifier) ? options.verifier : createApiKeyVerifier(store, { storeTimeoutMs, ...options.verifier });
  const shared = connection === undefined ? undefined : new MongoAdminSessions(connection, sessionLimits, storeTimeoutMs);
  const sessions: AdminSessions = shared ?? new MemoryAdminSessions(sessionLimits);
  const ownSecret = randomBytes(32);
  let sharedSecret: Promise<Uint8Array> | undefined;

  return {
    // Every store call of the pages is bounded, like the verifier's (the verifiers above keep the store itself).
    store: boundedStore(store, storeTimeoutMs),
    catalog: withAdminScope(catalog, adminScope),
    adminScope,
    apiKeys,
    jwt,
    getUser,
    mountPath: mountPath.replace(/\/+$/, '') || '',
    pageSize,
    sessions,
    throttle: new SignInThrottle(signInLimits, connection === undefined ? memoryRateLimitBackend() : mongoRateLimitBackend(connection), onError),
    getClientId,
    secureCookies: options.secureCookies,
    brand,
    storeTimeoutMs,
    onError,
    secret() {
      if (shared === undefined) return Promise.resolve(ownSecret);
      sharedSecret ??= shared.sharedSecret().catch((error: unknown) => {
        sharedSecret = undefined;
        throw error;
      });
      return sharedSecret;
    },
    async close() {
      await sessions.close();
      if (ownVerifier) await apiKeys.dispose();
      // Its user scope cache follows the store's changes.
      await ownJwt?.dispose();
    },
  };
}
