import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { DEFAULT_KEY_PREFIX, assertKeyPrefix } from '../../keys/api-key-format';
import { DEFAULT_HASH_OPTIONS } from '../../keys/hash-secret';
import type { HashOptions } from '../../keys/hash-secret';
import { assertKnownScopes } from '../../scopes/assert-known-scopes';
import { ApiKeyChangeEvents } from '../api-key-events';
import { prepareApiKey } from '../prepare-api-key';
import type {
  ApiKeyCredential,
  ApiKeyRecord,
  CreateApiKeyInput,
  CreatedApiKey,
  GroupRecord,
  SaveGroupInput,
  ScopeStore,
} from '../scope-store';
import { assertGrants, assertGroupName, assertKeyId, assertPhcHash, assertReplacementGrants, assertTouchArguments, assertUserId, notFoundError } from '../store-input';

/** Options of {@link MemoryScopeStore}. */
export interface MemoryScopeStoreOptions {
  /** The brand prefix of new keys (2–16 lower-case letters and digits). Default `'gsp'`. */
  prefix?: string;
  /** argon2id parameters for new and rehashed keys. Default `DEFAULT_HASH_OPTIONS` (m=19456 KiB, t=2, p=1). */
  hashOptions?: HashOptions;
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
export class MemoryScopeStore implements ScopeStore {
  private readonly prefix: string;
  private readonly hashOptions: HashOptions;
  private readonly keys = new Map<string, StoredKey>();
  private readonly groups = new Map<string, StoredGroup>();
  private readonly events = new ApiKeyChangeEvents();
  private sequence = 0;

  constructor(options: MemoryScopeStoreOptions = {}) {
    this.prefix = assertKeyPrefix(options.prefix ?? DEFAULT_KEY_PREFIX);
    this.hashOptions = { ...DEFAULT_HASH_OPTIONS, ...options.hashOptions };
  }

  async createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    for (let attempt = 1; ; attempt += 1) {
      const prepared = await prepareApiKey(input, { prefix: this.prefix, hashOptions: this.hashOptions, now: new Date() });
      if (this.keys.has(prepared.record.id)) {
        // A duplicate 71-bit random id is astronomically unlikely; draw again, as the Mongoose store does.
        if (attempt >= MAX_INSERT_ATTEMPTS) {
          throw new ScopedPermissionsError('ERR_DUPLICATE', 'Could not draw an unused API key id.', { details: { attempts: attempt } });
        }
        continue;
      }
      this.sequence += 1;
      this.keys.set(prepared.record.id, { record: prepared.record, hash: prepared.hash, sequence: this.sequence });
      return { apiKey: copyKey(prepared.record), key: prepared.key };
    }
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | null> {
    const stored = this.keys.get(assertKeyId(id));
    return stored === undefined ? null : copyKey(stored.record);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return [...this.keys.values()]
      .sort((a, b) => b.record.createdAt.getTime() - a.record.createdAt.getTime() || b.sequence - a.sequence)
      .map((stored) => copyKey(stored.record));
  }

  async revokeApiKey(id: string): Promise<ApiKeyRecord> {
    const stored = this.requireKey(id);
    if (stored.record.revokedAt === null) stored.record = { ...stored.record, revokedAt: new Date() };
    this.events.emit(stored.record.id);
    return copyKey(stored.record);
  }

  async setApiKeyScopes(id: string, scopes: readonly string[]): Promise<ApiKeyRecord> {
    const stored = this.requireKey(id);
    stored.record = { ...stored.record, scopes: assertReplacementGrants(scopes) };
    this.events.emit(stored.record.id);
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
    return this.events.subscribe(listener);
  }

  async saveGroup(input: SaveGroupInput): Promise<GroupRecord> {
    if (typeof input !== 'object' || input === null) {
      throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'saveGroup takes an object { name, scopes, catalog? }.', { details: { field: 'input' } });
    }
    const name = assertGroupName(input.name);
    const scopes = assertGrants(input.scopes);
    if (input.catalog !== undefined) assertKnownScopes(scopes, input.catalog);
    const now = new Date();
    const existing = this.groups.get(name);
    if (existing === undefined) {
      const created: StoredGroup = { name, scopes, members: new Set(), createdAt: now, updatedAt: now };
      this.groups.set(name, created);
      return copyGroup(created);
    }
    existing.scopes = scopes;
    existing.updatedAt = now;
    return copyGroup(existing);
  }

  async deleteGroup(name: string): Promise<void> {
    this.requireGroup(name);
    this.groups.delete(name);
  }

  async addGroupMember(name: string, userId: string): Promise<GroupRecord> {
    const group = this.requireGroup(name);
    const member = assertUserId(userId);
    if (!group.members.has(member)) {
      group.members.add(member);
      group.updatedAt = new Date();
    }
    return copyGroup(group);
  }

  async removeGroupMember(name: string, userId: string): Promise<GroupRecord> {
    const group = this.requireGroup(name);
    if (group.members.delete(assertUserId(userId))) group.updatedAt = new Date();
    return copyGroup(group);
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
