import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { assertKeyPrefix } from '../keys/api-key-format';
import { inspectImportedHash } from '../keys/imported-hash';
import type { ApiKeyRecord, ImportApiKeyInput } from './scope-store';
import { assertExpiresAt, assertGrants, assertKeyId, assertKeyName, assertOwnerId, assertRateLimit } from './store-input';

function invalid(field: string, message: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_INPUT', `importApiKey: ${message}`, { details: { field } });
}

function assertDate(field: string, value: unknown, nullable: boolean): Date | null {
  if (value === null && nullable) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw invalid(field, `${field} must be a valid Date${nullable ? ' or null' : ''}.`);
  return new Date(value.getTime());
}

/**
 * The store-independent half of `importApiKey`: checks every field and the
 * hash (family, shape, cost bounds) before any write, and returns the record
 * to insert. Messages never quote the hash.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field`), `ERR_INVALID_SCOPE`.
 */
export function prepareImportedKey(input: ImportApiKeyInput): { readonly record: ApiKeyRecord; readonly hash: string } {
  if (typeof input !== 'object' || input === null) throw invalid('input', 'takes an object { id, prefix, name, hash, scopes, createdAt, expiresAt, revokedAt }.');
  const inspection = inspectImportedHash(input.hash);
  if (!inspection.ok) throw invalid('hash', `the hash is refused: ${inspection.reason}.`);
  let prefix: string;
  try {
    prefix = assertKeyPrefix(input.prefix);
  } catch (error) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'importApiKey: prefix must be 2–16 lower-case letters and digits.', { details: { field: 'prefix' }, cause: error });
  }
  const record: ApiKeyRecord = {
    id: assertKeyId(input.id),
    name: assertKeyName(input.name),
    prefix,
    scopes: assertGrants(input.scopes),
    createdAt: assertDate('createdAt', input.createdAt, false) as Date,
    expiresAt: assertExpiresAt(input.expiresAt ?? null),
    revokedAt: assertDate('revokedAt', input.revokedAt ?? null, true),
    lastUsedAt: null,
    ownerId: assertOwnerId(input.ownerId ?? null),
    rotatedFrom: null,
    rateLimit: assertRateLimit(input.rateLimit ?? null),
  };
  return { record, hash: input.hash };
}
