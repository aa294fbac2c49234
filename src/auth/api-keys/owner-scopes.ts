import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import type { ApiKeyCredential } from '../../store/scope-store';
import { assertUserId } from '../../store/store-input';
import { createUserScopeCache } from '../users/user-scope-cache';
import type { UserScopeCache, UserScopeStore } from '../users/user-scope-cache';
import type { ApiKeyVerifierStore } from './api-key-maintenance';
import type { ApiKeyVerification } from './api-key-verification';
import type { ResolvedApiKeyVerifierOptions } from './api-key-verifier-options';
import type { VerifiedKey } from './verified-key';

/** The owner id of a stored key, checked: a malformed one read back from a store is a broken store, never "no owner". */
export function ownerOf(credential: ApiKeyCredential): string | null {
  const { ownerId } = credential.apiKey;
  if (ownerId === null || ownerId === undefined) return null;
  try {
    return assertUserId(ownerId);
  } catch (cause) {
    throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'findApiKeyCredential returned a key with a malformed ownerId.', {
      details: { operation: 'findApiKeyCredential', id: credential.apiKey.id, field: 'ownerId' },
      cause,
    });
  }
}

function hasUserScopes(store: ApiKeyVerifierStore): store is ApiKeyVerifierStore & UserScopeStore {
  return typeof store.getUserScopes === 'function';
}

/**
 * `ownerScopes: 'intersect'`: the answers of owner-bound keys, bounded by
 * their owners' group scopes from a user scope cache (the one passed as
 * `userScopes`, or one made here on the verifier's store).
 */
export class OwnerScopes {
  private constructor(
    private readonly owners: UserScopeCache,
    private readonly ownsCache: boolean,
  ) {}

  /**
   * The owner scopes of a verifier, or `undefined` under `ownerScopes: 'ignore'`.
   *
   * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for `'intersect'` with neither `userScopes` nor a store with `getUserScopes`.
   */
  static of(store: ApiKeyVerifierStore, options: ResolvedApiKeyVerifierOptions): OwnerScopes | undefined {
    if (options.ownerScopes !== 'intersect') return undefined;
    if (options.userScopes !== undefined) return new OwnerScopes(options.userScopes, false);
    if (!hasUserScopes(store)) {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'ownerScopes "intersect" needs a store with getUserScopes, or a userScopes cache.', {
        details: { option: 'ownerScopes' },
      });
    }
    const onError = options.onWatchError;
    const cache = createUserScopeCache(store, {
      storeTimeoutMs: options.storeTimeoutMs,
      groupCacheTtlMs: options.cacheTtlMs,
      watch: options.watch,
      ...(onError === undefined ? {} : { onError }),
    });
    return new OwnerScopes(cache, true);
  }

  /** The key's answer: its own for a key without an owner, else the grants its owner's groups also hold. */
  answer(key: VerifiedKey): ApiKeyVerification | Promise<ApiKeyVerification> {
    if (key.ownerId === null) return key.result;
    const ownerScopes = this.owners.peek(key.ownerId);
    if (ownerScopes !== undefined) return key.boundedBy(ownerScopes);
    return this.owners.scopesOf(key.ownerId).then((scopes) => key.boundedBy(scopes));
  }

  /** Disposes the cache when it was made here. */
  async dispose(): Promise<void> {
    if (this.ownsCache) await this.owners.dispose();
  }
}
