import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { ApiKeyChange, GroupChange, ScopeChange } from '../scope-store';
import { GROUP_NAME_PATTERN, KEY_ID_PATTERN, MAX_ACTOR_LENGTH, MAX_GROUP_NAME_LENGTH, MAX_USER_ID_LENGTH } from '../store-input';
import type { ScopedChangeFields, ScopedChangeModel } from './change-log-schema';
import type { DatabaseClock } from './database-clock';

const API_KEY_ACTIONS: ReadonlySet<string> = new Set<ApiKeyChange['action']>(['created', 'updated', 'revoked', 'scopes', 'rotated', 'imported']);
const GROUP_ACTIONS: ReadonlySet<string> = new Set<GroupChange['action']>(['saved', 'deleted', 'member-added', 'member-removed']);

/** A change log entry as read back, before it is trusted. */
export type LoggedChange = Partial<Record<keyof ScopedChangeFields, unknown>>;

function isText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

function optionalText(value: unknown, maxLength: number): value is string | undefined {
  return value === undefined || value === null || isText(value, maxLength);
}

/**
 * The change a log entry records, or `undefined` when the entry is malformed
 * (written by another tool, or corrupt). Callers must treat a malformed entry
 * as "anything may have changed", never skip it silently.
 */
export function readLoggedChange(doc: LoggedChange): ScopeChange | undefined {
  const { type, action } = doc;
  const actor = optionalText(doc.actor, MAX_ACTOR_LENGTH) ? doc.actor : null;
  if (actor === null) return undefined;
  const by = typeof actor === 'string' ? { actor } : {};
  if (type === 'apiKey' && typeof action === 'string' && API_KEY_ACTIONS.has(action)) {
    if (typeof doc.keyId !== 'string' || !KEY_ID_PATTERN.test(doc.keyId)) return undefined;
    const rotatedTo = doc.rotatedTo;
    if (rotatedTo !== undefined && rotatedTo !== null && (typeof rotatedTo !== 'string' || !KEY_ID_PATTERN.test(rotatedTo))) return undefined;
    return Object.freeze({
      type: 'apiKey',
      id: doc.keyId,
      action: action as ApiKeyChange['action'],
      ...(typeof rotatedTo === 'string' ? { rotatedTo } : {}),
      ...by,
    });
  }
  if (type === 'group' && typeof action === 'string' && GROUP_ACTIONS.has(action)) {
    if (!isText(doc.group, MAX_GROUP_NAME_LENGTH) || !GROUP_NAME_PATTERN.test(doc.group)) return undefined;
    const userIds = doc.userIds ?? [];
    if (!Array.isArray(userIds) || !userIds.every((userId) => isText(userId, MAX_USER_ID_LENGTH))) return undefined;
    return Object.freeze({ type: 'group', name: doc.group, action: action as GroupChange['action'], userIds: Object.freeze([...(userIds as string[])]), ...by });
  }
  return undefined;
}

/** Options of {@link ChangeLog}. */
export interface ChangeLogOptions {
  /** How long entries are kept, in milliseconds. */
  readonly retentionMs: number;
  /** The database server's clock, against which entries (dated by the server) are pruned. */
  readonly clock: DatabaseClock;
}

/**
 * The writing side of the change log: every `MongooseScopeStore` write
 * appends one entry after the change itself is written, stamped with the
 * server's clock, and old entries are deleted now and then.
 */
export class ChangeLog {
  /** This store object's random id, written on every entry. */
  readonly origin = randomBytes(9).toString('base64url');
  private lastPruneMs = 0;

  constructor(
    private readonly model: ScopedChangeModel,
    private readonly options: ChangeLogOptions,
  ) {}

  /**
   * Appends `change`. Never rejects: the change itself is written already,
   * so a failure here only delays what other processes see, up to their
   * cache TTL. It is reported as a process warning (`GSP_CHANGE_LOG`).
   */
  async append(change: ScopeChange): Promise<void> {
    const fields: Omit<ScopedChangeFields, '_id' | 'at'> =
      change.type === 'apiKey'
        ? { origin: this.origin, type: 'apiKey', action: change.action, keyId: change.id, ...(change.rotatedTo === undefined ? {} : { rotatedTo: change.rotatedTo }) }
        : { origin: this.origin, type: 'group', action: change.action, group: change.name, userIds: [...change.userIds] };
    if (change.actor !== undefined) fields.actor = change.actor;
    try {
      // An upsert of a fresh _id, so that `at` is the server's time: every writer stamps with the same clock.
      await this.model.collection.updateOne({ _id: new Types.ObjectId() }, { $currentDate: { at: true }, $set: fields }, { upsert: true });
    } catch (error) {
      process.emitWarning(`The change log could not record a ${change.type} change; other processes see it within their cache TTL (${error instanceof Error ? error.name : typeof error}).`, {
        code: 'GSP_CHANGE_LOG',
      });
      return;
    }
    this.pruneNowAndThen();
  }

  /**
   * Deletes entries older than the retention, at most once per tenth of it,
   * in the background. "Older" is by the database server's clock, which
   * dated the entries: a writer whose own clock runs ahead must not delete
   * entries (its own among them) that other watchers have yet to read.
   */
  private pruneNowAndThen(): void {
    const nowMs = Date.now();
    if (Math.abs(nowMs - this.lastPruneMs) < this.options.retentionMs / 10) return;
    this.lastPruneMs = nowMs;
    this.options
      .clock()
      .then((serverNow) => this.model.collection.deleteMany({ at: { $lt: new Date(serverNow.getTime() - this.options.retentionMs) } }))
      .catch(() => undefined);
  }
}
