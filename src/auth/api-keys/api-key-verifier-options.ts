import { availableParallelism } from 'node:os';
import { integerOption } from '../../errors/integer-option';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { DEFAULT_KEY_PREFIX, assertKeyPrefix } from '../../keys/api-key-format';
import { DEFAULT_HASH_OPTIONS } from '../../keys/hash-secret';
import type { HashOptions } from '../../keys/hash-secret';
import type { UserScopeCache } from '../users/user-scope-cache';

/**
 * What a background task of the verifier was doing when it failed:
 * `'rehash'` (storing a new hash after a parameter change) and `'touch'`
 * (recording `lastUsedAt`) name the key; `'watch'` is the store's change
 * watcher, which retries with backoff while the caches keep their TTL bound.
 */
export type ApiKeyVerifierErrorEvent =
  | {
      readonly operation: 'rehash' | 'touch';
      /** The public id of the key concerned (not a secret). */
      readonly keyId: string;
    }
  | { readonly operation: 'watch' };

/**
 * What an API key with an owner may do: `'ignore'` its owner (its own
 * scopes), or `'intersect'` its own scopes with its owner's group scopes.
 */
export type OwnerScopesPolicy = 'ignore' | 'intersect';

/**
 * A warning from the verifier: nothing failed, but you should act.
 *
 * - `'unrestricted-key'`: a legacy key created without scopes authenticated
 *   with full access (`unscopedKeys: 'full-access'`, the default). Sent the
 *   first time each such key authenticates in this verifier. Give the key
 *   scopes (`setApiKeyScopes`), revoke it, or set `unscopedKeys: 'deny'`.
 */
export interface ApiKeyVerifierWarningEvent {
  readonly kind: 'unrestricted-key';
  /** The public id of the key concerned (not a secret). */
  readonly keyId: string;
}

/** Options of `createApiKeyVerifier`. Every duration is in milliseconds. */
export interface ApiKeyVerifierOptions {
  /** The brand prefix keys must carry. Default `'gsp'`. */
  prefix?: string;
  /**
   * The argon2id parameters a stored hash must at least have. A key whose
   * hash is weaker (less memory, fewer passes, less parallelism) or made
   * with another algorithm or argon2 version is rehashed after its next
   * successful verification; a stronger hash is kept as it is.
   *
   * A store that declares its own `hashOptions` (`MemoryScopeStore` and
   * `MongooseScopeStore` do) is the one source of truth: the verifier uses
   * the store's, and refuses different ones here with `ERR_INVALID_OPTIONS`,
   * so keys are never created with one set and rehashed to another.
   * Default: the store's, else `DEFAULT_HASH_OPTIONS` (m=19456 KiB, t=2, p=1).
   */
  hashOptions?: HashOptions;
  /**
   * How long a successful verification is cached. Changes made through the
   * same store object evict at once, and those of other processes within
   * the store's poll interval (`store.watchChanges`); this TTL is the most
   * they can lag while the store's watcher is down, or for a store without
   * one. `0` disables the cache. Default 30000.
   */
  cacheTtlMs?: number;
  /** The most successful verifications cached (LRU). Default 10000. */
  cacheMaxEntries?: number;
  /**
   * How long a failed verification (unknown id, wrong secret, revoked,
   * expired) is cached, so repeating a bad key costs no query and no hash.
   * `0` disables it. Default 10000.
   */
  negativeCacheTtlMs?: number;
  /** The most failed verifications cached (LRU). Default 10000. */
  negativeCacheMaxEntries?: number;
  /** How long to wait for the store before failing with `ERR_STORE_UNAVAILABLE`. Default 5000. */
  storeTimeoutMs?: number;
  /**
   * The most argon2 operations (verifications and rehashes) run at once.
   * Each takes about 19 MiB and one core for tens of milliseconds. Default
   * {@link DEFAULT_MAX_CONCURRENT_VERIFICATIONS}: 2, or 1 on a machine with
   * fewer than 3 cores, so that hashing never occupies every core and a
   * flood of wrong secrets cannot starve the requests of valid keys.
   */
  maxConcurrentVerifications?: number;
  /**
   * The most verifications allowed to wait for a slot; beyond that `verify`
   * rejects with `ERR_OVERLOADED` (map it to HTTP 503). Default 1000.
   */
  maxQueuedVerifications?: number;
  /**
   * The most credential lookups (`findApiKeyCredential`) sent to the store
   * at once. Keys with a valid checksum and random ids are cheap to forge,
   * and each unknown id costs one query, so this bounds the database work a
   * flood of them can cause. Lookups beyond it wait, with at most
   * `maxQueuedVerifications` waiting; beyond that, `ERR_OVERLOADED`.
   * Default 16.
   */
  maxConcurrentLookups?: number;
  /**
   * Record each key's last use with `touchApiKey`: at most once per key per
   * `lastUsedIntervalMs`, throttled in process and in the store, without
   * delaying the request. Default `false`.
   */
  trackLastUsed?: boolean;
  /** The least time between two `lastUsedAt` writes for one key. Default 60000. */
  lastUsedIntervalMs?: number;
  /**
   * What a key created without scopes may do: `'full-access'` (drf-scoped-permissions'
   * behaviour) gives a principal with `unrestricted: true`;
   * `'deny'` gives an empty scope set. Default `'full-access'`.
   */
  unscopedKeys?: 'full-access' | 'deny';
  /**
   * Receives warnings (see {@link ApiKeyVerifierWarningEvent}), with a
   * message that never contains a secret. Must not throw. Default: a process
   * warning with code `GSP_UNRESTRICTED_API_KEY`.
   */
  onWarning?: (message: string, event: ApiKeyVerifierWarningEvent) => void;
  /**
   * What keys with an owner (`createApiKey({ ownerId })`) may do.
   * `'intersect'` limits each to the scopes its key and its owner's groups
   * both grant, wildcards resolved (`posts.*` and `posts.read` give
   * `posts.read`; a legacy key without scopes gets its owner's scopes); an
   * owner in no group makes the key hold nothing, and owner group changes
   * reach the key as fast as any group change. Keys without an owner keep
   * their own scopes. Default `'ignore'` (each key its own scopes).
   */
  ownerScopes?: OwnerScopesPolicy;
  /**
   * The cache of owners' group scopes, for `ownerScopes: 'intersect'`: pass
   * the one the JWT verifier and session users share. Default: one made
   * here from `store` (which then needs `getUserScopes`).
   */
  userScopes?: UserScopeCache;
  /**
   * Follow changes made by other processes through `store.watchChanges`
   * (revocations, new scopes, rotations), when the store has it, so they
   * apply within the store's poll interval rather than `cacheTtlMs`.
   * `false` follows this store object's own changes only. Default `true`.
   */
  watch?: boolean;
  /**
   * Receives failures of background work (rehash, last-used writes, the
   * change watcher), which never fail a request. Errors never contain a
   * secret. Default: emit a process warning.
   */
  onError?: (error: Error, event: ApiKeyVerifierErrorEvent) => void;
}

/** {@link ApiKeyVerifierOptions} with every default filled in. */
export type ResolvedApiKeyVerifierOptions = Required<Omit<ApiKeyVerifierOptions, 'hashOptions' | 'userScopes'>> & {
  readonly hashOptions: Required<HashOptions>;
  readonly userScopes: UserScopeCache | undefined;
  /** The watcher's failures to `onError`, when one was given; else the watcher's own warning, once per failure streak. */
  readonly onWatchError: ((error: Error) => void) | undefined;
};

/**
 * The default of `maxConcurrentVerifications`: 2, but never more than the
 * cores available minus one (`os.availableParallelism()`), and at least 1.
 */
export const DEFAULT_MAX_CONCURRENT_VERIFICATIONS = Math.max(1, Math.min(2, availableParallelism() - 1));

function defaultOnError(error: Error): void {
  process.emitWarning(error);
}

function defaultOnWarning(message: string): void {
  process.emitWarning(message, { code: 'GSP_UNRESTRICTED_API_KEY' });
}

/**
 * The hash parameters a verifier uses: the store's when it declares them
 * (the one source of truth), else the verifier's own, else the defaults.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` when the verifier's differ from the store's, or a cost is not an integer ≥ 1.
 */
function resolveHashOptions(own: HashOptions | undefined, fromStore: Readonly<HashOptions> | undefined): Required<HashOptions> {
  const mine = { ...DEFAULT_HASH_OPTIONS, ...own };
  const chosen = fromStore === undefined ? mine : { ...DEFAULT_HASH_OPTIONS, ...fromStore };
  const costs = ['memoryCost', 'timeCost', 'parallelism'] as const;
  if (own !== undefined && costs.some((cost) => mine[cost] !== chosen[cost])) {
    throw new ScopedPermissionsError(
      'ERR_INVALID_OPTIONS',
      "hashOptions differ from the store's: the store's hashOptions are the one source of truth; set them on the store only.",
      { details: { option: 'hashOptions' } },
    );
  }
  for (const cost of costs) integerOption(`hashOptions.${cost}`, chosen[cost], 1, 1);
  return chosen;
}

/**
 * Checks the options and fills in the defaults.
 *
 * @param storeHashOptions - The store's `hashOptions`, when it declares them.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad value.
 */
export function resolveApiKeyVerifierOptions(options: ApiKeyVerifierOptions = {}, storeHashOptions?: Readonly<HashOptions>): ResolvedApiKeyVerifierOptions {
  const unscopedKeys = options.unscopedKeys ?? 'full-access';
  if (unscopedKeys !== 'full-access' && unscopedKeys !== 'deny') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'unscopedKeys must be "full-access" or "deny".', { details: { option: 'unscopedKeys' } });
  }
  const onError = options.onError;
  const ownerScopes = options.ownerScopes ?? 'ignore';
  if (ownerScopes !== 'ignore' && ownerScopes !== 'intersect') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'ownerScopes must be "ignore" or "intersect".', { details: { option: 'ownerScopes' } });
  }
  if (options.userScopes !== undefined && typeof options.userScopes?.scopesOf !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'userScopes must come from createUserScopeCache.', { details: { option: 'userScopes' } });
  }
  return {
    prefix: assertKeyPrefix(options.prefix ?? DEFAULT_KEY_PREFIX),
    hashOptions: resolveHashOptions(options.hashOptions, storeHashOptions),
    cacheTtlMs: integerOption('cacheTtlMs', options.cacheTtlMs, 30_000, 0),
    cacheMaxEntries: integerOption('cacheMaxEntries', options.cacheMaxEntries, 10_000, 1),
    negativeCacheTtlMs: integerOption('negativeCacheTtlMs', options.negativeCacheTtlMs, 10_000, 0),
    negativeCacheMaxEntries: integerOption('negativeCacheMaxEntries', options.negativeCacheMaxEntries, 10_000, 1),
    storeTimeoutMs: integerOption('storeTimeoutMs', options.storeTimeoutMs, 5_000, 1),
    maxConcurrentVerifications: integerOption('maxConcurrentVerifications', options.maxConcurrentVerifications, DEFAULT_MAX_CONCURRENT_VERIFICATIONS, 1),
    maxQueuedVerifications: integerOption('maxQueuedVerifications', options.maxQueuedVerifications, 1_000, 0),
    maxConcurrentLookups: integerOption('maxConcurrentLookups', options.maxConcurrentLookups, 16, 1),
    trackLastUsed: options.trackLastUsed ?? false,
    lastUsedIntervalMs: integerOption('lastUsedIntervalMs', options.lastUsedIntervalMs, 60_000, 0),
    unscopedKeys,
    ownerScopes,
    userScopes: options.userScopes,
    watch: options.watch ?? true,
    onError: options.onError ?? defaultOnError,
    onWarning: options.onWarning ?? defaultOnWarning,
    onWatchError: onError === undefined ? undefined : (error) => onError(error, { operation: 'watch' }),
  };
}
