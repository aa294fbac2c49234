import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { ReadOnlyScopeSet } from '../../principal/read-only-set';
import type { ChangeWatchMode, GroupStore } from '../../store/scope-store';
import { assertUserId } from '../../store/store-input';
import { ConcurrencyLimiter } from '../cache/concurrency-limiter';
import { followChanges } from '../cache/follow-changes';
import type { ChangeFollowingStore, FollowedChanges } from '../cache/follow-changes';
import { InvalidatingCache } from '../cache/invalidating-cache';
import { SingleFlight } from '../cache/single-flight';
import { fetchUserScopes } from '../user-scopes';
import { resolveUserScopeCacheOptions } from './user-scope-cache-options';
import type { ResolvedUserScopeCacheOptions, UserScopeCacheOptions } from './user-scope-cache-options';

/** What the user scope cache reads: `getUserScopes`, and the change sources it follows. Every `ScopeStore` has them. */
export type UserScopeStore = Pick<GroupStore, 'getUserScopes'> & ChangeFollowingStore;

/** Counters of a {@link UserScopeCache}, totals since it was created. */
export interface UserScopeCacheStats {
  /** Answers from the cache. */
  readonly hits: number;
  /** `getUserScopes` calls made. */
  readonly storeLookups: number;
  /** Lookups that joined one already in flight for the same user. */
  readonly singleFlightJoins: number;
  /** Users cached now. */
  readonly size: number;
}

/**
 * The group scopes of users (`store.getUserScopes`), cached per user id.
 * Made by {@link createUserScopeCache}; shared by the JWT verifier, the
 * session users of `createScopedContext` and owner-bound API keys.
 */
export interface UserScopeCache {
  /**
   * The cached scopes of `userId`, or `undefined` when they must be loaded.
   * Synchronous, for the warm path. The set is shared and read-only; the
   * same set object is returned until the user's entry is invalidated, so
   * callers may key derived values on its identity.
   */
  peek(userId: string): ReadonlySet<string> | undefined;
  /**
   * The scopes of `userId`, from the cache or the store.
   *
   * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` for a bad user
   *   id; `ERR_STORE_UNAVAILABLE` when the store throws, times out or answers
   *   with something that is not a list of grants; `ERR_OVERLOADED` when too
   *   many lookups wait.
   */
  scopesOf(userId: string): Promise<ReadonlySet<string>>;
  /** Forgets the scopes of these users (done automatically on group changes). */
  evict(userIds: Iterable<string>): void;
  /** Forgets every user. */
  clear(): void;
  /** A snapshot of the counters. */
  stats(): UserScopeCacheStats;
  /** How changes reach the cache, once its subscription runs (`'none'` for a store without change sources). */
  readonly ready: Promise<ChangeWatchMode | 'none'>;
  /** Ends the change subscription (and with the last one, the store's watcher) and clears the cache. */
  dispose(): Promise<void>;
}

class CachingUserScopes implements UserScopeCache {
  private readonly options: ResolvedUserScopeCacheOptions;
  private readonly cache: InvalidatingCache<ReadonlySet<string>>;
  private readonly flights = new SingleFlight<ReadonlySet<string>>();
  private readonly limiter: ConcurrencyLimiter;
  private readonly followed: FollowedChanges;
  private readonly counters = { hits: 0, storeLookups: 0 };
  private disposed = false;

  constructor(
    private readonly store: UserScopeStore,
    options: UserScopeCacheOptions | undefined,
  ) {
    this.options = resolveUserScopeCacheOptions(options);
    this.cache = new InvalidatingCache(this.options.groupCacheMaxEntries);
    this.limiter = new ConcurrencyLimiter(this.options.maxConcurrentLookups, this.options.maxQueuedLookups);
    this.followed = followChanges(store, { users: (userIds) => this.evict(userIds), reset: () => this.clear() }, { watch: this.options.watch, onError: this.options.onError });
  }

  get ready(): Promise<ChangeWatchMode | 'none'> {
    return this.followed.ready;
  }

  peek(userId: string): ReadonlySet<string> | undefined {
    const scopes = this.cache.get(userId);
    if (scopes !== undefined) this.counters.hits += 1;
    return scopes;
  }

  scopesOf(userId: string): Promise<ReadonlySet<string>> {
    const cached = this.peek(userId);
    if (cached !== undefined) return Promise.resolve(cached);
    let id: string;
    try {
      id = assertUserId(userId);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.flights.run(id, id, () => this.load(id));
  }

  evict(userIds: Iterable<string>): void {
    for (const userId of userIds) {
      this.cache.invalidate(userId);
      this.flights.forget(userId);
    }
  }

  clear(): void {
    this.cache.clear();
    this.flights.clear();
  }

  stats(): UserScopeCacheStats {
    return { ...this.counters, singleFlightJoins: this.flights.joins, size: this.cache.size };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.followed.dispose();
    this.clear();
  }

  private async load(userId: string): Promise<ReadonlySet<string>> {
    const generation = this.cache.generation;
    this.counters.storeLookups += 1;
    // Checked on the way out of the store: only a list of valid grants becomes a scope set.
    const scopes = await this.limiter.run(() => fetchUserScopes(this.store, userId, this.options.storeTimeoutMs));
    const set = new ReadOnlyScopeSet(scopes);
    if (!this.disposed) this.cache.setIfCurrent(generation, userId, userId, set, this.options.groupCacheTtlMs);
    return set;
  }
}

/**
 * Creates the cache of users' group scopes that `createScopedContext`
 * builds for you (pass one as `userScopes` to share it between verifiers).
 *
 * - Results are cached per user id for `groupCacheTtlMs` (LRU of
 *   `groupCacheMaxEntries`); a warm lookup makes no store query.
 * - Concurrent lookups of one user share one `getUserScopes` call, and at
 *   most `maxConcurrentLookups` calls are in flight.
 * - Group changes (`saveGroup`, `deleteGroup`, `addGroupMember`,
 *   `removeGroupMember`) evict the users they concern: at once when made
 *   through the same store object, and within the store's poll interval
 *   when made by another process (`store.watchChanges`).
 * - A failing store is `ERR_STORE_UNAVAILABLE`, never an empty scope set.
 *
 * @example
 * ```ts
 * const userScopes = createUserScopeCache(store, { groupCacheTtlMs: 60_000 });
 * const scopes = await userScopes.scopesOf('user-42');
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad option or a store without `getUserScopes`.
 */
export function createUserScopeCache(store: UserScopeStore, options?: UserScopeCacheOptions): UserScopeCache {
  if (typeof store?.getUserScopes !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createUserScopeCache needs a store with getUserScopes.', { details: { option: 'store' } });
  }
  return new CachingUserScopes(store, options);
}
