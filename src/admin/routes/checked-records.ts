import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import type { ApiKeyRecord, GroupRecord } from '../../store/scope-store';
import { assertStoredGrants } from '../../store/stored-records';

// The admin page reads records back from the store and shows, ticks and
// re-saves their scopes. A record another tool or a custom store wrote can
// hold anything: `scopes: "posts.*"` would show as "* (all scopes), p, o, …"
// and tick the `*` box of the edit form. Such a record fails closed with
// ERR_STORE_UNAVAILABLE (503), as it does on the API's paths.

/**
 * A key record read from the store, its scopes checked to be an array of valid grants.
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` for a malformed record.
 */
export function checkedKey(record: ApiKeyRecord, operation: string): ApiKeyRecord {
  assertStoredGrants(record.scopes, operation, { id: record.id });
  return record;
}

/**
 * A group record read from the store, its scopes checked to be an array of
 * valid grants and its members an array of strings.
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` for a malformed record.
 */
export function checkedGroup(record: GroupRecord, operation: string): GroupRecord {
  assertStoredGrants(record.scopes, operation, { group: record.name });
  const members: unknown = record.members;
  if (!Array.isArray(members) || !members.every((member) => typeof member === 'string')) {
    throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `${operation}: the store returned malformed members; repair or delete the record.`, {
      details: { operation, field: 'members' },
    });
  }
  return record;
}
