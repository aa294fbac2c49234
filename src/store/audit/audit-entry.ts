/**
 * What an audit entry records: `created`, `updated` (name, expiry, owner or
 * scopes), `rotated`, `revoked`, `expiry-extended` (an expired key given a
 * later expiry), `imported` (a key brought from another system) for keys;
 * `group-saved`, `member-added`, `member-removed`, `deleted` for groups.
 */
export type AuditAction =
  | 'created'
  | 'imported'
  | 'updated'
  | 'rotated'
  | 'revoked'
  | 'expiry-extended'
  | 'group-saved'
  | 'member-added'
  | 'member-removed'
  | 'deleted';

/** Every {@link AuditAction}, in the order the admin page lists them. */
export const AUDIT_ACTIONS: readonly AuditAction[] = Object.freeze([
  'created',
  'imported',
  'updated',
  'rotated',
  'revoked',
  'expiry-extended',
  'group-saved',
  'member-added',
  'member-removed',
  'deleted',
]);

/** What an audit entry is about: an API key (by id) or a group (by name). */
export type AuditTarget = { readonly type: 'apiKey'; readonly id: string } | { readonly type: 'group'; readonly name: string };

/**
 * The fields an audit entry may show before and after a change. There is no
 * field for a secret or a hash: an entry cannot carry one.
 */
export type AuditField = 'name' | 'scopes' | 'expiresAt' | 'ownerId' | 'rateLimit' | 'revokedAt' | 'member' | 'members';

/** Every {@link AuditField}. */
export const AUDIT_FIELDS: readonly AuditField[] = Object.freeze(['name', 'scopes', 'expiresAt', 'ownerId', 'rateLimit', 'revokedAt', 'member', 'members']);

/** A field's value in an audit entry: text, a sorted list, or `null` (none, never). Dates are ISO 8601 strings. */
export type AuditValue = string | readonly string[] | null;

/** One changed field. */
export interface AuditFieldChange {
  readonly field: AuditField;
  readonly before: AuditValue;
  readonly after: AuditValue;
}

/** The actor of writes made without one (`ChangeOptions.actor` absent). */
export const SYSTEM_ACTOR = 'system';

/**
 * One entry of the audit history. Entries are append-only: no store method
 * edits or deletes them; they leave only through the retention
 * (`auditRetentionMs`).
 */
export interface AuditEntry {
  /** The entry's id: opaque, unique, and the cursor of the next page (`ListAuditOptions.after`). */
  readonly id: string;
  /** When the write happened (the writing process's clock). */
  readonly at: Date;
  /** Who made it: `ChangeOptions.actor` (`apiKey:…`, `cli:alice`), or {@link SYSTEM_ACTOR}. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly target: AuditTarget;
  /** The fields that changed, before and after. Empty when the write changed nothing (an idempotent revoke). */
  readonly changes: readonly AuditFieldChange[];
  /** On `rotated`: the new key's id. Its history lists the entry too. */
  readonly rotatedTo?: string;
}

/** Options of `listAuditEntries`: filters and a page. */
export interface ListAuditOptions {
  /** Keeps the entries of this actor (exact match). Default: every actor. */
  actor?: string;
  /** Keeps the entries about this key or group (for a key, also the rotation that made it). Default: every target. */
  target?: AuditTarget;
  /** Keeps the entries at or after this time. Default: the whole retention. */
  since?: Date;
  /** The most entries returned, 1–1000. Default 50. */
  limit?: number;
  /** An entry id: the page starts after this entry (newest first). Default: from the newest. */
  after?: string;
}

/** Reading the audit history. There is no method to write, edit or delete entries. */
export interface AuditLogSource {
  /**
   * Audit entries, newest first (keyset pagination: pass the last entry's
   * `id` as `after`). Entries older than the retention are never returned.
   *
   * @throws `ERR_INVALID_INPUT` for a bad filter, limit or cursor; `ERR_NOT_FOUND` when `after` names no entry.
   */
  listAuditEntries(options?: ListAuditOptions): Promise<AuditEntry[]>;
}
