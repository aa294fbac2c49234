import type { ScopeCatalog } from '../scopes/scope-catalog';

/**
 * An API key as stores expose it. It never carries the secret or its hash;
 * show `prefix` and `id` (masked) in listings.
 */
export interface ApiKeyRecord {
  /** The public lookup id (12 base62 characters), unique. */
  readonly id: string;
  /** A human name, for example the service that uses the key. */
  readonly name: string;
  /** The brand prefix the key was issued with, for example `gsp`. */
  readonly prefix: string;
  /**
   * The granted scopes, sorted. Empty means a legacy unrestricted key, whose
   * access the `unscopedKeys` option decides.
   */
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  /** When the key stops working; `null` for never. */
  readonly expiresAt: Date | null;
  /** When the key was revoked; `null` while it is live. */
  readonly revokedAt: Date | null;
  /** The last successful use, when `trackLastUsed` is on; else `null`. */
  readonly lastUsedAt: Date | null;
}

/** What {@link ApiKeyStore.createApiKey} takes. */
export interface CreateApiKeyInput {
  /** A human name, 1–200 characters. */
  name: string;
  /** Grants, validated against the scope grammar. Default `[]` (legacy unrestricted). */
  scopes?: readonly string[];
  /** When the key stops working. Default `null` (never). */
  expiresAt?: Date | null;
  /**
   * A catalogue from `discoverScopes`. When given, every scope must be in it,
   * else `ERR_UNKNOWN_SCOPE` names the closest known scope (typo protection).
   */
  catalog?: ScopeCatalog;
}

/** The result of creating a key: the record, and the full key, shown once. */
export interface CreatedApiKey {
  readonly apiKey: ApiKeyRecord;
  /** The full key. Return it to the user once; it is never stored or logged. */
  readonly key: string;
}

/** A key record with its stored argon2id hash, for the verifier only. */
export interface ApiKeyCredential {
  readonly apiKey: ApiKeyRecord;
  /** The PHC string of the argon2id hash of the secret. */
  readonly hash: string;
}

/** Managing API keys. Ids are checked (length, charset) before any query. */
export interface ApiKeyStore {
  /** Creates a key. Returns the full key once. */
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** The key with that id, or `null`. */
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  /** Every key, newest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes a key (idempotent). @throws `ERR_NOT_FOUND` */
  revokeApiKey(id: string): Promise<ApiKeyRecord>;
  /**
   * Replaces a key's scopes. An empty list is refused (`ERR_INVALID_INPUT`):
   * a key without scopes is unrestricted, so revoke a key to take its access away.
   * @throws `ERR_NOT_FOUND`, `ERR_INVALID_SCOPE`, `ERR_INVALID_INPUT`
   */
  setApiKeyScopes(id: string, scopes: readonly string[]): Promise<ApiKeyRecord>;
  /**
   * Records a use at `at`, as a conditional update: only when `lastUsedAt` is
   * unset or older than `at - minIntervalMs`. Returns whether it wrote.
   *
   * @param minIntervalMs - Milliseconds. Default 0.
   */
  touchApiKey(id: string, at: Date, minIntervalMs?: number): Promise<boolean>;
}

/** What the verifier needs beyond {@link ApiKeyStore}: the hash, and change events. */
export interface ApiKeyCredentialStore {
  /** The key with its hash, or `null`. */
  findApiKeyCredential(id: string): Promise<ApiKeyCredential | null>;
  /** Replaces the stored hash (transparent rehash after a parameter change). */
  updateApiKeyHash(id: string, hash: string): Promise<void>;
  /**
   * Subscribes to changes of a key (revocation, new scopes) made through this
   * store object, so caches in the same process can evict it at once.
   *
   * @returns A function that unsubscribes.
   */
  onApiKeyChange(listener: (id: string) => void): () => void;
}

/** A group of users that carries scopes. */
export interface GroupRecord {
  /** Unique name, 1–100 characters. */
  readonly name: string;
  /** The granted scopes, sorted. */
  readonly scopes: readonly string[];
  /** The ids of the member users, sorted. */
  readonly members: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What {@link GroupStore.saveGroup} takes. */
export interface SaveGroupInput {
  name: string;
  scopes: readonly string[];
  /** As for keys: when given, every scope must be in it. */
  catalog?: ScopeCatalog;
}

/** Managing groups and their members. */
export interface GroupStore {
  /** Creates the group, or replaces its scopes (members are kept). */
  saveGroup(input: SaveGroupInput): Promise<GroupRecord>;
  /** Deletes a group. @throws `ERR_NOT_FOUND` */
  deleteGroup(name: string): Promise<void>;
  /** Adds a user (idempotent). @throws `ERR_NOT_FOUND` */
  addGroupMember(name: string, userId: string): Promise<GroupRecord>;
  /** Removes a user (idempotent). @throws `ERR_NOT_FOUND` */
  removeGroupMember(name: string, userId: string): Promise<GroupRecord>;
  /** Every group, by name. */
  listGroups(): Promise<GroupRecord[]>;
  /** The union of the scopes of the user's groups, sorted (the seed's `get_user_scopes`). */
  getUserScopes(userId: string): Promise<string[]>;
}

/** Everything the package needs from storage. Implemented by `MemoryScopeStore` and `MongooseScopeStore`. */
export interface ScopeStore extends ApiKeyStore, ApiKeyCredentialStore, GroupStore {}
