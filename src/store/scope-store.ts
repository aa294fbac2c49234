import type { HashOptions } from '../keys/hash-secret';
import type { AuditLogSource } from './audit/audit-entry';
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
  /**
   * The user who owns the key, or `null`. With the verifier's
   * `ownerScopes: 'intersect'`, the key never holds more than its owner's
   * group scopes.
   */
  readonly ownerId: string | null;
  /** The id of the key this one replaced through {@link ApiKeyStore.rotateApiKey}, or `null`. */
  readonly rotatedFrom: string | null;
  /**
   * The key's own rate limit (`'1000/hour'`, see `parseRate`), applied by
   * `createScopedContext` to every request of the key; `null` or absent for
   * none. Optional for stores written before it existed.
   */
  readonly rateLimit?: string | null;
}

/**
 * What {@link ApiKeyStore.createApiKey} takes.
 *
 * @typeParam Grant - The grants accepted: any string by default; the
 *   `ScopeGrant` type that `scopes --format ts` generates, to make a typo a
 *   compile error.
 */
export interface CreateApiKeyInput<Grant extends string = string> {
  /** A human name, 1–200 characters. */
  name: string;
  /** Grants, validated against the scope grammar. Default `[]` (legacy unrestricted). */
  scopes?: readonly Grant[];
  /** When the key stops working. Default `null` (never). */
  expiresAt?: Date | null;
  /**
   * The user id of the key's owner (1–200 printable characters), for keys
   * that must never exceed their owner's group scopes (the verifier's
   * `ownerScopes: 'intersect'`). Default `null` (no owner).
   */
  ownerId?: string | null;
  /** The key's own rate limit, applied to every request of the key: `'1000/hour'` (see `parseRate`). Default `null` (none). */
  rateLimit?: string | null;
  /**
   * A catalogue from `discoverScopes`. When given, every scope must be in it,
   * else `ERR_UNKNOWN_SCOPE` names the closest known scope (typo protection).
   */
  catalog?: ScopeCatalog;
}

/** What {@link ApiKeyStore.rotateApiKey} takes. */
export interface RotateApiKeyInput {
  /**
   * How long the old key keeps working, in milliseconds, from now: an
   * integer from 0 (revoked at once, in effect: it expires now) to
   * `MAX_GRACE_PERIOD_MS` (365 days). Rotation never lengthens the old key's
   * life: an earlier expiry is kept.
   */
  gracePeriodMs: number;
  /** The new key's expiry. Default: the old key's `expiresAt`. */
  expiresAt?: Date | null;
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

/**
 * Who makes a change, passed as the last argument of every store method that
 * writes. The actor is not stored with the record; it reaches the change
 * listeners ({@link ScopeChangeSource.onChange}) and the audit history
 * ({@link AuditLogSource.listAuditEntries}).
 */
export interface ChangeOptions {
  /**
   * The id of whoever made the change, for example the admin page's
   * principal (`apiKey:a1B2c3D4e5F6`) or the CLI's `cli:<OS user>`.
   * 1–200 printable characters. Default: none (the audit history records `system`).
   */
  actor?: string;
  /**
   * Records a key creation as `imported` rather than `created` in the audit
   * history: for tools that bring keys from another system (drf-scoped-permissions'
   * key table, an export). Only key creations take it. Default: none.
   */
  auditAction?: 'imported';
}

/** What {@link ApiKeyStore.updateApiKey} changes. Fields left out are kept. */
export interface UpdateApiKeyInput {
  /** A new name, 1–200 printable characters. */
  name?: string;
  /** A new expiry; `null` for never. A time in the past expires the key at once. */
  expiresAt?: Date | null;
  /**
   * A new owner (a user id, 1–200 printable characters), or `null` for none.
   * With the verifier's `ownerScopes: 'intersect'`, the key never holds more
   * than its owner's group scopes.
   */
  ownerId?: string | null;
  /** A new rate limit for every request of the key (`'1000/hour'`); `null` for none. */
  rateLimit?: string | null;
}

/** Options of {@link ApiKeyStore.listApiKeys}: a search and a page. */
export interface ListApiKeysOptions {
  /**
   * Keeps the keys whose name contains this text (case-insensitive) or whose
   * id starts with it. 1–200 printable characters. Default: every key.
   */
  search?: string;
  /** The most keys returned, 1–1000. Default: all of them. */
  limit?: number;
  /**
   * A key id: the page starts after this key, in the list's order (newest
   * first). Pass the id of the last key of the previous page.
   * Default: from the newest key.
   */
  after?: string;
}

/** Managing API keys. Ids are checked (length, charset) before any query. */
export interface ApiKeyStore {
  /**
   * Creates a key. Returns the full key once. Pass the generated grant type
   * to type-check the scopes: `createApiKey<ScopeGrant>({ name, scopes })`.
   */
  createApiKey<Grant extends string = string>(input: CreateApiKeyInput<Grant>, options?: ChangeOptions): Promise<CreatedApiKey>;
  /** The key with that id, or `null`. */
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  /**
   * The keys, newest first (ties by insertion order, newest first), or one
   * page of them matching a search.
   *
   * @throws `ERR_INVALID_INPUT` for a bad search, limit or cursor; `ERR_NOT_FOUND` when `after` names no key.
   */
  listApiKeys(options?: ListApiKeysOptions): Promise<ApiKeyRecord[]>;
  /**
   * Renames a key, changes its expiry or its owner. Its scopes and secret
   * are unchanged. A change that moves an expired key's expiry into the
   * future is recorded as `expiry-extended` in the audit history.
   * @throws `ERR_NOT_FOUND`, `ERR_INVALID_INPUT` (an empty change, an unknown field, a bad name or date)
   */
  updateApiKey(id: string, changes: UpdateApiKeyInput, options?: ChangeOptions): Promise<ApiKeyRecord>;
  /**
   * Replaces a key with a new one (Stripe's "roll key", Unkey's reroll):
   * the new key has the old one's name, scopes and owner, and records
   * `rotatedFrom`; the old key expires after `gracePeriodMs`. Returns the new
   * key once. Reports `created` for the new key and `rotated` for the old.
   *
   * @throws `ERR_NOT_FOUND`; `ERR_INVALID_INPUT` for a bad grace period;
   *   `ERR_KEY_INACTIVE` when the old key is revoked or expired.
   */
  rotateApiKey(id: string, input: RotateApiKeyInput, options?: ChangeOptions): Promise<CreatedApiKey>;
  /** Revokes a key (idempotent). @throws `ERR_NOT_FOUND` */
  revokeApiKey(id: string, options?: ChangeOptions): Promise<ApiKeyRecord>;
  /**
   * Replaces a key's scopes. An empty list is refused (`ERR_INVALID_INPUT`):
   * a key without scopes is unrestricted, so revoke a key to take its access away.
   * @throws `ERR_NOT_FOUND`, `ERR_INVALID_SCOPE`, `ERR_INVALID_INPUT`
   */
  setApiKeyScopes(id: string, scopes: readonly string[], options?: ChangeOptions): Promise<ApiKeyRecord>;
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
  /**
   * The argon2id parameters the store hashes new keys with. When present,
   * they are the one source of truth: a verifier built on the store rehashes
   * weaker hashes to them, and refuses other `hashOptions` of its own.
   */
  readonly hashOptions?: Readonly<HashOptions>;
  /** The key with its hash, or `null`. */
  findApiKeyCredential(id: string): Promise<ApiKeyCredential | null>;
  /** Replaces the stored hash (transparent rehash after a parameter change). */
  updateApiKeyHash(id: string, hash: string): Promise<void>;
  /**
   * Subscribes to changes of a key (revocation, new scopes, new name or
   * expiry) made through this store object, so caches in the same process
   * can evict it at once. The API key events of {@link ScopeChangeSource.onChange}.
   *
   * @returns A function that unsubscribes.
   */
  onApiKeyChange(listener: (id: string) => void): () => void;
}

/** A change to an API key, as {@link ScopeChangeSource.onChange} reports it. */
export interface ApiKeyChange {
  readonly type: 'apiKey';
  /** The key's id. */
  readonly id: string;
  /**
   * `rotated`: the key was replaced by `rotatedTo` and now expires after its
   * grace period. `imported`: the key was brought from another system with
   * its hash (`importApiKey`).
   */
  readonly action: 'created' | 'updated' | 'revoked' | 'scopes' | 'rotated' | 'imported';
  /** The new key's id, on `rotated` events. */
  readonly rotatedTo?: string;
  /** {@link ChangeOptions.actor}, when the caller gave one. */
  readonly actor?: string;
}

/** A change to a group, as {@link ScopeChangeSource.onChange} reports it. */
export interface GroupChange {
  readonly type: 'group';
  /** The group's name. */
  readonly name: string;
  readonly action: 'saved' | 'deleted' | 'member-added' | 'member-removed';
  /**
   * The users whose scopes may have changed: every member for `saved` and
   * `deleted`, the one user for `member-added` and `member-removed`.
   */
  readonly userIds: readonly string[];
  /** {@link ChangeOptions.actor}, when the caller gave one. */
  readonly actor?: string;
}

/** A change made through a store object. */
export type ScopeChange = ApiKeyChange | GroupChange;

/** Change events: what caches, audit logs and the admin page listen to. */
export interface ScopeChangeSource {
  /**
   * Subscribes to every change made through this store object, after it is
   * written. Listeners run synchronously, in subscription order; one that
   * throws neither stops the others nor fails the write (its error becomes a
   * process warning).
   *
   * @returns A function that unsubscribes.
   */
  onChange(listener: (change: ScopeChange) => void): () => void;
}

/**
 * What a change watcher reports besides {@link ScopeChange}: changes may
 * have been missed (the watcher was down longer than the store keeps its
 * change log, or the log could not be read), so every cached entry must go.
 */
export interface ResetChange {
  readonly type: 'reset';
}

/** What {@link ChangeWatchSource.watchChanges} reports. */
export type WatchedChange = ScopeChange | ResetChange;

/** How a {@link ChangeWatch} learns of changes. */
export type ChangeWatchMode = 'in-process' | 'polling' | 'change-stream';

/** Options of {@link ChangeWatchSource.watchChanges}. */
export interface WatchChangesOptions {
  /**
   * Receives the watcher's failures (a poll or a change stream that failed,
   * a malformed change record); the watcher retries with backoff meanwhile.
   * Must not throw. Default: a process warning per failure streak.
   */
  onError?: (error: Error) => void;
}

/** A subscription made by {@link ChangeWatchSource.watchChanges}. */
export interface ChangeWatch {
  /**
   * Resolves once the watcher runs, with how it watches: `'in-process'`
   * (the memory store), `'polling'` or `'change-stream'`. Never rejects;
   * a watcher that cannot start yet keeps retrying.
   */
  readonly ready: Promise<ChangeWatchMode>;
  /** Stops this subscription (the last one stops the watcher). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Changes made through ANY store object on the same data, in this process or
 * another: what caches need to stay correct across replicas.
 */
export interface ChangeWatchSource {
  /**
   * Subscribes to every change of the store's data: at once for changes
   * made through this store object, and within the store's poll interval
   * (or at once, with change streams) for changes made elsewhere. One
   * watcher serves every subscription of a store object.
   */
  watchChanges(listener: (change: WatchedChange) => void, options?: WatchChangesOptions): ChangeWatch;
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
  saveGroup(input: SaveGroupInput, options?: ChangeOptions): Promise<GroupRecord>;
  /** Deletes a group. @throws `ERR_NOT_FOUND` */
  deleteGroup(name: string, options?: ChangeOptions): Promise<void>;
  /** Adds a user (idempotent). @throws `ERR_NOT_FOUND` */
  addGroupMember(name: string, userId: string, options?: ChangeOptions): Promise<GroupRecord>;
  /** Removes a user (idempotent). @throws `ERR_NOT_FOUND` */
  removeGroupMember(name: string, userId: string, options?: ChangeOptions): Promise<GroupRecord>;
  /** The group with that name, or `null`. */
  getGroup(name: string): Promise<GroupRecord | null>;
  /** Every group, by name. */
  listGroups(): Promise<GroupRecord[]>;
  /** The union of the scopes of the user's groups, sorted (drf-scoped-permissions' `get_user_scopes`). */
  getUserScopes(userId: string): Promise<string[]>;
}

/**
 * A key made elsewhere (djangorestframework-api-key, drf-scoped-permissions,
 * another store's `keys export`), brought with its hash so that its clients
 * keep working unchanged. See `importApiKeys`.
 */
export interface ImportApiKeyInput {
  /** Our id: 12 base62 characters (`drf0<drf prefix>` for drf keys). */
  readonly id: string;
  /** The brand prefix (`drf` for drf keys). */
  readonly prefix: string;
  /** 1–200 printable characters. */
  readonly name: string;
  /**
   * The stored hash, of a family `inspectImportedHash` accepts (sha512,
   * PBKDF2, Django's argon2, our argon2id). Replaced by our argon2id at the
   * first successful verification.
   */
  readonly hash: string;
  /** The grants; empty for a legacy unrestricted key. */
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  /** Default `null`. */
  readonly ownerId?: string | null;
  /** The key's own rate limit (`'1000/hour'`). Default `null`. */
  readonly rateLimit?: string | null;
}

/** Importing keys with their hashes: `MemoryScopeStore` and `MongooseScopeStore` implement it. */
export interface ApiKeyImportStore {
  /**
   * Inserts a key made elsewhere, as it is. Reports `imported` to change
   * listeners, with the actor.
   *
   * @throws `ERR_DUPLICATE` when a key has that id; `ERR_INVALID_INPUT`
   *   (an unknown or absurd hash, a bad id, name or date) and `ERR_INVALID_SCOPE` before any write.
   */
  importApiKey(input: ImportApiKeyInput, options?: ChangeOptions): Promise<ApiKeyRecord>;
}

/** Everything the package needs from storage. Implemented by `MemoryScopeStore` and `MongooseScopeStore`. */
export interface ScopeStore extends ApiKeyStore, ApiKeyCredentialStore, GroupStore, ScopeChangeSource, ChangeWatchSource, AuditLogSource {}
