import type { ApiKeyRecord, ChangeOptions } from '../scope-store';
import { SYSTEM_ACTOR } from './audit-entry';
import type { AuditAction, AuditEntry, AuditField, AuditFieldChange, AuditTarget, AuditValue } from './audit-entry';

// Builds what a store write records in the audit history. Only the fields
// named here are read from a record, and `ApiKeyRecord` has no secret or
// hash, so no entry can carry one.

/** An audit entry before the store gives it an id and a time. */
export type AuditDraft = Omit<AuditEntry, 'id' | 'at'>;

/** The key fields an audit entry compares, in the order it shows them. */
const KEY_FIELDS = ['name', 'scopes', 'expiresAt', 'ownerId', 'rateLimit', 'revokedAt'] as const satisfies readonly AuditField[];

function dateValue(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

function keyValue(record: ApiKeyRecord, field: (typeof KEY_FIELDS)[number]): AuditValue {
  switch (field) {
    case 'name':
      return record.name;
    case 'scopes':
      return [...record.scopes];
    case 'expiresAt':
      return dateValue(record.expiresAt);
    case 'ownerId':
      return record.ownerId;
    case 'rateLimit':
      return record.rateLimit ?? null;
    case 'revokedAt':
      return dateValue(record.revokedAt);
  }
}

function sameValue(a: AuditValue, b: AuditValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => item === b[index]);
  return a === b;
}

/**
 * The key fields that differ between `before` and `after`; with `before`
 * `null` (a new key), every field the new key sets.
 */
export function diffKeys(before: ApiKeyRecord | null, after: ApiKeyRecord): AuditFieldChange[] {
  const changes: AuditFieldChange[] = [];
  for (const field of KEY_FIELDS) {
    const next = keyValue(after, field);
    const previous = before === null ? null : keyValue(before, field);
    if (before === null ? next !== null : !sameValue(previous, next)) changes.push({ field, before: previous, after: next });
  }
  return changes;
}

/** The lists' change: `null` when they are equal. */
export function diffLists(field: 'scopes' | 'members', before: readonly string[] | null, after: readonly string[] | null): AuditFieldChange | null {
  const a = before === null ? null : [...before].sort();
  const b = after === null ? null : [...after].sort();
  return a !== null && b !== null && sameValue(a, b) ? null : { field, before: a, after: b };
}

/** `updated`, or `expiry-extended` when the write moves an expired key's expiry past `now`. */
export function updateAction(before: ApiKeyRecord, after: ApiKeyRecord, now: Date): AuditAction {
  const wasExpired = before.expiresAt !== null && before.expiresAt.getTime() <= now.getTime();
  const isLive = after.expiresAt === null || after.expiresAt.getTime() > now.getTime();
  return wasExpired && isLive && before.revokedAt === null ? 'expiry-extended' : 'updated';
}

/** The actor an entry records: the caller's, or {@link SYSTEM_ACTOR}. */
export function auditActor(options: ChangeOptions | undefined): string {
  return options?.actor ?? SYSTEM_ACTOR;
}

/** A draft about key `id`. */
export function keyDraft(action: AuditAction, options: ChangeOptions | undefined, id: string, changes: readonly AuditFieldChange[], rotatedTo?: string): AuditDraft {
  const target: AuditTarget = { type: 'apiKey', id };
  return { actor: auditActor(options), action, target, changes, ...(rotatedTo === undefined ? {} : { rotatedTo }) };
}

/** A draft about group `name`. */
export function groupDraft(action: AuditAction, options: ChangeOptions | undefined, name: string, changes: readonly (AuditFieldChange | null)[]): AuditDraft {
  return {
    actor: auditActor(options),
    action,
    target: { type: 'group', name },
    changes: changes.filter((change): change is AuditFieldChange => change !== null),
  };
}

/** The action of a new key: `imported` when the caller says so (`ChangeOptions.auditAction`), else `created`. */
export function creationAction(options: ChangeOptions | undefined): AuditAction {
  return options?.auditAction === 'imported' ? 'imported' : 'created';
}

/**
 * The strings an entry is found by: `apiKey:<id>` or `group:<name>` for its
 * target, and the new key of a rotation. Stores index these.
 */
export function auditSubjects(draft: Pick<AuditDraft, 'target' | 'rotatedTo'>): string[] {
  const subjects = [targetSubject(draft.target)];
  if (draft.rotatedTo !== undefined) subjects.push(targetSubject({ type: 'apiKey', id: draft.rotatedTo }));
  return subjects;
}

/** A target as one string: `apiKey:<id>` or `group:<name>`. */
export function targetSubject(target: AuditTarget): string {
  return target.type === 'apiKey' ? `apiKey:${target.id}` : `group:${target.name}`;
}
