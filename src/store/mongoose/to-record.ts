import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import type { ApiKeyRecord, GroupRecord } from '../scope-store';
import { assertStoredGrants } from '../stored-records';
import { isGrant } from '../../scopes/scope-grammar';
import { parseRate } from '../../rate-limit/parse-rate';

function isRate(value: unknown): boolean {
  try {
    parseRate(value as string);
    return true;
  } catch {
    return false;
  }
}

/** The stored fields of a key that a record needs (`hash` is not among them). */
export interface ApiKeyRecordSource {
  keyId: string;
  name: string;
  prefix: string;
  scopes?: readonly string[] | null;
  createdAt: Date;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
  ownerId?: string | null;
  rotatedFrom?: string | null;
  rateLimit?: string | null;
}

/** The stored fields of a group that a record needs. */
export interface GroupRecordSource {
  name: string;
  scopes?: readonly string[] | null;
  members?: readonly string[] | null;
  createdAt: Date;
  updatedAt: Date;
}

function copyDate(date: Date | null | undefined): Date | null {
  return date instanceof Date ? new Date(date.getTime()) : null;
}

/**
 * The grants of a lean document (`lean()` does not cast): absent or `null`
 * as `[]`, else checked with `assertStoredGrants`.
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` for a string, an object or an invalid grant.
 */
export function storedScopes(scopes: unknown, operation: string, details: Readonly<Record<string, unknown>>): string[] {
  return scopes == null ? [] : [...assertStoredGrants(scopes, operation, details)].sort();
}

/**
 * A fresh {@link ApiKeyRecord} from a lean document: copied arrays and dates, absent dates as `null`.
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when its scopes are not an array of valid grants.
 */
export function toApiKeyRecord(doc: ApiKeyRecordSource): ApiKeyRecord {
  return {
    id: doc.keyId,
    name: doc.name,
    prefix: doc.prefix,
    scopes: storedScopes(doc.scopes, 'readApiKey', { id: doc.keyId }),
    createdAt: new Date(doc.createdAt.getTime()),
    expiresAt: copyDate(doc.expiresAt),
    revokedAt: copyDate(doc.revokedAt),
    lastUsedAt: copyDate(doc.lastUsedAt),
    ownerId: typeof doc.ownerId === 'string' ? doc.ownerId : null,
    rotatedFrom: typeof doc.rotatedFrom === 'string' ? doc.rotatedFrom : null,
    rateLimit: typeof doc.rateLimit === 'string' ? doc.rateLimit : null,
  };
}

/**
 * A fresh {@link GroupRecord} from a lean document, members sorted.
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when its scopes are not an array of valid grants.
 */
export function toGroupRecord(doc: GroupRecordSource): GroupRecord {
  return {
    name: doc.name,
    scopes: storedScopes(doc.scopes, 'readGroup', { group: doc.name }),
    members: [...(doc.members ?? [])].sort(),
    createdAt: new Date(doc.createdAt.getTime()),
    updatedAt: new Date(doc.updatedAt.getTime()),
  };
}

/**
 * The first field of a stored key that the verifier cannot trust, or
 * `undefined`: `revokedAt` and `expiresAt` must be absent, `null` or a valid
 * `Date`; `scopes` absent, `null` or an array of valid grants; `ownerId` absent,
 * `null` or a string (read as "no owner", a corrupt owner would free the key
 * from its owner's scopes); `rateLimit` absent, `null` or a rate string
 * (a corrupt one would free the key from its limit).
 */
export function corruptCredentialField(doc: {
  readonly revokedAt?: unknown;
  readonly expiresAt?: unknown;
  readonly scopes?: unknown;
  readonly ownerId?: unknown;
  readonly rateLimit?: unknown;
}): 'revokedAt' | 'expiresAt' | 'scopes' | 'ownerId' | 'rateLimit' | undefined {
  for (const field of ['revokedAt', 'expiresAt'] as const) {
    const value = doc[field];
    if (value != null && !(value instanceof Date && Number.isFinite(value.getTime()))) return field;
  }
  const scopes = doc.scopes;
  if (scopes != null && !(Array.isArray(scopes) && scopes.every(isGrant))) return 'scopes';
  if (doc.ownerId != null && typeof doc.ownerId !== 'string') return 'ownerId';
  if (doc.rateLimit != null && !isRate(doc.rateLimit)) return 'rateLimit';
  return undefined;
}

/**
 * Refuses a stored key that {@link corruptCredentialField} finds corrupt,
 * before anything trusts it: verifying it, or copying its state into a
 * successor (`rotateApiKey`), which would otherwise drop the corrupt field
 * (an expired key rolled into one that never expires, an owner-bound key
 * freed, a limited key unlimited).
 *
 * @param operation - The store method, named in the error.
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` naming the key and the field, never its value.
 */
export function assertTrustedKey(doc: Parameters<typeof corruptCredentialField>[0] & { readonly keyId: string }, operation: string): void {
  const corrupt = corruptCredentialField(doc);
  if (corrupt === undefined) return;
  // `lean()` does not cast: a revokedAt or expiresAt written by another tool as a
  // string or number would otherwise read as "never", and a revoked key would work.
  throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `${operation}: API key ${JSON.stringify(doc.keyId)} has an invalid ${corrupt}.`, {
    details: { operation, id: doc.keyId, field: corrupt },
  });
}
