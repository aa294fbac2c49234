import { Types } from 'mongoose';
import type { AuditEntry, ListAuditOptions } from '../audit/audit-entry';
import { auditSubjects, targetSubject } from '../audit/audit-draft';
import type { AuditDraft } from '../audit/audit-draft';
import { assertAuditListOptions } from '../audit/audit-input';
import { notFoundError } from '../store-input';
import type { ScopedAuditFields, ScopedAuditModel } from './audit-schema';
import { readAuditEntry } from './read-audit-entry';
import { storeCall } from './store-error';

const CURSOR = /^[0-9a-f]{24}$/;

/** The longest pause between two retention deletes, in milliseconds (1 hour). */
const MAX_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The audit history of a `MongooseScopeStore`: one `insertOne` per store
 * write, and pages read along a named index.
 */
export class MongooseAuditLog {
  private lastPruneMs = 0;

  constructor(
    private readonly model: ScopedAuditModel,
    private readonly retentionMs: number,
  ) {}

  /**
   * Appends an entry stamped now. Never rejects: the write it records is
   * done already, so a failure is reported as a process warning
   * (`GSP_AUDIT_LOG`) rather than as a failed write. Now and then (at most
   * hourly) it deletes the entries past the retention, in the background.
   */
  async append(draft: AuditDraft): Promise<void> {
    const now = new Date();
    const doc: Omit<ScopedAuditFields, '_id'> = {
      at: now,
      actor: draft.actor,
      action: draft.action,
      targetType: draft.target.type,
      target: draft.target.type === 'apiKey' ? draft.target.id : draft.target.name,
      subjects: auditSubjects(draft),
      changes: draft.changes.map((change) => ({ field: change.field, before: change.before, after: change.after })),
      ...(draft.rotatedTo === undefined ? {} : { rotatedTo: draft.rotatedTo }),
    };
    try {
      await this.model.collection.insertOne({ _id: new Types.ObjectId(), ...doc });
    } catch (error) {
      process.emitWarning(`The audit history could not record a ${draft.action} of ${draft.target.type} (${error instanceof Error ? error.name : typeof error}).`, {
        code: 'GSP_AUDIT_LOG',
      });
      return;
    }
    this.pruneNowAndThen(now.getTime());
  }

  /** See `AuditLogSource.listAuditEntries`. */
  async list(options?: ListAuditOptions): Promise<AuditEntry[]> {
    const query = assertAuditListOptions(options, (value) => CURSOR.test(value));
    const oldest = new Date(Math.max(Date.now() - this.retentionMs, query.since?.getTime() ?? 0));
    const docs = await storeCall('listAuditEntries', async () => {
      let cursor: { at: Date; _id: Types.ObjectId } | undefined;
      if (query.after !== undefined) {
        const found = await this.model.findOne({ _id: new Types.ObjectId(query.after) }, { at: 1 }).lean();
        if (found === null) return null;
        cursor = { at: found.at, _id: found._id };
      }
      const filter: Record<string, unknown> = { at: { $gte: oldest } };
      if (query.actor !== undefined) filter.actor = query.actor;
      if (query.target !== undefined) filter.subjects = targetSubject(query.target);
      if (cursor !== undefined) filter.$or = [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor._id } }];
      // Served by AUDIT_TARGET_INDEX, AUDIT_ACTOR_INDEX or AUDIT_NEWEST_INDEX (test/store/mongoose/audit-index.test.ts explains it on mongod).
      return this.model.find(filter).sort({ at: -1, _id: -1 }).limit(query.limit).lean();
    });
    if (docs === null) throw notFoundError('audit entry', query.after ?? '');
    return docs.map(readAuditEntry);
  }

  private pruneNowAndThen(nowMs: number): void {
    if (nowMs - this.lastPruneMs < Math.min(this.retentionMs / 10, MAX_PRUNE_INTERVAL_MS)) return;
    this.lastPruneMs = nowMs;
    this.model.collection.deleteMany({ at: { $lt: new Date(nowMs - this.retentionMs) } }).catch(() => undefined);
  }
}
