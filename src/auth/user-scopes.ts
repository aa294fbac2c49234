import { assertStoredGrants } from '../store/stored-records';
import type { GroupStore } from '../store/scope-store';
import { callStore } from './cache/call-store';

/**
 * The scopes of a user's groups, for session users and for the group union
 * of JWTs: `store.getUserScopes(userId)` with a deadline, checked to be an
 * array of valid grants before it can reach a principal.
 *
 * @param timeoutMs - Milliseconds the store may take.
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when the store
 *   throws, times out, or returns anything but an array of valid grants.
 */
export async function fetchUserScopes(store: Pick<GroupStore, 'getUserScopes'>, userId: string, timeoutMs: number): Promise<readonly string[]> {
  const scopes = await callStore('getUserScopes', () => store.getUserScopes(userId), timeoutMs);
  return assertStoredGrants(scopes, 'getUserScopes');
}
