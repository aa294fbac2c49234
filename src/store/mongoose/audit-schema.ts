import { Schema } from 'mongoose';
import type { Model, Types } from 'mongoose';

/**
 * One entry of the audit history, as stored in MongoDB (`scoped_audit`).
 * Entries carry ids, names, scopes, dates and user ids, never a secret or a hash.
 */
export interface ScopedAuditFields {
  _id: Types.ObjectId;
  /** When the write happened (the writing process's clock). */
  at: Date;
  actor: string;
  /** An `AuditAction`. */
  action: string;
  targetType: 'apiKey' | 'group';
  /** The key's id or the group's name. */
  target: string;
  /** `apiKey:<id>` / `group:<name>` of the target, and of the new key of a rotation: what `target` filters match. */
  subjects: string[];
  /** `{ field, before, after }` objects. */
  changes: unknown[];
  /** The new key's id, on `rotated`. */
  rotatedTo?: string;
}

/** The type of the `ScopedAudit` model. */
export type ScopedAuditModel = Model<ScopedAuditFields>;

/** The index that serves the Activity page's newest-first pages (and the retention's deletes). */
export const AUDIT_NEWEST_INDEX = 'scoped_audit_newest';

/** The index that serves pages filtered by actor. */
export const AUDIT_ACTOR_INDEX = 'scoped_audit_actor';

/** The index that serves a key's or group's history. */
export const AUDIT_TARGET_INDEX = 'scoped_audit_target';

/**
 * The Mongoose schema of the audit history, with three named indexes, each
 * ending in the list's order `(at, _id)` descending so that a page is an
 * index walk: {@link AUDIT_NEWEST_INDEX}, {@link AUDIT_ACTOR_INDEX},
 * {@link AUDIT_TARGET_INDEX}. Writers delete entries older than the store's
 * `auditRetentionMs` (FerretDB has no TTL indexes).
 */
export const auditSchema: Schema<ScopedAuditFields, ScopedAuditModel> = new Schema<ScopedAuditFields, ScopedAuditModel>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    target: { type: String, required: true },
    subjects: { type: [String], required: true },
    changes: { type: [Schema.Types.Mixed], default: [] },
    rotatedTo: { type: String },
  },
  { versionKey: false },
);
auditSchema.index({ at: -1, _id: -1 }, { name: AUDIT_NEWEST_INDEX });
auditSchema.index({ actor: 1, at: -1, _id: -1 }, { name: AUDIT_ACTOR_INDEX });
auditSchema.index({ subjects: 1, at: -1, _id: -1 }, { name: AUDIT_TARGET_INDEX });
