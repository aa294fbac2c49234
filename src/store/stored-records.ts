import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { isGrant } from '../scopes/scope-grammar';
import type { ApiKeyCredential } from './scope-store';

// Checks on what comes OUT of a store, at the boundary where stored data
// becomes a principal. A store is trusted to be available, not to be well
// formed: a record written by another tool, a migration or a custom store
// can hold anything. `scopes: "posts.*"` must never become the grants
// p, o, s, t, "." and "*". Anything malformed fails closed with
// `ERR_STORE_UNAVAILABLE` (503), and no message echoes a stored value.

function corrupt(operation: string, field: string, details: Readonly<Record<string, unknown>> = {}): ScopedPermissionsError {
  // Key ids and group names are public: name the record, so it can be found and repaired.
  const record = typeof details.id === 'string' ? ` of API key ${details.id}` : typeof details.group === 'string' ? ` of group ${JSON.stringify(details.group.slice(0, 100))}` : '';
  return new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `${operation}: the store returned a malformed ${field}${record}; repair or delete the record.`, {
    details: { operation, field, ...details },
  });
}

/**
 * Checks a scope list read back from a store: an array whose every entry is
 * a valid grant (`posts.read`, `posts.*`, `*.read`, `*`).
 *
 * @param operation - The store method it came from, for the error.
 * @param details - What to name in the error, for example `{ group: 'Editors' }`; never a secret.
 * @returns The same array, typed.
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` (`details.field` is `'scopes'`)
 *   for a string, an object, or an array holding anything but valid grants.
 */
export function assertStoredGrants(value: unknown, operation: string, details?: Readonly<Record<string, unknown>>): readonly string[] {
  if (!Array.isArray(value)) throw corrupt(operation, 'scopes', details);
  for (const grant of value as unknown[]) if (!isGrant(grant)) throw corrupt(operation, 'scopes', details);
  return value as readonly string[];
}

function isDateOrNull(value: unknown): value is Date | null {
  return value === null || (value instanceof Date && Number.isFinite(value.getTime()));
}

/**
 * Checks what `findApiKeyCredential(id)` returned before the verifier reads
 * it: `null`, or a credential for that very id whose name and prefix are
 * strings, whose hash is a non-empty string, whose `expiresAt` and
 * `revokedAt` are valid dates or `null`, and whose scopes pass
 * {@link assertStoredGrants}.
 *
 * @returns The credential, typed.
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` naming the first malformed field (never its value).
 */
export function assertStoredCredential(value: unknown, id: string): ApiKeyCredential | null {
  const operation = 'findApiKeyCredential';
  if (value === null) return null;
  const details = { id };
  if (typeof value !== 'object') throw corrupt(operation, 'credential', details);
  const { apiKey, hash } = value as { apiKey?: unknown; hash?: unknown };
  if (typeof hash !== 'string' || hash.length === 0) throw corrupt(operation, 'hash', details);
  if (typeof apiKey !== 'object' || apiKey === null) throw corrupt(operation, 'apiKey', details);
  const record = apiKey as Record<string, unknown>;
  if (record.id !== id) throw corrupt(operation, 'id', details);
  for (const field of ['name', 'prefix'] as const) if (typeof record[field] !== 'string') throw corrupt(operation, field, details);
  for (const field of ['expiresAt', 'revokedAt'] as const) if (!isDateOrNull(record[field])) throw corrupt(operation, field, details);
  assertStoredGrants(record.scopes, operation, details);
  return value as ApiKeyCredential;
}
