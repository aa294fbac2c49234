import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { assertKeyPrefix, generateApiKey } from '../keys/api-key-format';
import { hashSecret } from '../keys/hash-secret';
import type { HashOptions } from '../keys/hash-secret';
import { assertKnownScopes } from '../scopes/assert-known-scopes';
import type { ApiKeyRecord, CreateApiKeyInput } from './scope-store';
import { assertExpiresAt, assertGrants, assertKeyName, assertOwnerId, assertRateLimit } from './store-input';

/** Options of {@link prepareApiKey}, supplied by the store. */
export interface PrepareApiKeyOptions {
  /** The brand prefix of the new key, for example `'gsp'`. */
  readonly prefix: string;
  /** argon2id parameters. Default `DEFAULT_HASH_OPTIONS`. */
  readonly hashOptions?: HashOptions;
  /** The creation time to record. */
  readonly now: Date;
  /** The key this one replaces, when it is made by `rotateApiKey`. Default `null`. */
  readonly rotatedFrom?: string | null;
}

/** A validated new key, ready for a store to insert. */
export interface PreparedApiKey {
  /** The record to store (no secret, no hash). */
  readonly record: ApiKeyRecord;
  /** The argon2id PHC string of the secret: the only form of it to store. */
  readonly hash: string;
  /** The full key, to return to the caller once and never store or log. */
  readonly key: string;
}

/**
 * The store-independent half of `createApiKey`, so every store validates and
 * hashes the same way: checks the input (name, grants, the optional
 * catalogue, expiry), generates a key and hashes its secret with argon2id.
 * The store only inserts `record` and `hash`, and should retry with a fresh
 * call on the (astronomically unlikely) duplicate id.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` for a bad name,
 *   expiry, owner id or input object; `ERR_INVALID_SCOPE` for a grant that breaks the
 *   grammar; `ERR_UNKNOWN_SCOPE` for a grant not in `input.catalog`;
 *   `ERR_INVALID_OPTIONS` for a bad prefix.
 */
export async function prepareApiKey(input: CreateApiKeyInput, options: PrepareApiKeyOptions): Promise<PreparedApiKey> {
  if (typeof input !== 'object' || input === null) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'createApiKey takes an object { name, scopes?, expiresAt?, ownerId?, rateLimit?, catalog? }.', {
      details: { field: 'input' },
    });
  }
  const name = assertKeyName(input.name);
  const scopes = assertGrants(input.scopes ?? []);
  if (input.catalog !== undefined) assertKnownScopes(scopes, input.catalog);
  const expiresAt = assertExpiresAt(input.expiresAt);
  const ownerId = assertOwnerId(input.ownerId);
  const rateLimit = assertRateLimit(input.rateLimit);
  const generated = generateApiKey(assertKeyPrefix(options.prefix));
  const hash = await hashSecret(generated.secret, options.hashOptions);
  const record: ApiKeyRecord = {
    id: generated.id,
    name,
    prefix: generated.prefix,
    scopes,
    createdAt: new Date(options.now.getTime()),
    expiresAt,
    revokedAt: null,
    lastUsedAt: null,
    ownerId,
    rotatedFrom: options.rotatedFrom ?? null,
    rateLimit,
  };
  return { record, hash, key: generated.key };
}
