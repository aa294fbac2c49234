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
import { MemoryAuditLog } from './memory-audit-log';
import { planRotation, rotationSuccessor } from '../plan-rotation';
import { prepareApiKey } from '../prepare-api-key';
import { prepareImportedKey } from '../prepare-imported-key';
import type { PrepareApiKeyOptions } from '../prepare-api-key';
import type { PreparedApiKey } from '../prepare-api-key';
import type {
  ApiKeyImportStore,
  ImportApiKeyInput,
  ApiKeyCredential,
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

/** Options of {@link MemoryScopeStore}. */
export interface MemoryScopeStoreOptions {
  /** The brand prefix of new keys (2–16 lower-case letters and digits). Default `'gsp'`. */
  prefix?: string;
  /**
   * argon2id parameters for new keys, and for the rehashes of verifiers built
   * on this store (the one source of truth). Default `DEFAULT_HASH_OPTIONS`
   * (m=19456 KiB, t=2, p=1).
   */
  hashOptions?: HashOptions;
  /**
   * How long audit entries are kept, in milliseconds: 1 day to 10 years.
   * Default 31536000000 (365 days).
   */
  auditRetentionMs?: number;
}


/** How many fresh ids `createApiKey` draws before it reports `ERR_DUPLICATE`. */
const MAX_INSERT_ATTEMPTS = 3;

interface StoredKey {
  record: ApiKeyRecord;
  hash: string;
  /** Insertion counter, to order keys created in the same millisecond. */
  sequence: number;
}

interface StoredGroup {
  name: string;
  scopes: string[];
  members: Set<string>;
  createdAt: Date;
  updatedAt: Date;
}

function duplicateIdError(attempts: number): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_DUPLICATE', 'Could not draw an unused API key id.', { details: { attempts } });
}

function copyDate(date: Date | null): Date | null {
  return date === null ? null : new Date(date.getTime());
}

function copyKey(record: ApiKeyRecord): ApiKeyRecord {
  return {
    ...record,
    scopes: [...record.scopes],
    createdAt: new Date(record.createdAt.getTime()),
    expiresAt: copyDate(record.expiresAt),
    revokedAt: copyDate(record.revokedAt),
    lastUsedAt: copyDate(record.lastUsedAt),
  };
}

function copyGroup(group: StoredGroup): GroupRecord {
  return {
    name: group.name,
    scopes: [...group.scopes],
    members: [...group.members].sort(),
    createdAt: new Date(group.createdAt.getTime()),
    updatedAt: new Date(group.updatedAt.getTime()),
  };
}

/**
 * A {@link ScopeStore} kept in process memory: for tests, examples and
 * single-process tools. Nothing survives a restart.
 *
 * Like every store it keeps only the argon2id hash of each secret, checks
 * every input before use, and hands out copies (mutating a returned record
 * changes nothing inside). Time comes from `new Date()`, so tests can freeze
 * it with Jest's fake timers.
 *
 * @example
 * ```ts
 * const store = new MemoryScopeStore();
 * const { key } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
 * const verifier = createApiKeyVerifier(store);
 * ```
 */
export class MemoryScopeStore implements ScopeStore, ApiKeyImportStore {
  private readonly prefix: string;
  /** The argon2id parameters of new keys, and the least a verifier built on this store rehashes to. Frozen. */
  readonly hashOptions: Readonly<Required<HashOptions>>;
  private readonly keys = new Map<string, StoredKey>();
  private readonly groups = new Map<string, StoredGroup>();
  private readonly events = new ChangeEvents();
  private readonly audit: MemoryAuditLog;
  private sequence = 0;

  constructor(options: MemoryScopeStoreOptions = {}) {
    this.prefix = assertKeyPrefix(options.prefix ?? DEFAULT_KEY_PREFIX);
    this.hashOptions = Object.freeze({ ...DEFAULT_HASH_OPTIONS, ...options.hashOptions });
    this.audit = new MemoryAuditLog(integerOption('auditRetentionMs', options.auditRetentionMs, DEFAULT_AUDIT_RETENTION_MS, MIN_AUDIT_RETENTION_MS, MAX_AUDIT_RETENTION_MS));
  }

  async createApiKey<Grant extends string = string>(input: CreateApiKeyInput<Grant>, options?: ChangeOptions): Promise<CreatedApiKey> {
    const change = assertChangeOptions(options);
    const created = await this.insertKey(input);
    this.audit.append(keyDraft(creationAction(change), change, created.apiKey.id, diffKeys(null, created.apiKey)));
    this.events.apiKey(created.apiKey.id, 'created', change);
    return created;
  }

  async listAuditEntries(options?: ListAuditOptions): Promise<AuditEntry[]> {
    return this.audit.list(options);
  }

  async rotateApiKey(id: string, input: RotateApiKeyInput, options?: ChangeOptions): Promise<CreatedApiKey> {
    assertKeyId(id);
    const rotation = assertRotationInput(input);
    const change = assertChangeOptions(options);
    for (let attempt = 1; ; attempt += 1) {
      const read = planRotation(this.requireKey(id).record, rotation, new Date());
      // The secret is hashed first (tens of milliseconds, in which a revoke or
      // a narrowing may land); the rotation is then planned from the key as it
      // is now and committed in one synchronous step, so it cannot be raced.
      const prepared = await prepareApiKey(read.input, { prefix: this.prefix, hashOptions: this.hashOptions, now: new Date() });
      const old = this.requireKey(id);
      const now = new Date();
      const plan = planRotation(old.record, rotation, now);
      const successor = rotationSuccessor(prepared, plan, now);
      if (!this.insertPrepared(successor)) {
        if (attempt >= MAX_INSERT_ATTEMPTS) throw duplicateIdError(attempt);
        continue;
      }
      const before = old.record;
      old.record = { ...old.record, expiresAt: plan.oldExpiresAt };
      this.audit.append(keyDraft('rotated', change, id, diffKeys(before, old.record), successor.record.id));
      this.events.apiKey(successor.record.id, 'created', change);
      this.events.apiKey(old.record.id, 'rotated', change, successor.record.id);
      return { apiKey: copyKey(successor.record), key: successor.key };
    }
  }

  async importApiKey(input: ImportApiKeyInput, options?: ChangeOptions): Promise<ApiKeyRecord> {
    const change = assertChangeOptions(options);
    const { record, hash } = prepareImportedKey(input);
    if (this.keys.has(record.id)) throw new ScopedPermissionsError('ERR_DUPLICATE', `An API key with id ${record.id} already exists.`, { details: { id: record.id } });
    this.sequence += 1;
    this.keys.set(record.id, { record, hash, sequence: this.sequence });
    this.audit.append(keyDraft('imported', change, record.id, diffKeys(null, record)));
    this.events.apiKey(record.id, 'imported', change);
    return copyKey(record);
  }

  private async insertKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    for (let attempt = 1; ; attempt += 1) {
      const prepared = await prepareApiKey(input, { prefix: this.prefix, hashOptions: this.hashOptions, now: new Date() });
      if (this.insertPrepared(prepared)) return { apiKey: copyKey(prepared.record), key: prepared.key };
      // A duplicate 71-bit random id is astronomically unlikely; draw again, as the Mongoose store does.
      if (attempt >= MAX_INSERT_ATTEMPTS) throw duplicateIdError(attempt);
    }
  }

  /** Stores a prepared key; `false` when its id is taken. */
  private insertPrepared(prepared: PreparedApiKey): boolean {
    if (this.keys.has(prepared.record.id)) return false;
    this.sequence += 1;
    this.keys.set(prepared.record.id, { record: prepared.record, hash: prepared.hash, sequence: this.sequence });
    return true;
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | null> {
    const stored = this.keys.get(assertKeyId(id));
    return stored === undefined ? null : copyKey(stored.record);
  }

  async listApiKeys(options?: ListApiKeysOptions): Promise<ApiKeyRecord[]> {
    const { search, limit, after } = assertListOptions(options);
    const newestFirst = (a: StoredKey, b: StoredKey): number => b.record.createdAt.getTime() - a.record.createdAt.getTime() || b.sequence - a.sequence;
    let keys = [...this.keys.values()];
    if (after !== undefined) {
      const cursor = this.keys.get(after);
      if (cursor === undefined) throw notFoundError('API key', after);
      keys = keys.filter((stored) => newestFirst(cursor, stored) < 0);
    }
    if (search !== undefined) {
      const needle = search.toLowerCase();
      keys = keys.filter(({ record }) => record.name.toLowerCase().includes(needle) || record.id.startsWith(search));
    }
    return keys
      .sort(newestFirst)
      .slice(0, limit)
      .map((stored) => copyKey(stored.record));
  }

  async updateApiKey(id: string, changes: UpdateApiKeyInput, options?: ChangeOptions): Promise<ApiKeyRecord> {
    assertKeyId(id);
    const checked = assertApiKeyChanges(changes);
    const change = assertChangeOptions(options);
    const stored = this.requireKey(id);
    const before = stored.record;
    stored.record = { ...stored.record, ...checked };
    this.audit.append(keyDraft(updateAction(before, stored.record, new Date()), change, id, diffKeys(before, stored.record)));
    this.events.apiKey(stored.record.id, 'updated', change);
    return copyKey(stored.record);
  }

  async revokeApiKey(id: string, options?: ChangeOptions): Promise<ApiKeyRecord> {
    const change = assertChangeOptions(options);
    const stored = this.requireKey(id);
    const before = stored.record;
    if (stored.record.revokedAt === null) stored.record = { ...stored.record, revokedAt: new Date() };
    this.audit.append(keyDraft('revoked', change, stored.record.id, diffKeys(before, stored.record)));
    this.events.apiKey(stored.record.id, 'revoked', change);
    return copyKey(stored.record);
  }

  async setApiKeyScopes(id: string, scopes: readonly string[], options?: ChangeOptions): Promise<ApiKeyRecord> {
    assertKeyId(id);
    const grants = assertReplacementGrants(scopes);
    const change = assertChangeOptions(options);
    const stored = this.requireKey(id);
    const before = stored.record;
    stored.record = { ...stored.record, scopes: grants };
    this.audit.append(keyDraft('updated', change, id, diffKeys(before, stored.record)));
    this.events.apiKey(stored.record.id, 'scopes', change);
    return copyKey(stored.record);
  }

  async touchApiKey(id: string, at: Date, minIntervalMs = 0): Promise<boolean> {
    assertKeyId(id);
    const threshold = assertTouchArguments(at, minIntervalMs);
    const stored = this.keys.get(id);
    if (stored === undefined) return false;
    const last = stored.record.lastUsedAt;
    if (last !== null && last.getTime() >= threshold.getTime()) return false;
    stored.record = { ...stored.record, lastUsedAt: new Date(at.getTime()) };
    return true;
  }

  async findApiKeyCredential(id: string): Promise<ApiKeyCredential | null> {
    const stored = this.keys.get(assertKeyId(id));
    return stored === undefined ? null : { apiKey: copyKey(stored.record), hash: stored.hash };
  }

  async updateApiKeyHash(id: string, hash: string): Promise<void> {
    assertKeyId(id);
    assertPhcHash(hash);
    this.requireKey(id).hash = hash;
  }

  onApiKeyChange(listener: (id: string) => void): () => void {
    return this.events.subscribeApiKeys(listener);
  }

  onChange(listener: (change: ScopeChange) => void): () => void {
    return this.events.subscribe(listener);
  }

  /**
   * Every change of this store, at once: a memory store is seen by one
   * process only, so its watch is its change events (mode `'in-process'`).
   */
  watchChanges(listener: (change: WatchedChange) => void): ChangeWatch {
    return this.events.watchInProcess(listener);
  }

  async saveGroup(input: SaveGroupInput, options?: ChangeOptions): Promise<GroupRecord> {
    if (typeof input !== 'object' || input === null) {
      throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'saveGroup takes an object { name, scopes, catalog? }.', { details: { field: 'input' } });
    }
    const name = assertGroupName(input.name);
    const scopes = assertGrants(input.scopes);
    if (input.catalog !== undefined) assertKnownScopes(scopes, input.catalog);
    const change = assertChangeOptions(options);
    const now = new Date();
    let group = this.groups.get(name);
    this.audit.append(groupDraft('group-saved', change, name, [diffLists('scopes', group?.scopes ?? null, scopes)]));
    if (group === undefined) {
      group = { name, scopes, members: new Set(), createdAt: now, updatedAt: now };
      this.groups.set(name, group);
    } else {
      group.scopes = scopes;
      group.updatedAt = now;
    }
    this.events.group(name, 'saved', [...group.members], change);
    return copyGroup(group);
  }

  async deleteGroup(name: string, options?: ChangeOptions): Promise<void> {
    const change = assertChangeOptions(options);
    const group = this.requireGroup(name);
    this.groups.delete(group.name);
    this.audit.append(groupDraft('deleted', change, group.name, [diffLists('scopes', group.scopes, null), diffLists('members', [...group.members], null)]));
    this.events.group(group.name, 'deleted', [...group.members], change);
  }

  async addGroupMember(name: string, userId: string, options?: ChangeOptions): Promise<GroupRecord> {
    const member = assertUserId(userId);
    const change = assertChangeOptions(options);
    const group = this.requireGroup(name);
    if (!group.members.has(member)) {
      group.members.add(member);
      group.updatedAt = new Date();
    }
    this.audit.append(groupDraft('member-added', change, group.name, [{ field: 'member', before: null, after: member }]));
    this.events.group(group.name, 'member-added', [member], change);
    return copyGroup(group);
  }

  async removeGroupMember(name: string, userId: string, options?: ChangeOptions): Promise<GroupRecord> {
    const member = assertUserId(userId);
    const change = assertChangeOptions(options);
    const group = this.requireGroup(name);
    if (group.members.delete(member)) group.updatedAt = new Date();
    this.audit.append(groupDraft('member-removed', change, group.name, [{ field: 'member', before: member, after: null }]));
    this.events.group(group.name, 'member-removed', [member], change);
    return copyGroup(group);
  }

  async getGroup(name: string): Promise<GroupRecord | null> {
    const group = this.groups.get(assertGroupName(name));
    return group === undefined ? null : copyGroup(group);
  }

  async listGroups(): Promise<GroupRecord[]> {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(copyGroup);
  }

  async getUserScopes(userId: string): Promise<string[]> {
    const member = assertUserId(userId);
    const scopes = new Set<string>();
    for (const group of this.groups.values()) {
      if (group.members.has(member)) for (const scope of group.scopes) scopes.add(scope);
    }
    return [...scopes].sort();
  }

  private requireKey(id: string): StoredKey {
    const stored = this.keys.get(assertKeyId(id));
    if (stored === undefined) throw notFoundError('API key', id);
    return stored;
  }

  private requireGroup(name: string): StoredGroup {
    const group = this.groups.get(assertGroupName(name));
    if (group === undefined) throw notFoundError('group', name);
    return group;
  }
}
