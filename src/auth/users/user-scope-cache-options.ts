import { integerOption } from '../../errors/integer-option';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';

/** Options of `createUserScopeCache`. Every duration is in milliseconds. */
export interface UserScopeCacheOptions {
  /**
   * How long a user's group scopes are cached. Group changes made through
   * the same store object evict at once, those made by another process
   * within the store's poll interval; this is the bound when the store's
   * watcher is down. `0` disables the cache. Default 30000.
   */
  groupCacheTtlMs?: number;
  /** The most users cached (LRU). Default 10000. */
  groupCacheMaxEntries?: number;
  /** The most `getUserScopes` calls in flight. Default 16. */
  maxConcurrentLookups?: number;
  /** The most lookups waiting for a slot; beyond that, `ERR_OVERLOADED`. Default 1000. */
  maxQueuedLookups?: number;
  /** How long to wait for the store before `ERR_STORE_UNAVAILABLE`. Default 5000. */
  storeTimeoutMs?: number;
  /**
   * Follow changes made by other processes through `store.watchChanges`,
   * when the store has it. `false` follows this store object's own changes
   * only (`onChange`). Default `true`.
   */
  watch?: boolean;
  /** Receives the change watcher's failures. Must not throw. Default: a process warning. */
  onError?: (error: Error) => void;
}

/** {@link UserScopeCacheOptions} with the defaults filled in. */
export interface ResolvedUserScopeCacheOptions {
  readonly groupCacheTtlMs: number;
  readonly groupCacheMaxEntries: number;
  readonly maxConcurrentLookups: number;
  readonly maxQueuedLookups: number;
  readonly storeTimeoutMs: number;
  readonly watch: boolean;
  readonly onError: ((error: Error) => void) | undefined;
}

/**
 * Checks the options and fills in the defaults.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad value.
 */
export function resolveUserScopeCacheOptions(options: UserScopeCacheOptions = {}): ResolvedUserScopeCacheOptions {
  if (typeof options !== 'object' || options === null) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'User scope cache options must be an object.');
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'onError must be a function.', { details: { option: 'onError' } });
  }
  return {
    groupCacheTtlMs: integerOption('groupCacheTtlMs', options.groupCacheTtlMs, 30_000, 0),
    groupCacheMaxEntries: integerOption('groupCacheMaxEntries', options.groupCacheMaxEntries, 10_000, 1),
    maxConcurrentLookups: integerOption('maxConcurrentLookups', options.maxConcurrentLookups, 16, 1),
    maxQueuedLookups: integerOption('maxQueuedLookups', options.maxQueuedLookups, 1_000, 0),
    storeTimeoutMs: integerOption('storeTimeoutMs', options.storeTimeoutMs, 5_000, 1),
    watch: options.watch ?? true,
    onError: options.onError,
  };
}
