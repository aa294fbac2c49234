import { DRF_PREFIX_PATTERN, IMPORTED_KEY_PREFIX, importedKeyId } from '../../keys/imported-key-format';
import { type ImportLine, readDate, readObject } from './import-line';

/**
 * Reads one line of a `drf-api-key` import file: a row of
 * djangorestframework-api-key's `APIKey` (or drf-scoped-permissions'
 * `ScopedAPIKey`) table as JSON, with the model's own field names:
 * `prefix`, `hashed_key`, `name`, `created`, `expiry_date` (or null),
 * `revoked` and, for `ScopedAPIKey`, `scopes`. Without `scopes` the key is
 * imported as a legacy unrestricted key, as drf-scoped-permissions'
 * `migrate_api_keys` does. A revoked key is imported revoked (now).
 * Other fields (`id`) are ignored.
 */
export function parseDrfApiKeyLine(line: string, now: Date): ImportLine {
  const row = readObject(line);
  if (typeof row === 'string') return { ok: false, reason: row };
  const { prefix, hashed_key: hash, name, revoked, scopes } = row;
  if (typeof prefix !== 'string' || !DRF_PREFIX_PATTERN.test(prefix)) return { ok: false, reason: 'prefix must be 8 letters and digits' };
  if (typeof hash !== 'string') return { ok: false, reason: 'hashed_key is missing' };
  if (name !== undefined && name !== null && typeof name !== 'string') return { ok: false, reason: 'name must be a string' };
  if (typeof revoked !== 'boolean') return { ok: false, reason: 'revoked must be true or false' };
  if (scopes !== undefined && scopes !== null && (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string'))) {
    return { ok: false, reason: 'scopes must be a list of strings' };
  }
  const createdAt = readDate(row, 'created', false);
  if (typeof createdAt === 'string') return { ok: false, reason: createdAt };
  const expiresAt = readDate(row, 'expiry_date', true);
  if (typeof expiresAt === 'string') return { ok: false, reason: expiresAt };
  const trimmed = typeof name === 'string' ? name.trim() : '';
  return {
    ok: true,
    input: {
      id: importedKeyId(prefix),
      prefix: IMPORTED_KEY_PREFIX,
      name: trimmed === '' ? `imported drf key ${prefix}` : trimmed,
      hash,
      scopes: (scopes ?? []) as string[],
      createdAt: createdAt as Date,
      expiresAt,
      revokedAt: revoked ? now : null,
    },
  };
}
