import type { ApiKeyCredentialStore, ChangeWatchMode, ChangeWatchSource, ScopeChangeSource, WatchedChange } from '../../store/scope-store';

/**
 * The change sources a cache can follow, best first: `watchChanges`
 * (changes from every process), `onChange` (this store object's), or
 * `onApiKeyChange` (this store object's key changes). Every `ScopeStore` has
 * all three; a store with none is followed by TTL alone.
 */
export type ChangeFollowingStore = Partial<ChangeWatchSource & ScopeChangeSource & Pick<ApiKeyCredentialStore, 'onApiKeyChange'>>;

/** What a cache drops when the store reports a change. */
export interface Invalidation {
  /** A key was revoked, rescoped, renamed, re-dated or rotated. */
  readonly apiKey?: (id: string) => void;
  /** The group scopes of these users may have changed. */
  readonly users?: (userIds: readonly string[]) => void;
  /** Anything may have changed (the watcher may have missed changes). */
  readonly reset: () => void;
}

/** Options of {@link followChanges}. */
export interface FollowChangesOptions {
  /** Use `watchChanges` when the store has it. `false` follows this store object's own changes only. */
  readonly watch: boolean;
  /** Receives the watcher's failures. */
  readonly onError?: (error: Error) => void;
}

/** A cache's subscription to store changes. */
export interface FollowedChanges {
  /** How changes arrive, once known: `'none'` when the store offers no change source. */
  readonly ready: Promise<ChangeWatchMode | 'none'>;
  /** Ends the subscription. Idempotent. */
  dispose(): Promise<void>;
}

function dispatch(change: WatchedChange, invalidation: Invalidation): void {
  if (change.type === 'apiKey') {
    // A new key is in no cache; every other action may change what a cached key grants.
    if (change.action !== 'created') invalidation.apiKey?.(change.id);
  } else if (change.type === 'group') {
    invalidation.users?.(change.userIds);
  } else {
    // A reset, or a kind of change this version does not know: drop everything.
    invalidation.reset();
  }
}

/**
 * Subscribes a cache to a store's changes: the one mechanism by which the
 * key, group and owner caches learn that an entry went stale. A listener
 * that throws is caught by the store and reported as a process warning.
 */
export function followChanges(store: ChangeFollowingStore, invalidation: Invalidation, options: FollowChangesOptions): FollowedChanges {
  const listener = (change: WatchedChange): void => dispatch(change, invalidation);
  if (options.watch && typeof store.watchChanges === 'function') {
    const watch = store.watchChanges(listener, options.onError === undefined ? {} : { onError: options.onError });
    return { ready: watch.ready, dispose: () => watch.dispose() };
  }
  let unsubscribe: (() => void) | undefined;
  let mode: ChangeWatchMode | 'none' = 'in-process';
  if (typeof store.onChange === 'function') unsubscribe = store.onChange(listener);
  else if (invalidation.apiKey !== undefined && typeof store.onApiKeyChange === 'function') unsubscribe = store.onApiKeyChange(invalidation.apiKey);
  else mode = 'none';
  return {
    ready: Promise.resolve(mode),
    dispose: async () => {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
