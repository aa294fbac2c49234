import type { AuditEntry, ListAuditOptions } from '../audit/audit-entry';
import { auditSubjects, targetSubject } from '../audit/audit-draft';
import type { AuditDraft } from '../audit/audit-draft';
import { assertAuditListOptions } from '../audit/audit-input';
import { notFoundError } from '../store-input';

interface StoredEntry {
  readonly entry: AuditEntry;
  readonly subjects: readonly string[];
  readonly sequence: number;
}

const CURSOR = /^[1-9][0-9]{0,15}$/;

function copyEntry(entry: AuditEntry): AuditEntry {
  return {
    ...entry,
    at: new Date(entry.at.getTime()),
    changes: entry.changes.map((change) => ({ ...change })),
  };
}

function freezeDraft(draft: AuditDraft): AuditDraft {
  return {
    ...draft,
    changes: Object.freeze(draft.changes.map((change) => Object.freeze({ ...change, before: freezeValue(change.before), after: freezeValue(change.after) }))),
  };
}

function freezeValue<T>(value: T): T {
  return Array.isArray(value) ? (Object.freeze([...value]) as T) : value;
}

/**
 * The memory store's audit history: an array in write order (ids are a
 * sequence), pruned of entries older than the retention on every append.
 * Listing scans from the newest entry and stops at a full page.
 */
export class MemoryAuditLog {
  private readonly entries: StoredEntry[] = [];
  private sequence = 0;

  constructor(private readonly retentionMs: number) {}

  /** Appends an entry stamped now, and drops the expired ones. */
  append(draft: AuditDraft): void {
    const now = new Date();
    this.sequence += 1;
    const entry: AuditEntry = { id: String(this.sequence), at: now, ...freezeDraft(draft) };
    this.entries.push({ entry, subjects: auditSubjects(draft), sequence: this.sequence });
    const oldest = now.getTime() - this.retentionMs;
    let expired = 0;
    while (expired < this.entries.length && (this.entries[expired]?.entry.at.getTime() ?? 0) < oldest) expired += 1;
    if (expired > 0) this.entries.splice(0, expired);
  }

  /** See `AuditLogSource.listAuditEntries`. */
  list(options?: ListAuditOptions): AuditEntry[] {
    const query = assertAuditListOptions(options, (value) => CURSOR.test(value));
    let start = this.entries.length - 1;
    if (query.after !== undefined) {
      const cursor = Number(query.after);
      const index = this.indexOf(cursor);
      if (index < 0) throw notFoundError('audit entry', query.after);
      start = index - 1;
    }
    const subject = query.target === undefined ? undefined : targetSubject(query.target);
    const oldest = Math.max(Date.now() - this.retentionMs, query.since?.getTime() ?? -Infinity);
    const page: AuditEntry[] = [];
    for (let index = start; index >= 0 && page.length < query.limit; index -= 1) {
      const stored = this.entries[index];
      if (stored === undefined) continue;
      if (stored.entry.at.getTime() < oldest) continue;
      if (query.actor !== undefined && stored.entry.actor !== query.actor) continue;
      if (subject !== undefined && !stored.subjects.includes(subject)) continue;
      page.push(copyEntry(stored.entry));
    }
    return page;
  }

  /** The index of the entry with that sequence number (entries are in sequence order), or -1. */
  private indexOf(sequence: number): number {
    let low = 0;
    let high = this.entries.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = this.entries[middle]?.sequence ?? 0;
      if (found === sequence) return middle;
      if (found < sequence) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
