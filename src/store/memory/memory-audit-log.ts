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

/** Adds `stored` to the list of `key` in `index`. */
function indexEntry(index: Map<string, StoredEntry[]>, key: string, stored: StoredEntry): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [stored]);
  else list.push(stored);
}

/** Drops `stored`, the oldest entry, from the front of the list of `key`. */
function unindexOldest(index: Map<string, StoredEntry[]>, key: string, stored: StoredEntry): void {
  const list = index.get(key);
  if (list?.[0] !== stored) return;
  list.shift();
  if (list.length === 0) index.delete(key);
}

/**
 * The memory store's audit history: an array in write order (ids are a
 * sequence), with an index by actor and by target, pruned of entries older
 * than the retention on every append. Listing walks the smallest list that
 * can hold the page, from the newest entry, and stops at a full page.
 */
export class MemoryAuditLog {
  private readonly entries: StoredEntry[] = [];
  private readonly byActor = new Map<string, StoredEntry[]>();
  private readonly bySubject = new Map<string, StoredEntry[]>();
  private sequence = 0;

  constructor(private readonly retentionMs: number) {}

  /** Appends an entry stamped now, and drops the expired ones. */
  append(draft: AuditDraft): void {
    const now = new Date();
    this.sequence += 1;
    const entry: AuditEntry = { id: String(this.sequence), at: now, ...freezeDraft(draft) };
    const stored: StoredEntry = { entry, subjects: auditSubjects(draft), sequence: this.sequence };
    this.entries.push(stored);
    indexEntry(this.byActor, entry.actor, stored);
    for (const subject of stored.subjects) indexEntry(this.bySubject, subject, stored);
    const oldest = now.getTime() - this.retentionMs;
    let expired = 0;
    while (expired < this.entries.length && (this.entries[expired]?.entry.at.getTime() ?? 0) < oldest) expired += 1;
    for (const gone of this.entries.splice(0, expired)) {
      unindexOldest(this.byActor, gone.entry.actor, gone);
      for (const subject of gone.subjects) unindexOldest(this.bySubject, subject, gone);
    }
  }

  /** See `AuditLogSource.listAuditEntries`. */
  list(options?: ListAuditOptions): AuditEntry[] {
    const query = assertAuditListOptions(options, (value) => CURSOR.test(value));
    if (query.after !== undefined && this.indexOf(this.entries, Number(query.after)) < 0) throw notFoundError('audit entry', query.after);
    const subject = query.target === undefined ? undefined : targetSubject(query.target);
    // The target's list is the shortest; else the actor's; else every entry.
    const list = (subject === undefined ? undefined : this.bySubject.get(subject) ?? []) ?? (query.actor === undefined ? this.entries : this.byActor.get(query.actor) ?? []);
    let start = list.length - 1;
    if (query.after !== undefined) {
      // The last entry of `list` older than the cursor.
      const cursor = Number(query.after);
      let low = 0;
      let high = list.length - 1;
      start = -1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if ((list[middle]?.sequence ?? 0) < cursor) {
          start = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
    }
    const oldest = Math.max(Date.now() - this.retentionMs, query.since?.getTime() ?? -Infinity);
    const page: AuditEntry[] = [];
    for (let index = start; index >= 0 && page.length < query.limit; index -= 1) {
      const stored = list[index];
      if (stored === undefined) continue;
      if (stored.entry.at.getTime() < oldest) continue;
      if (query.actor !== undefined && stored.entry.actor !== query.actor) continue;
      if (subject !== undefined && !stored.subjects.includes(subject)) continue;
      page.push(copyEntry(stored.entry));
    }
    return page;
  }

  /** The index of the entry with that sequence number in `list` (in sequence order), or -1. */
  private indexOf(list: readonly StoredEntry[], sequence: number): number {
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = list[middle]?.sequence ?? 0;
      if (found === sequence) return middle;
      if (found < sequence) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
