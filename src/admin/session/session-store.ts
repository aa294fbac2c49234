import { hash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** How long a new key waits in its session to be shown once, in milliseconds. */
export const PENDING_KEY_TTL_MS = 10 * 60 * 1000;

/** The most new keys one session holds unshown; older ones are forgotten first. */
export const MAX_PENDING_KEYS = 10;

/** A signed-in admin. The cookie holds a random id, never the credential. */
export interface AdminSession {
  /** `Date.now()` at sign-in. */
  readonly createdAtMs: number;
  /** `Date.now()` at the last request. */
  readonly lastSeenAtMs: number;
  /**
   * The API key or JWT signed in with, re-verified on every request, so a
   * revoked key or an expired token ends the session at once. Absent for
   * sessions of `getUser` users.
   */
  readonly credential?: string;
  /** The `getUser` user the session belongs to. */
  readonly userId?: string;
}

/** What a session starts with. */
export interface NewAdminSession {
  readonly credential?: string;
  readonly userId?: string;
}

/** Limits of the admin sessions. Durations in milliseconds. */
export interface AdminSessionLimits {
  /** A session unused this long ends. */
  readonly idleTimeoutMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxAgeMs: number;
  /** The most sessions kept in memory (LRU); the least recently used end first. Memory sessions only. */
  readonly maxSessions: number;
}

/**
 * Where admin sessions live: this process's memory
 * ({@link MemoryAdminSessions}) or the store's database, shared by every
 * replica (`MongoAdminSessions`). Ids are 256 random bits (base64url, 43
 * characters); only their SHA-256 is kept. Both check the idle and the
 * absolute timeout against `Date.now()` on every read.
 */
export interface AdminSessions {
  /** `'memory'` or `'store'`. */
  readonly kind: 'memory' | 'store';
  /** Starts a session. Returns its id, for the cookie only. */
  create(fields: NewAdminSession): Promise<{ readonly id: string; readonly session: AdminSession }>;
  /** The live session with that id, marked as used now; `undefined` when unknown, malformed, idle too long or too old. */
  get(id: string | undefined): Promise<AdminSession | undefined>;
  /** Ends a session (idempotent). */
  delete(id: string | undefined): Promise<void>;
  /** Keeps a new key in the session until {@link AdminSessions.takePendingKey} shows it (at most {@link MAX_PENDING_KEYS}, {@link PENDING_KEY_TTL_MS}). */
  stashPendingKey(id: string, keyId: string, key: string): Promise<void>;
  /** The new key, once: it is removed as it is returned. `undefined` when already shown or too old. */
  takePendingKey(id: string, keyId: string): Promise<string | undefined>;
  /** Releases what the sessions hold in this process (memory sessions end). */
  close(): Promise<void>;
}

/** The session id's shape: 256 bits in base64url. */
export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A new session id: 256 random bits, base64url. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** The digest a session is kept under: the SHA-256 of its id (base64url). */
export function sessionDigest(id: string): string {
  return hash('sha256', id, 'base64url');
}

/** Whether a session created and last used at these times is still live at `nowMs`. */
export function isLive(session: AdminSession, limits: AdminSessionLimits, nowMs: number): boolean {
  return nowMs < session.lastSeenAtMs + limits.idleTimeoutMs && nowMs < session.createdAtMs + limits.maxAgeMs;
}

interface MemoryEntry {
  session: AdminSession;
  readonly pendingKeys: Map<string, { readonly key: string; readonly storedAtMs: number }>;
}

/**
 * Sessions in process memory: a bounded LRU keyed by the SHA-256 of the
 * session id. Each replica has its own; use the store's sessions behind a
 * load balancer.
 */
export class MemoryAdminSessions implements AdminSessions {
  readonly kind = 'memory';
  private readonly sessions: LRUCache<string, MemoryEntry>;

  constructor(private readonly limits: AdminSessionLimits) {
    this.sessions = new LRUCache({ max: limits.maxSessions });
  }

  async create(fields: NewAdminSession): Promise<{ readonly id: string; readonly session: AdminSession }> {
    const id = newSessionId();
    const nowMs = Date.now();
    const session: AdminSession = { ...fields, createdAtMs: nowMs, lastSeenAtMs: nowMs };
    this.sessions.set(sessionDigest(id), { session, pendingKeys: new Map() });
    return { id, session };
  }

  async get(id: string | undefined): Promise<AdminSession | undefined> {
    return this.entry(id)?.session;
  }

  async delete(id: string | undefined): Promise<void> {
    if (id !== undefined && SESSION_ID.test(id)) this.sessions.delete(sessionDigest(id));
  }

  async stashPendingKey(id: string, keyId: string, key: string): Promise<void> {
    const pending = this.entry(id)?.pendingKeys;
    if (pending === undefined) return;
    pending.delete(keyId);
    pending.set(keyId, { key, storedAtMs: Date.now() });
    for (const oldest of pending.keys()) {
      if (pending.size <= MAX_PENDING_KEYS) break;
      pending.delete(oldest);
    }
  }

  async takePendingKey(id: string, keyId: string): Promise<string | undefined> {
    const pendingKeys = this.entry(id)?.pendingKeys;
    const pending = pendingKeys?.get(keyId);
    pendingKeys?.delete(keyId);
    if (pending === undefined || !(Date.now() < pending.storedAtMs + PENDING_KEY_TTL_MS)) return undefined;
    return pending.key;
  }

  async close(): Promise<void> {
    this.sessions.clear();
  }

  /** Sessions held, expired ones included until they are next read or pushed out. */
  get size(): number {
    return this.sessions.size;
  }

  /** The live entry, marked as used now. */
  private entry(id: string | undefined): MemoryEntry | undefined {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const digest = sessionDigest(id);
    const entry = this.sessions.get(digest);
    if (entry === undefined) return undefined;
    const nowMs = Date.now();
    if (!isLive(entry.session, this.limits, nowMs)) {
      this.sessions.delete(digest);
      return undefined;
    }
    entry.session = { ...entry.session, lastSeenAtMs: nowMs };
    return entry;
  }
}
