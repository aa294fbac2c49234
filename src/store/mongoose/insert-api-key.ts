import type { HashOptions } from '../../keys/hash-secret';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { prepareApiKey } from '../prepare-api-key';
import type { PreparedApiKey } from '../prepare-api-key';
import type { ApiKeyRecord, CreateApiKeyInput, CreatedApiKey } from '../scope-store';
import type { ScopedApiKeyModel } from './api-key-schema';
import { toStoreError } from './store-error';
import { toApiKeyRecord } from './to-record';

/** How many fresh ids {@link insertApiKey} draws before it reports `ERR_DUPLICATE`. */
export const MAX_INSERT_ATTEMPTS = 3;

/** Options of {@link insertApiKey}. */
export interface InsertApiKeyOptions {
  readonly prefix: string;
  readonly hashOptions?: HashOptions | undefined;
  /** The key the new one replaces (`rotateApiKey`). Default `null`. */
  readonly rotatedFrom?: string | null;
}

/** The document of a key record and its hash, as `ScopedApiKey` stores it. */
export function apiKeyDocument(record: ApiKeyRecord, hash: string) {
  return {
    keyId: record.id,
    name: record.name,
    prefix: record.prefix,
    scopes: [...record.scopes],
    hash,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    lastUsedAt: record.lastUsedAt,
    ownerId: record.ownerId,
    rotatedFrom: record.rotatedFrom,
    rateLimit: record.rateLimit ?? null,
    createdAt: record.createdAt,
  };
}

/**
 * Validates, generates, hashes and inserts a new key (the body of both
 * `MongooseScopeStore.createApiKey` and `ScopedApiKey.createKey`). On a
 * duplicate id, which 71 random bits make astronomically unlikely, it draws
 * a new key, up to {@link MAX_INSERT_ATTEMPTS} times.
 *
 * @throws `ERR_INVALID_INPUT`, `ERR_INVALID_SCOPE`, `ERR_UNKNOWN_SCOPE` before
 *   any query; `ERR_DUPLICATE`, `ERR_STORE_UNAVAILABLE` from the database.
 */
export async function insertApiKey(model: ScopedApiKeyModel, input: CreateApiKeyInput, options: InsertApiKeyOptions): Promise<CreatedApiKey> {
  for (let attempt = 1; ; attempt += 1) {
    const prepared = await prepareApiKey(input, {
      prefix: options.prefix,
      hashOptions: options.hashOptions,
      now: new Date(),
      rotatedFrom: options.rotatedFrom ?? null,
    });
    try {
      return await insertPreparedApiKey(model, prepared);
    } catch (error) {
      if (!(error instanceof ScopedPermissionsError) || error.code !== 'ERR_DUPLICATE' || attempt >= MAX_INSERT_ATTEMPTS) throw error;
    }
  }
}

/**
 * Inserts a key made by `prepareApiKey`, once.
 *
 * @throws `ERR_DUPLICATE` when its id is taken; `ERR_STORE_UNAVAILABLE` for any other failure.
 */
export async function insertPreparedApiKey(model: ScopedApiKeyModel, prepared: PreparedApiKey): Promise<CreatedApiKey> {
  const { record, hash, key } = prepared;
  try {
    await model.create(apiKeyDocument(record, hash));
  } catch (error) {
    throw toStoreError(error, 'createApiKey');
  }
  return { apiKey: toApiKeyRecord({ ...record, keyId: record.id }), key };
}
