import { mongoRateLimitBackend } from '../../rate-limit/mongo-rate-limit-backend';
import type { RateLimitBackend } from '../../rate-limit/rate-limit-backend';
import type { Connection, mongo } from 'mongoose';
import { integerOption } from '../../errors/integer-option';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { DEFAULT_KEY_PREFIX, assertKeyPrefix } from '../../keys/api-key-format';
import { DEFAULT_HASH_OPTIONS } from '../../keys/hash-secret';
import type { HashOptions } from '../../keys/hash-secret';
import { assertKnownScopes } from '../../scopes/assert-known-scopes';
import type { AuditEntry, ListAuditOptions } from '../audit/audit-entry';
import { creationAction, diffKeys, diffLists, groupDraft, keyDraft, updateAction } from '../audit/audit-draft';
import { DEFAULT_AUDIT_RETENTION_MS, MAX_AUDIT_RETENTION_MS, MIN_AUDIT_RETENTION_MS } from '../audit/audit-input';
import { ChangeEvents, assertChangeOptions } from '../change-events';
import { planRotation, rotationSuccessor } from '../plan-rotation';
import { prepareApiKey } from '../prepare-api-key';
import { prepareImportedKey } from '../prepare-imported-key';
import type {
  ApiKeyCredential,
  ApiKeyImportStore,
  ImportApiKeyInput,
  ApiKeyRecord,
  ChangeOptions,
  ChangeWatch,
  CreateApiKeyInput,
  CreatedApiKey,
  GroupRecord,
  ListApiKeysOptions,
  RotateApiKeyInput,
  SaveGroupInput,
  ScopeChange,
  ScopeStore,
  UpdateApiKeyInput,
  WatchChangesOptions,
  WatchedChange,
} from '../scope-store';
import {
  assertApiKeyChanges,
  assertGrants,
  assertGroupName,
  assertKeyId,
  assertListOptions,
  assertPhcHash,
  assertReplacementGrants,
  assertRotationInput,
  assertTouchArguments,
  assertUserId,
  notFoundError,
} from '../store-input';
import type { ScopedApiKeyFields, ScopedApiKeyModel } from './api-key-schema';
import type { ScopedModels, ScopedModelsOptions } from './create-scoped-models';
import type { ScopedGroupModel } from './group-schema';
import { ChangeLog } from './change-log';
import { mongooseChangeLogSource } from './change-log-source';
import { ChangeLogWatcher } from './change-log-watcher';
import { DATABASE_CLOCK, serverClock } from './database-clock';
import type { DatabaseClock } from './database-clock';
import { apiKeyDocument, insertApiKey, insertPreparedApiKey } from './insert-api-key';
import { MongooseAuditLog } from './mongoose-audit-log';
import { storeCall, toStoreError } from './store-error';
import { resolveStoreModels } from './store-models';
import { assertTrustedKey, storedScopes, toApiKeyRecord, toGroupRecord } from './to-record';
import type { ApiKeyRecordSource } from './to-record';

/** Options of {@link MongooseScopeStore}. */
export interface MongooseScopeStoreOptions extends ScopedModelsOptions {
  /** The brand prefix of new keys (2–16 lower-case letters and digits). Default `'gsp'`. */
  prefix?: string;
  /**
   * argon2id parameters for new keys, and for the rehashes of verifiers built
   * on this store (the one source of truth). Default `DEFAULT_HASH_OPTIONS`
   * (m=19456 KiB, t=2, p=1).
   */
  hashOptions?: HashOptions;
  /**
   * How often the change watcher polls the change log, in milliseconds,
   * when it cannot use a change stream: the most a change made by another
   * process takes to reach this one's caches. 10–60000. Default 1000.
   */
  pollIntervalMs?: number;
  /**
   * `'auto'` watches the change log with a change stream when the server is
   * a replica set (`hello.setName`), and polls otherwise; `'off'` always
   * polls. Default `'auto'`.
   */
  changeStreams?: 'auto' | 'off';
  /**
   * How long change log entries are kept, in milliseconds. A watcher blind
   * for longer (the database unreachable) clears its caches when it sees
   * again. 60000–86400000. Default 300000 (5 minutes).
   */
  changeRetentionMs?: number;
  /** Tests only: stands in for the server's clock. */
  [DATABASE_CLOCK]?: DatabaseClock;
  /**
   * How long audit entries (`listAuditEntries`) are kept, in milliseconds:
   * 1 day to 10 years, separate from `changeRetentionMs`. Default
   * 31536000000 (365 days).
   */
  auditRetentionMs?: number;
}



/** How many times `rotateApiKey` reads a key again after it changed under the rotation. */
const MAX_ROTATION_ATTEMPTS = 3;

/**
 * A filter that matches the key only while it is as `doc` was read: live,
 * with the same scopes, name, owner, rate limit and expiry (the compare of
 * `rotateApiKey`'s compare-and-set).
 */
function unchangedKey(doc: ApiKeyLean): mongo.Document {
  return {
    keyId: doc.keyId,
    revokedAt: null,
    expiresAt: doc.expiresAt ?? null,
    scopes: doc.scopes === undefined || doc.scopes === null ? null : [...doc.scopes],
    name: doc.name,
    ownerId: doc.ownerId ?? null,
    rateLimit: doc.rateLimit ?? null,
  };
}

function rotationConflict(id: string, attempts: number): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `API key ${JSON.stringify(id)} kept changing during rotateApiKey; try again.`, {
    details: { operation: 'rotateApiKey', id, attempts },
  });
}

/** `text` as a regular expression that matches it literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A key as `findOne().lean()` returns it (no `hash`: it is deselected). */
type ApiKeyLean = ApiKeyRecordSource;

function assertObject(value: unknown, operation: string, shape: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', `${operation} takes an object ${shape}.`, { details: { field: 'input' } });
  }
}

/**
 * A {@link ScopeStore} on MongoDB through Mongoose, using the
 * `ScopedApiKey`, `ScopedGroup`, `ScopedChange` and `ScopedAudit` models on your connection.
 *
 * Every id, name, user id and scope list is checked before any query, so a
 * value such as `{ $ne: null }` never reaches MongoDB. Unique-index
 * violations raise `ERR_DUPLICATE`; every other driver failure raises
 * `ERR_STORE_UNAVAILABLE` (the driver error is its `cause`; the message
 * never carries the connection string), so callers fail closed.
 *
 * Every write appends an entry to a change log (`ScopedChange`, kept
 * `changeRetentionMs`), so that `watchChanges` can report the changes of
 * other processes: with a change stream on a replica set, by polling the
 * log's `at` index every `pollIntervalMs` otherwise. `onChange` reports
 * this store object's own changes only.
 *
 * Every write also inserts one entry into the audit history (`ScopedAudit`,
 * kept `auditRetentionMs`): who, when, what, and the changed fields before
 * and after, never a secret or a hash. `listAuditEntries` reads it.
 *
 * @example
 * ```ts
 * const connection = await mongoose.createConnection(process.env.MONGODB_URI).asPromise();
 * const store = new MongooseScopeStore(connection);
 * const { key } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
 * ```
 */
export class MongooseScopeStore implements ScopeStore, ApiKeyImportStore {
  /** The models this store queries. */
  readonly models: ScopedModels;
  private readonly prefix: string;
  /** The argon2id parameters of new keys, and the least a verifier built on this store rehashes to. Frozen. */
  readonly hashOptions: Readonly<Required<HashOptions>>;
  private readonly events = new ChangeEvents();
  private readonly changeLog: ChangeLog;
  private readonly watcher: ChangeLogWatcher;
  /** The database server's clock: rotation dates the old key's expiry by it. */
  private readonly clock: DatabaseClock;
  private readonly audit: MongooseAuditLog;

  /**
   * @param source - A connection (the models are bound to it with
   *   `createScopedModels` and the collection options), models from
   *   `createScopedModels`, or nothing: mongoose's default connection, on
   *   which queries wait for `mongoose.connect()` (the models are then the
   *   exported `ScopedApiKey` and `ScopedGroup`, unless the options name other
   *   collections).
   * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for any other
   *   source (a connection string, the mongoose module, …), which the message
   *   never echoes, or an invalid prefix or collection name.
   */
  constructor(source?: Connection | ScopedModels, options: MongooseScopeStoreOptions = {}) {
    this.models = resolveStoreModels(source, options);
    this.prefix = assertKeyPrefix(options.prefix ?? DEFAULT_KEY_PREFIX);
    this.hashOptions = Object.freeze({ ...DEFAULT_HASH_OPTIONS, ...options.hashOptions });
    const changeStreams = options.changeStreams ?? 'auto';
    if (changeStreams !== 'auto' && changeStreams !== 'off') {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'changeStreams must be "auto" or "off".', { details: { option: 'changeStreams' } });
    }
    const retentionMs = integerOption('changeRetentionMs', options.changeRetentionMs, 300_000, 60_000, 86_400_000);
    this.clock = options[DATABASE_CLOCK] ?? serverClock(this.models.ScopedChange);
    this.changeLog = new ChangeLog(this.models.ScopedChange, { retentionMs, clock: this.clock });
    const auditRetentionMs = integerOption('auditRetentionMs', options.auditRetentionMs, DEFAULT_AUDIT_RETENTION_MS, MIN_AUDIT_RETENTION_MS, MAX_AUDIT_RETENTION_MS);
    this.audit = new MongooseAuditLog(this.models.ScopedAudit, auditRetentionMs);
    this.watcher = new ChangeLogWatcher(mongooseChangeLogSource(this.models.ScopedChange), {
      pollIntervalMs: integerOption('pollIntervalMs', options.pollIntervalMs, 1000, 10, 60_000),
      retentionMs,
      changeStreams,
      origin: this.changeLog.origin,
    });
  }

  /**
   * The rate-limit backend on this store's database (`mongoRateLimitBackend`
   * on the API key model's connection), so that the rate limits of
   * `createScopedContext({ store, rateLimits })` are shared by every replica.
   * Made once per store.
   */
  rateLimitBackend(): RateLimitBackend {
    this.sharedRateLimits ??= mongoRateLimitBackend(this.models.ScopedApiKey.db);
    return this.sharedRateLimits;
  }

  private sharedRateLimits: RateLimitBackend | undefined;

  private get keys(): ScopedApiKeyModel {
    return this.models.ScopedApiKey;
  }

  private get groups(): ScopedGroupModel {
    return this.models.ScopedGroup;
  }

  async createApiKey<Grant extends string = string>(input: CreateApiKeyInput<Grant>, options?: ChangeOptions): Promise<CreatedApiKey> {
    const change = assertChangeOptions(options);
    const created = await insertApiKey(this.keys, input, { prefix: this.prefix, hashOptions: this.hashOptions });
    await this.audit.append(keyDraft(creationAction(change), change, created.apiKey.id, diffKeys(null, created.apiKey)));
    await this.changeLog.append(this.events.apiKey(created.apiKey.id, 'created', change));
    return created;
  }

  async importApiKey(input: ImportApiKeyInput, options?: ChangeOptions): Promise<ApiKeyRecord> {
    const change = assertChangeOptions(options);
    const { record, hash } = prepareImportedKey(input);
    try {
      await this.keys.create(apiKeyDocument(record, hash));
    } catch (error) {
      throw toStoreError(error, 'importApiKey');
    }
    await this.audit.append(keyDraft('imported', change, record.id, diffKeys(null, toApiKeyRecord({ ...record, keyId: record.id }))));
    await this.changeLog.append(this.events.apiKey(record.id, 'imported', change));
    return toApiKeyRecord({ ...record, keyId: record.id });
  }

  async listAuditEntries(options?: ListAuditOptions): Promise<AuditEntry[]> {
    return this.audit.list(options);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | null> {
    const keyId = assertKeyId(id);
    const doc = await storeCall('getApiKey', () => this.keys.findOne({ keyId }).lean());
    return doc === null ? null : toApiKeyRecord(doc);
  }

  async listApiKeys(options?: ListApiKeysOptions): Promise<ApiKeyRecord[]> {
    const { search, limit, after } = assertListOptions(options);
    const docs = await storeCall('listApiKeys', async () => {
      const cursor = after === undefined ? undefined : await this.keys.findOne({ keyId: after }, { createdAt: 1 }).lean();
      if (cursor === null) return null;
      const literal = search === undefined ? undefined : escapeRegExp(search);
      const query = this.keys
        .find({
          $and: [
            // The list's order is (createdAt, _id) descending, served by the { createdAt: -1, _id: -1 } index.
            cursor === undefined ? {} : { $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: cursor._id } }] },
            literal === undefined ? {} : { $or: [{ name: { $regex: literal, $options: 'i' } }, { keyId: { $regex: `^${literal}` } }] },
          ],
        })
        .sort({ createdAt: -1, _id: -1 });
      return (limit === undefined ? query : query.limit(limit)).lean();
    });
    if (docs === null) throw notFoundError('API key', after ?? '');
    return docs.map(toApiKeyRecord);
  }

  async updateApiKey(id: string, changes: UpdateApiKeyInput, options?: ChangeOptions): Promise<ApiKeyRecord> {
    const keyId = assertKeyId(id);
    const checked = assertApiKeyChanges(changes);
    const change = assertChangeOptions(options);
    const { before, after } = await this.updateKey('updateApiKey', { keyId }, checked);
    await this.audit.append(keyDraft(updateAction(before, after, new Date()), change, keyId, diffKeys(before, after)));
    await this.changeLog.append(this.events.apiKey(keyId, 'updated', change));
    return after;
  }

  /**
   * Rotates with a compare-and-set, so that a revoke, a narrowing or another
   * rotation made meanwhile (by this process or another) is never lost:
   * read the key, hash the new secret, then shorten the old key's expiry
   * only if it still has the state that was read (not revoked, the same
   * scopes, name, owner and expiry), and only then insert the successor,
   * with that state. On a conflict it reads again (`ERR_KEY_INACTIVE` if
   * the key is now revoked or expired). No active successor exists before
   * the old key is committed to expire; if the insert fails, the old key's
   * expiry is put back.
   */
  async rotateApiKey(id: string, input: RotateApiKeyInput, options?: ChangeOptions): Promise<CreatedApiKey> {
    const keyId = assertKeyId(id);
    const rotation = assertRotationInput(input);
    const change = assertChangeOptions(options);
    for (let attempt = 1; ; attempt += 1) {
      const doc = await storeCall('rotateApiKey', () => this.keys.findOne({ keyId }).lean());
      if (doc === null) throw notFoundError('API key', keyId);
      assertTrustedKey(doc, 'rotateApiKey');
      // The server's clock, not this host's: `keys rotate --grace 0` from a host whose clock runs ahead must still end the old key now.
      const now = await storeCall('rotateApiKey', this.clock);
      const plan = planRotation(toApiKeyRecord(doc), rotation, now);
      const successor = rotationSuccessor(await prepareApiKey(plan.input, { prefix: this.prefix, hashOptions: this.hashOptions, now }), plan, now);
      const claimed = await storeCall('rotateApiKey', () => this.keys.updateOne(unchangedKey(doc), { $set: { expiresAt: plan.oldExpiresAt } }));
      if (claimed.matchedCount === 0) {
        if (attempt >= MAX_ROTATION_ATTEMPTS) throw rotationConflict(keyId, attempt);
        continue; // changed meanwhile: read it again
      }
      let created: CreatedApiKey;
      try {
        created = await insertPreparedApiKey(this.keys, successor);
      } catch (error) {
        // No successor: put the old key's expiry back, unless something changed it since.
        await this.keys.updateOne({ keyId, expiresAt: plan.oldExpiresAt }, { $set: { expiresAt: doc.expiresAt ?? null } }).catch(() => undefined);
        if (error instanceof ScopedPermissionsError && error.code === 'ERR_DUPLICATE' && attempt < MAX_ROTATION_ATTEMPTS) continue;
        throw error;
      }
      const old = toApiKeyRecord(doc);
      await this.audit.append(keyDraft('rotated', change, keyId, diffKeys(old, { ...old, expiresAt: plan.oldExpiresAt }), created.apiKey.id));
      await this.changeLog.append(this.events.apiKey(created.apiKey.id, 'created', change));
      await this.changeLog.append(this.events.apiKey(keyId, 'rotated', change, created.apiKey.id));
      return created;
    }
  }

  async revokeApiKey(id: string, options?: ChangeOptions): Promise<ApiKeyRecord> {
    const keyId = assertKeyId(id);
    const change = assertChangeOptions(options);
    const { before, after } = await this.updateKey('revokeApiKey', { keyId, revokedAt: null }, { revokedAt: new Date() });
    await this.audit.append(keyDraft('revoked', change, keyId, diffKeys(before, after)));
    await this.changeLog.append(this.events.apiKey(keyId, 'revoked', change));
    return after;
  }

  async setApiKeyScopes(id: string, scopes: readonly string[], options?: ChangeOptions): Promise<ApiKeyRecord> {
    const keyId = assertKeyId(id);
    const grants = assertReplacementGrants(scopes);
    const change = assertChangeOptions(options);
    const { before, after } = await this.updateKey('setApiKeyScopes', { keyId }, { scopes: grants });
    await this.audit.append(keyDraft('updated', change, keyId, diffKeys(before, after)));
    await this.changeLog.append(this.events.apiKey(keyId, 'scopes', change));
    return after;
  }

  async touchApiKey(id: string, at: Date, minIntervalMs = 0): Promise<boolean> {
    const keyId = assertKeyId(id);
    const threshold = assertTouchArguments(at, minIntervalMs);
    // One conditional write: concurrent requests can neither move lastUsedAt
    // backwards nor write more often than once per minIntervalMs.
    const result = await storeCall('touchApiKey', () =>
      this.keys.updateOne(
        { keyId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: threshold } }] },
        { $set: { lastUsedAt: new Date(at.getTime()) } },
        { timestamps: false },
      ),
    );
    return result.matchedCount > 0;
  }

  async findApiKeyCredential(id: string): Promise<ApiKeyCredential | null> {
    const keyId = assertKeyId(id);
    const doc = await storeCall('findApiKeyCredential', () => this.keys.findOne({ keyId }).select('+hash').lean());
    if (doc === null) return null;
    if (typeof doc.hash !== 'string' || doc.hash === '') {
      // Fail closed: a key without a hash is corrupt, never a key that matches anything.
      throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `findApiKeyCredential: API key ${JSON.stringify(keyId)} has no stored hash.`, {
        details: { operation: 'findApiKeyCredential', id: keyId },
      });
    }
    assertTrustedKey(doc, 'findApiKeyCredential');
    return { apiKey: toApiKeyRecord(doc), hash: doc.hash };
  }

  async updateApiKeyHash(id: string, hash: string): Promise<void> {
    const keyId = assertKeyId(id);
    assertPhcHash(hash);
    const result = await storeCall('updateApiKeyHash', () => this.keys.updateOne({ keyId }, { $set: { hash } }));
    if (result.matchedCount === 0) throw notFoundError('API key', keyId);
  }

  onApiKeyChange(listener: (id: string) => void): () => void {
    return this.events.subscribeApiKeys(listener);
  }

  onChange(listener: (change: ScopeChange) => void): () => void {
    return this.events.subscribe(listener);
  }

  /**
   * Every change of the keys and groups: those made through this store
   * object at once, and those made through any other store on the same
   * database (another replica, the CLI) from its change log, within
   * `pollIntervalMs` (or at once, with a change stream on a replica set).
   * One watcher, started by the first subscription and stopped by the last,
   * serves them all.
   */
  watchChanges(listener: (change: WatchedChange) => void, options: WatchChangesOptions = {}): ChangeWatch {
    const local = this.events.watchInProcess(listener);
    const remote = this.watcher.subscribe(listener, options.onError);
    return {
      ready: remote.ready,
      dispose: async () => {
        await local.dispose();
        await remote.unsubscribe();
      },
    };
  }

  async saveGroup(input: SaveGroupInput, options?: ChangeOptions): Promise<GroupRecord> {
    assertObject(input, 'saveGroup', '{ name, scopes, catalog? }');
    const name = assertGroupName(input.name);
    const scopes = assertGrants(input.scopes);
    if (input.catalog !== undefined) assertKnownScopes(scopes, input.catalog);
    const change = assertChangeOptions(options);
    // Two concurrent first saves can both try to insert; the loser's upsert
    // hits the unique index, and a second attempt updates the winner's group.
    for (let attempt = 1; ; attempt += 1) {
      try {
        const previous = await this.groups.findOne({ name }, { scopes: 1 }).lean();
        const doc = await this.groups
          .findOneAndUpdate({ name }, { $set: { scopes }, $setOnInsert: { members: [] } }, { upsert: true, returnDocument: 'after' })
          .lean();
        if (doc === null) throw new Error('upsert returned no document');
        const group = toGroupRecord(doc);
        const beforeScopes = previous === null ? null : Array.isArray(previous.scopes) ? previous.scopes.filter((scope): scope is string => typeof scope === 'string') : [];
        await this.audit.append(groupDraft('group-saved', change, name, [diffLists('scopes', beforeScopes, group.scopes)]));
        await this.changeLog.append(this.events.group(name, 'saved', group.members, change));
        return group;
      } catch (error) {
        const mapped = toStoreError(error, 'saveGroup');
        if (mapped.code !== 'ERR_DUPLICATE' || attempt >= 2) throw mapped;
      }
    }
  }

  async deleteGroup(name: string, options?: ChangeOptions): Promise<void> {
    const group = assertGroupName(name);
    const change = assertChangeOptions(options);
    const doc = await storeCall('deleteGroup', () => this.groups.findOneAndDelete({ name: group }).lean());
    if (doc === null) throw notFoundError('group', group);
    // Only the members are needed: a group whose stored scopes are malformed must still be deletable.
    const members = Array.isArray(doc.members) ? doc.members.filter((member): member is string => typeof member === 'string') : [];
    const scopes = Array.isArray(doc.scopes) ? doc.scopes.filter((scope): scope is string => typeof scope === 'string') : [];
    await this.audit.append(groupDraft('deleted', change, group, [diffLists('scopes', scopes, null), diffLists('members', members, null)]));
    await this.changeLog.append(this.events.group(group, 'deleted', members, change));
  }

  async addGroupMember(name: string, userId: string, options?: ChangeOptions): Promise<GroupRecord> {
    const group = assertGroupName(name);
    const member = assertUserId(userId);
    const change = assertChangeOptions(options);
    const record = await this.updateMembers('addGroupMember', group, { members: { $ne: member } }, { $addToSet: { members: member } });
    await this.audit.append(groupDraft('member-added', change, group, [{ field: 'member', before: null, after: member }]));
    await this.changeLog.append(this.events.group(group, 'member-added', [member], change));
    return record;
  }

  async removeGroupMember(name: string, userId: string, options?: ChangeOptions): Promise<GroupRecord> {
    const group = assertGroupName(name);
    const member = assertUserId(userId);
    const change = assertChangeOptions(options);
    const record = await this.updateMembers('removeGroupMember', group, { members: member }, { $pull: { members: member } });
    await this.audit.append(groupDraft('member-removed', change, group, [{ field: 'member', before: member, after: null }]));
    await this.changeLog.append(this.events.group(group, 'member-removed', [member], change));
    return record;
  }

  async getGroup(name: string): Promise<GroupRecord | null> {
    const group = assertGroupName(name);
    const doc = await storeCall('getGroup', () => this.groups.findOne({ name: group }).lean());
    return doc === null ? null : toGroupRecord(doc);
  }

  async listGroups(): Promise<GroupRecord[]> {
    const docs = await storeCall('listGroups', () => this.groups.find().sort({ name: 1 }).lean());
    return docs.map(toGroupRecord);
  }

  async getUserScopes(userId: string): Promise<string[]> {
    const member = assertUserId(userId);
    // Served by the multikey index on `members`.
    const docs = await storeCall('getUserScopes', () => this.groups.find({ members: member }, { name: 1, scopes: 1, _id: 0 }).lean());
    const scopes = new Set<string>();
    // `lean()` does not cast: a group whose scopes another tool wrote as the string "posts.*"
    // must fail closed, never grant "p", "o", …, "*".
    for (const doc of docs) for (const scope of storedScopes(doc.scopes, 'getUserScopes', { group: doc.name })) scopes.add(scope);
    return [...scopes].sort();
  }

  /**
   * Sets fields on the key matching `filter` (which names `keyId`, and may
   * add a condition), reading the key before (for the audit history) and after.
   *
   * An `updateOne` and a `findOne` rather than one `findOneAndUpdate`: with
   * `hash` deselected, Mongoose sends `findAndModify` a projection, which
   * FerretDB 1.x rejects ("support for field \"fields\" … is not
   * implemented yet").
   *
   * @throws `ERR_NOT_FOUND` when no key has the id.
   */
  private async updateKey(
    operation: string,
    filter: { keyId: string; revokedAt?: null },
    set: { revokedAt: Date } | { scopes: string[] } | { name?: string; expiresAt?: Date | null; ownerId?: string | null },
  ): Promise<{ before: ApiKeyRecord; after: ApiKeyRecord }> {
    const docs = await storeCall(operation, async () => {
      const before: ApiKeyLean | null = await this.keys.findOne({ keyId: filter.keyId }).lean();
      if (before === null) return null;
      await this.keys.updateOne(filter, { $set: set });
      const after: ApiKeyLean | null = await this.keys.findOne({ keyId: filter.keyId }).lean();
      return after === null ? null : { before, after };
    });
    if (docs === null) throw notFoundError('API key', filter.keyId);
    return { before: toApiKeyRecord(docs.before), after: toApiKeyRecord(docs.after) };
  }

  /**
   * Applies a membership change only when it changes something (so
   * `updatedAt` moves only then), and returns the group either way.
   */
  private async updateMembers(
    operation: string,
    name: string,
    condition: { members: string | { $ne: string } },
    update: { $addToSet: { members: string } } | { $pull: { members: string } },
  ): Promise<GroupRecord> {
    const doc = await storeCall(
      operation,
      async () =>
        (await this.groups.findOneAndUpdate({ name, ...condition }, update, { returnDocument: 'after' }).lean()) ??
        (await this.groups.findOne({ name }).lean()),
    );
    if (doc === null) throw notFoundError('group', name);
    return toGroupRecord(doc);
  }
}
