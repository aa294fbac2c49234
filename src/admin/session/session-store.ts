import { hash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** How long a new key waits in its session to be shown once, in milliseconds. */
export const PENDING_KEY_TTL_MS = 10 * 60 * 1000;

/** The most new keys one session holds unshown; older ones are forgotten first. */
const MAX_PENDING_KEYS = 10;

/** A signed-in admin, kept in process memory only. The cookie holds a random id, never the credential. */
export interface AdminSession {
  /** `Date.now()` at sign-in. */
  readonly createdAtMs: number;
  /** `Date.now()` at the last request. */
  lastSeenAtMs: number;
  /**
   * The API key or JWT signed in with, re-verified on every request, so a
   * revoked key or an expired token ends the session at once. Absent for
   * sessions of `getUser` users.
   */
  readonly credential?: string;
  /** The `getUser` user the session belongs to. */
  readonly userId?: string;
  /** New keys not yet shown, by key id: each is shown once, then dropped. */
  readonly pendingKeys: Map<string, { readonly key: string; readonly storedAtMs: number }>;
}

/** Limits of an {@link AdminSessionStore}. Durations in milliseconds. */
export interface AdminSessionLimits {
  /** A session unused this long ends. */
  readonly idleTimeoutMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxAgeMs: number;
  /** The most sessions kept; the least recently used end first. */
  readonly maxSessions: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function digest(id: string): string {
  return hash('sha256', id, 'base64');
}

/**
 * The admin page's sessions: a bounded LRU in process memory, keyed by the
 * SHA-256 of the session id (so the ids themselves are not kept), with an
 * idle timeout and an absolute one, both checked against `Date.now()` on
 * every read.
 */
export class AdminSessionStore {
  private readonly sessions: LRUCache<string, AdminSession>;

  constructor(private readonly limits: AdminSessionLimits) {
    this.sessions = new LRUCache({ max: limits.maxSessions });
  }

  /** Starts a session. Returns its id (256 random bits, base64url), for the cookie only. */
  create(fields: { readonly credential?: string; readonly userId?: string }): { readonly id: string; readonly session: AdminSession } {
    const id = randomBytes(32).toString('base64url');
    const nowMs = Date.now();
    const session: AdminSession = { ...fields, createdAtMs: nowMs, lastSeenAtMs: nowMs, pendingKeys: new Map() };
    this.sessions.set(digest(id), session);
    return { id, session };
  }

  /** The live session with that id, marked as used now; `undefined` when unknown, idle too long or too old. */
  get(id: string | undefined): AdminSession | undefined {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const key = digest(id);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const nowMs = Date.now();
    if (!(nowMs < session.lastSeenAtMs + this.limits.idleTimeoutMs) || !(nowMs < session.createdAtMs + this.limits.maxAgeMs)) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeenAtMs = nowMs;
    return session;
  }

  /** Ends a session (idempotent). */
  delete(id: string | undefined): void {
    if (id !== undefined && SESSION_ID.test(id)) this.sessions.delete(digest(id));
  }

  /** Ends every session. */
  clear(): void {
    this.sessions.clear();
  }

  /** Sessions held, expired ones included until they are next read or pushed out. */
  get size(): number {
    return this.sessions.size;
  }
}

/** Keeps a new key in the session until {@link takePendingKey} shows it. */
export function stashPendingKey(session: AdminSession, keyId: string, key: string): void {
  session.pendingKeys.delete(keyId);
  session.pendingKeys.set(keyId, { key, storedAtMs: Date.now() });
  for (const oldest of session.pendingKeys.keys()) {
    if (session.pendingKeys.size <= MAX_PENDING_KEYS) break;
    session.pendingKeys.delete(oldest);
  }
}

/** The new key, once: it is removed as it is returned. `undefined` when already shown or older than {@link PENDING_KEY_TTL_MS}. */
export function takePendingKey(session: AdminSession, keyId: string): string | undefined {
  const pending = session.pendingKeys.get(keyId);
  session.pendingKeys.delete(keyId);
  if (pending === undefined || !(Date.now() < pending.storedAtMs + PENDING_KEY_TTL_MS)) return undefined;
  return pending.key;
}
