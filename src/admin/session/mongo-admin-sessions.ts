import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { callStore } from '../../auth/cache/call-store';
import { openForSession, sealForSession } from './session-box';
import {
  type AdminSession,
  type AdminSessionLimits,
  type AdminSessions,
  MAX_PENDING_KEYS,
  type NewAdminSession,
  PENDING_KEY_TTL_MS,
  SESSION_ID,
  isLive,
  newSessionId,
  sessionDigest,
} from './session-store';

/** The collection that holds admin sessions on a `MongooseScopeStore`'s database. */
export const ADMIN_SESSION_COLLECTION = 'scoped_admin_sessions';

/** The id of the document that holds the CSRF key shared by every replica. */
const SECRET_ID = 'csrf-secret';

/**
 * One document of the sessions collection:
 * - a session: `_id` is the SHA-256 of the session id, never the id; its
 *   credential is sealed with a key derived from the id (see `session-box`);
 * - a new key waiting to be shown (`pending`), sealed the same way;
 * - the shared CSRF key (`_id: 'csrf-secret'`).
 * `expiresAt` feeds the TTL index where the server has one; expiry is
 * checked in code all the same (FerretDB has no TTL indexes).
 */
interface SessionDocument {
  _id: string;
  kind: 'session' | 'pending' | 'secret';
  createdAt?: Date;
  lastSeenAt?: Date;
  expiresAt?: Date;
  credential?: string;
  userId?: string;
  session?: string;
  box?: string;
  storedAt?: Date;
  secret?: string;
}

function isDuplicate(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

function time(value: unknown): number {
  return value instanceof Date ? value.getTime() : NaN;
}

/**
 * Admin sessions in the store's MongoDB database, shared by every replica:
 * sign-in, sign-out, idle and absolute timeouts, the new keys waiting to be
 * shown, and the CSRF key. The database never holds a session id, a
 * credential or a new key in the clear.
 */
export class MongoAdminSessions implements AdminSessions {
  readonly kind = 'store';
  private indexes: Promise<void> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly limits: AdminSessionLimits,
    private readonly timeoutMs: number,
  ) {}

  /**
   * The CSRF token key shared by every replica: created once in the
   * sessions collection (the first replica's random key wins), then read.
   */
  async sharedSecret(): Promise<Uint8Array> {
    return this.call('sharedSecret', async () => {
      const collection = this.collection();
      try {
        await collection.insertOne({ _id: SECRET_ID, kind: 'secret', secret: randomBytes(32).toString('base64') });
      } catch (error) {
        if (!isDuplicate(error)) throw error;
      }
      const stored = await collection.findOne({ _id: SECRET_ID });
      const secret = typeof stored?.secret === 'string' ? Buffer.from(stored.secret, 'base64') : Buffer.alloc(0);
      if (secret.length !== 32) throw new Error('the shared admin CSRF key is malformed');
      return new Uint8Array(secret);
    });
  }

  async create(fields: NewAdminSession): Promise<{ readonly id: string; readonly session: AdminSession }> {
    const id = newSessionId();
    const nowMs = Date.now();
    const session: AdminSession = { ...fields, createdAtMs: nowMs, lastSeenAtMs: nowMs };
    await this.call('createSession', async () => {
      await this.ensureIndexes();
      const collection = this.collection();
      // FerretDB has no TTL index: sweep ended sessions and shown-or-stale keys here.
      await collection.deleteMany({ expiresAt: { $lte: new Date(nowMs) } });
      await collection.insertOne({
        _id: sessionDigest(id),
        kind: 'session',
        createdAt: new Date(nowMs),
        lastSeenAt: new Date(nowMs),
        expiresAt: this.expiry(session),
        ...(fields.credential === undefined ? {} : { credential: sealForSession(id, 'credential', fields.credential) }),
        ...(fields.userId === undefined ? {} : { userId: fields.userId }),
      });
    });
    return { id, session };
  }

  async get(id: string | undefined): Promise<AdminSession | undefined> {
    if (id === undefined || !SESSION_ID.test(id)) return undefined;
    const digest = sessionDigest(id);
    return this.call('getSession', async () => {
      const collection = this.collection();
      const stored = await collection.findOne({ _id: digest, kind: 'session' });
      if (stored === null) return undefined;
      const nowMs = Date.now();
      const credential = stored.credential === undefined ? undefined : openForSession(id, 'credential', stored.credential);
      const userId = typeof stored.userId === 'string' ? stored.userId : undefined;
      const found: AdminSession = {
        createdAtMs: time(stored.createdAt),
        lastSeenAtMs: time(stored.lastSeenAt),
        ...(credential === undefined ? {} : { credential }),
        ...(userId === undefined ? {} : { userId }),
      };
      // A malformed record (bad dates, a box that does not open, neither credential nor user) is no session.
      const wellFormed = (credential === undefined) === (stored.credential === undefined) && (credential !== undefined || userId !== undefined);
      if (!wellFormed || !isLive(found, this.limits, nowMs)) {
        await this.remove(digest);
        return undefined;
      }
      const session: AdminSession = { ...found, lastSeenAtMs: nowMs };
      // No upsert: a session ended meanwhile on another replica stays ended.
      await collection.updateOne({ _id: digest, kind: 'session' }, { $set: { lastSeenAt: new Date(nowMs), expiresAt: this.expiry(session) } });
      return session;
    });
  }

  async delete(id: string | undefined): Promise<void> {
    if (id === undefined || !SESSION_ID.test(id)) return;
    await this.call('deleteSession', () => this.remove(sessionDigest(id)));
  }

  async stashPendingKey(id: string, keyId: string, key: string): Promise<void> {
    if (!SESSION_ID.test(id)) return;
    const digest = sessionDigest(id);
    const nowMs = Date.now();
    await this.call('stashPendingKey', async () => {
      const collection = this.collection();
      const document: SessionDocument = {
        _id: `${digest}.${keyId}`,
        kind: 'pending',
        session: digest,
        box: sealForSession(id, `pending:${keyId}`, key),
        storedAt: new Date(nowMs),
        expiresAt: new Date(nowMs + PENDING_KEY_TTL_MS),
      };
      await collection.replaceOne({ _id: document._id }, document, { upsert: true });
      const older = await collection.find({ kind: 'pending', session: digest }).sort({ storedAt: -1 }).skip(MAX_PENDING_KEYS).toArray();
      if (older.length > 0) await collection.deleteMany({ _id: { $in: older.map((entry) => entry._id) } });
    });
  }

  async takePendingKey(id: string, keyId: string): Promise<string | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const pendingId = `${sessionDigest(id)}.${keyId}`;
    return this.call('takePendingKey', async () => {
      const collection = this.collection();
      const stored = await collection.findOne({ _id: pendingId, kind: 'pending' });
      if (stored === null) return undefined;
      // Only the replica whose delete removed it shows it: once, even when two take it at the same moment.
      const { deletedCount } = await collection.deleteOne({ _id: pendingId });
      if (deletedCount !== 1 || !(Date.now() < time(stored.storedAt) + PENDING_KEY_TTL_MS)) return undefined;
      return openForSession(id, `pending:${keyId}`, stored.box);
    });
  }

  async close(): Promise<void> {
    // The sessions are shared: closing one replica's admin page ends none of them.
  }

  private collection() {
    return this.connection.collection<SessionDocument>(ADMIN_SESSION_COLLECTION);
  }

  private expiry(session: AdminSession): Date {
    return new Date(Math.min(session.lastSeenAtMs + this.limits.idleTimeoutMs, session.createdAtMs + this.limits.maxAgeMs));
  }

  private async remove(digest: string): Promise<void> {
    const collection = this.collection();
    await collection.deleteOne({ _id: digest, kind: 'session' });
    await collection.deleteMany({ kind: 'pending', session: digest });
  }

  private ensureIndexes(): Promise<void> {
    this.indexes ??= (async () => {
      const collection = this.collection();
      await collection.createIndex({ session: 1 }, { name: 'session' });
      try {
        await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires_ttl' });
      } catch {
        // No TTL indexes (FerretDB): create() sweeps ended documents instead.
      }
    })().catch((error: unknown) => {
      this.indexes = undefined;
      throw error;
    });
    return this.indexes;
  }

  private call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return callStore(operation, run, this.timeoutMs);
  }
}
