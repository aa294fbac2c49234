import { Schema } from 'mongoose';
import type { Model } from 'mongoose';
import { DEFAULT_KEY_PREFIX } from '../../keys/api-key-format';
import type { HashOptions } from '../../keys/hash-secret';
import { MAX_SCOPE_LENGTH } from '../../scopes/scope-grammar';
import type { CreateApiKeyInput, CreatedApiKey } from '../scope-store';
import { MAX_KEY_NAME_LENGTH, MAX_USER_ID_LENGTH } from '../store-input';
import { insertApiKey } from './insert-api-key';

/** An API key as stored in MongoDB. `hash` is never selected unless asked for with `+hash`. */
export interface ScopedApiKeyFields {
  /** The public lookup id (12 base62 characters), unique. */
  keyId: string;
  name: string;
  prefix: string;
  /** Granted scopes, sorted. */
  scopes: string[];
  /** The argon2id PHC string of the secret. `select: false`, and stripped from `toJSON()`/`toObject()`. */
  hash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** The owning user's id, or `null`. */
  ownerId: string | null;
  /** The key this one replaced (`rotateApiKey`), or `null`. */
  rotatedFrom: string | null;
  /** The key's own rate limit (`'1000/hour'`), or `null`. */
  rateLimit: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What `ScopedApiKey.createKey` takes: the store's input, plus the prefix and hash cost. */
export interface CreateKeyInput extends CreateApiKeyInput {
  /** The brand prefix of the new key. Default `'gsp'`. */
  prefix?: string;
  /** argon2id parameters. Default `DEFAULT_HASH_OPTIONS` (m=19456 KiB, t=2, p=1). */
  hashOptions?: HashOptions;
}

/** The statics of the `ScopedApiKey` model. */
export interface ScopedApiKeyStatics {
  /**
   * Creates a key (drf-scoped-permissions' `create_key`): validates the input, stores the
   * argon2id hash of a fresh secret, and returns the full key once.
   *
   * @example
   * ```ts
   * const { apiKey, key } = await ScopedApiKey.createKey({ name: 'ci', scopes: ['posts.read'] });
   * ```
   * @throws `ERR_INVALID_INPUT`, `ERR_INVALID_SCOPE`, `ERR_UNKNOWN_SCOPE`, `ERR_STORE_UNAVAILABLE`
   */
  createKey(input: CreateKeyInput): Promise<CreatedApiKey>;
}

/** The type of the `ScopedApiKey` model. */
export type ScopedApiKeyModel = Model<ScopedApiKeyFields> & ScopedApiKeyStatics;

function withoutHash<T extends { hash?: unknown }>(ret: T): Omit<T, 'hash'> {
  const { hash: _hash, ...rest } = ret;
  return rest;
}

/**
 * The Mongoose schema of API keys: unique `keyId` index, a `(createdAt, _id)` index for listing, hidden `hash`, timestamps.
 * Its type is spelled out so that the published declarations name only type
 * parameters that Mongoose 8 and 9 share.
 */
export const apiKeySchema: Schema<ScopedApiKeyFields, ScopedApiKeyModel, {}, {}, {}, ScopedApiKeyStatics> = new Schema<ScopedApiKeyFields, ScopedApiKeyModel, {}, {}, {}, ScopedApiKeyStatics>(
  {
    keyId: { type: String, required: true, unique: true },
    name: { type: String, required: true, maxlength: MAX_KEY_NAME_LENGTH },
    prefix: { type: String, required: true },
    scopes: { type: [{ type: String, maxlength: MAX_SCOPE_LENGTH }], default: [] },
    hash: { type: String, required: true, select: false },
    expiresAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    ownerId: { type: String, default: null, maxlength: MAX_USER_ID_LENGTH },
    rotatedFrom: { type: String, default: null },
    rateLimit: { type: String, default: null, maxlength: 32 },
  },
  {
    timestamps: true,
    toJSON: { transform: (_doc, ret) => withoutHash(ret) },
    toObject: { transform: (_doc, ret) => withoutHash(ret) },
  },
);

// The order of `listApiKeys` (newest first) and its `after` cursor.
apiKeySchema.index({ createdAt: -1, _id: -1 });

apiKeySchema.static('createKey', function createKey(this: ScopedApiKeyModel, input: CreateKeyInput): Promise<CreatedApiKey> {
  return insertApiKey(this, input, { prefix: input.prefix ?? DEFAULT_KEY_PREFIX, hashOptions: input.hashOptions });
});
