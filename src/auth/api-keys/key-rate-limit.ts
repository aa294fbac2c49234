import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { parseRate } from '../../rate-limit/parse-rate';
import type { ApiKeyCredential } from '../../store/scope-store';

/**
 * The rate limit of a stored key, checked: `null` for none, else a rate
 * string. A malformed one read back from a store is a broken store, never
 * "no limit".
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` for a value that is not a rate string.
 */
export function rateLimitOfKey(credential: ApiKeyCredential): string | null {
  const { rateLimit } = credential.apiKey;
  if (rateLimit === null || rateLimit === undefined) return null;
  try {
    parseRate(rateLimit);
    return rateLimit;
  } catch (cause) {
    throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'findApiKeyCredential returned a key with a malformed rateLimit.', {
      details: { operation: 'findApiKeyCredential', id: credential.apiKey.id, field: 'rateLimit' },
      cause,
    });
  }
}
