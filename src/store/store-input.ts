import { parseRate } from '../rate-limit/parse-rate';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { KEY_ID_LENGTH } from '../keys/api-key-format';
import { normalizeGrants } from '../scopes/scope-grammar';

// Validation every store runs on its inputs before any query. Each function
// returns the checked value typed, or throws `ERR_INVALID_INPUT` naming the
// field. Nothing here echoes more than a short, sanitised excerpt of a bad
// value, and never a key secret (these functions never see one).

/** The longest API key name, in UTF-16 code units. */
export const MAX_KEY_NAME_LENGTH = 200;

/** The longest group name, in characters. */
export const MAX_GROUP_NAME_LENGTH = 100;

/** The longest user id, in UTF-16 code units. */
export const MAX_USER_ID_LENGTH = 200;

/** The most grants one key or group may carry. */
export const MAX_GRANTS = 256;

/** The pattern of a key's public id: {@link KEY_ID_LENGTH} base62 characters. */
export const KEY_ID_PATTERN = new RegExp(`^[0-9A-Za-z]{${KEY_ID_LENGTH}}$`);

/** The pattern of a group name: ASCII letters, digits, space, `_`, `.`, `-`, starting with a letter or digit. */
export const GROUP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;

// Control (Cc), format (Cf: zero-width and bidi overrides), lone surrogate
// (Cs), line and paragraph separator characters: never allowed in free text.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'gu');

function excerpt(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  return JSON.stringify(value.slice(0, 40).replace(UNPRINTABLE_ALL, '?'));
}

function invalid(field: string, value: unknown, rule: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_INPUT', `Invalid ${field} ${excerpt(value)}: ${rule}.`, {
    details: { field },
  });
}

function assertText(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw invalid(field, value, 'must be a string');
  if (value.length === 0 || value.length > maxLength) throw invalid(field, value, `must be 1–${maxLength} characters`);
  if (UNPRINTABLE.test(value)) throw invalid(field, value, 'must not contain control, format or separator characters');
  if (value.trim().length === 0) throw invalid(field, value, 'must not be blank');
  return value;
}

/**
 * Checks an API key's public id: exactly {@link KEY_ID_LENGTH} base62
 * characters. A malformed id is caller misuse, not a missing record, so it
 * raises `ERR_INVALID_INPUT` rather than `ERR_NOT_FOUND`. The message gives
 * only the value's length, never the value, since a full key passed as an id
 * would otherwise show most of its secret.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'id'`).
 */
export function assertKeyId(id: unknown): string {
  if (typeof id !== 'string' || !KEY_ID_PATTERN.test(id)) {
    // Never echo the value: a full key passed by mistake would show most of its secret.
    const shown = typeof id === 'string' ? `(${id.length} characters)` : excerpt(id);
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', `Invalid id ${shown}: key ids are ${KEY_ID_LENGTH} base62 characters.`, {
      details: { field: 'id' },
    });
  }
  return id;
}

/**
 * Checks an API key's name: a string of 1–{@link MAX_KEY_NAME_LENGTH}
 * characters, not blank, without control, format (zero-width, bidi override)
 * or line-separator characters.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'name'`).
 */
export function assertKeyName(name: unknown): string {
  return assertText('name', name, MAX_KEY_NAME_LENGTH);
}

/**
 * Checks a group name: 1–{@link MAX_GROUP_NAME_LENGTH} characters matching
 * {@link GROUP_NAME_PATTERN} (ASCII only).
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'group'`).
 */
export function assertGroupName(name: unknown): string {
  if (typeof name !== 'string' || name.length > MAX_GROUP_NAME_LENGTH || !GROUP_NAME_PATTERN.test(name)) {
    throw invalid('group', name, `group names are 1–${MAX_GROUP_NAME_LENGTH} characters matching ${GROUP_NAME_PATTERN}`);
  }
  return name;
}

/**
 * Checks a user id: a string (never an object such as `{ $ne: null }`) of
 * 1–{@link MAX_USER_ID_LENGTH} printable characters, not blank. Non-ASCII
 * is allowed, since user ids are often e-mail addresses.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'userId'`).
 */
export function assertUserId(userId: unknown): string {
  return assertText('userId', userId, MAX_USER_ID_LENGTH);
}

/** The longest actor id in change events, in UTF-16 code units. */
export const MAX_ACTOR_LENGTH = 200;

/**
 * Checks the `actor` of a change: 1–{@link MAX_ACTOR_LENGTH} printable characters.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'actor'`).
 */
export function assertActor(actor: unknown): string {
  return assertText('actor', actor, MAX_ACTOR_LENGTH);
}

/**
 * Checks an expiry: a valid `Date`, or `null`/`undefined` for never.
 *
 * @returns A copy of the date, or `null`.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'expiresAt'`) for anything else, including an invalid date, a number or a string.
 */
export function assertExpiresAt(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalid('expiresAt', value, 'must be a valid Date or null');
  }
  return new Date(value.getTime());
}

/**
 * Checks a list of grants: an array of at most {@link MAX_GRANTS} entries,
 * each valid under the scope grammar.
 *
 * @returns The grants de-duplicated and sorted (see `normalizeGrants`).
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'scopes'`) when it is not an array or too long; `ERR_INVALID_SCOPE` for a bad grant.
 */
export function assertGrants(scopes: unknown): string[] {
  if (!Array.isArray(scopes)) throw invalid('scopes', scopes, 'must be an array of grants');
  if (scopes.length > MAX_GRANTS) throw invalid('scopes', `${scopes.length} grants`, `at most ${MAX_GRANTS} grants are allowed`);
  return normalizeGrants(scopes);
}

/**
 * Checks the grants given to `setApiKeyScopes`: as {@link assertGrants}, and
 * at least one. An empty list is refused because a key without scopes is a
 * legacy unrestricted key: "removing every scope" must never grant
 * everything. Revoke the key instead.
 *
 * @returns The grants de-duplicated and sorted.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'scopes'`) when it is not an array, is empty or too long; `ERR_INVALID_SCOPE` for a bad grant.
 */
export function assertReplacementGrants(scopes: unknown): string[] {
  const grants = assertGrants(scopes);
  if (grants.length === 0) {
    throw new ScopedPermissionsError(
      'ERR_INVALID_INPUT',
      'setApiKeyScopes needs at least one grant: a key without scopes is unrestricted. Revoke the key to take its access away.',
      { details: { field: 'scopes' } },
    );
  }
  return grants;
}

/** The longest argon2 PHC hash string a store accepts, in characters. */
export const MAX_HASH_LENGTH = 512;

/**
 * Checks a hash given to `updateApiKeyHash`: an argon2 PHC string of at most
 * {@link MAX_HASH_LENGTH} characters. The value is never echoed.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'hash'`).
 */
export function assertPhcHash(hash: unknown): string {
  if (typeof hash !== 'string' || hash.length > MAX_HASH_LENGTH || !hash.startsWith('$argon2')) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'updateApiKeyHash takes an argon2 PHC string.', { details: { field: 'hash' } });
  }
  return hash;
}

/**
 * Checks the arguments of `touchApiKey`: a valid `Date`, and an interval in
 * milliseconds that is a finite number ≥ 0.
 *
 * @returns The time before which `lastUsedAt` counts as stale (`at - minIntervalMs`).
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'at'` or `'minIntervalMs'`).
 */
export function assertTouchArguments(at: unknown, minIntervalMs: unknown): Date {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'touchApiKey needs a valid Date.', { details: { field: 'at' } });
  }
  if (typeof minIntervalMs !== 'number' || !Number.isFinite(minIntervalMs) || minIntervalMs < 0) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'minIntervalMs must be a finite number ≥ 0.', { details: { field: 'minIntervalMs' } });
  }
  return new Date(at.getTime() - minIntervalMs);
}

/**
 * The `ERR_NOT_FOUND` error both stores raise for a missing key, group or
 * audit cursor. `details` names the id (`details.id`), the group
 * (`details.group`) or the cursor (`details.after`).
 */
export function notFoundError(kind: 'API key' | 'group' | 'audit entry', value: string): ScopedPermissionsError {
  const field = kind === 'group' ? 'group' : kind === 'audit entry' ? 'after' : 'id';
  return new ScopedPermissionsError('ERR_NOT_FOUND', `No ${kind} ${JSON.stringify(value)}.`, { details: { [field]: value } });
}

/** The most keys one `listApiKeys` page returns. */
export const MAX_LIST_LIMIT = 1000;

/** Checked {@link ListApiKeysOptions}. */
export interface ListQuery {
  readonly search?: string;
  readonly limit?: number;
  readonly after?: string;
}

/**
 * Checks the options of `listApiKeys`: a printable `search` of 1–200
 * characters, an integer `limit` of 1–{@link MAX_LIST_LIMIT}, and a key id
 * as `after`. Unknown fields are refused.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` naming the field.
 */
export function assertListOptions(options: unknown): ListQuery {
  if (options === undefined) return {};
  const fields = assertFields(options, 'listApiKeys', ['search', 'limit', 'after']);
  const query: { search?: string; limit?: number; after?: string } = {};
  if (fields.search !== undefined) query.search = assertText('search', fields.search, MAX_KEY_NAME_LENGTH);
  if (fields.limit !== undefined) {
    const limit = fields.limit;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw invalid('limit', typeof limit === 'number' ? String(limit) : limit, `must be an integer from 1 to ${MAX_LIST_LIMIT}`);
    }
    query.limit = limit;
  }
  if (fields.after !== undefined) query.after = assertKeyId(fields.after);
  return query;
}

/** Checked {@link UpdateApiKeyInput}: at least one field. */
export interface ApiKeyChanges {
  readonly name?: string;
  readonly expiresAt?: Date | null;
  readonly ownerId?: string | null;
  readonly rateLimit?: string | null;
}

/**
 * Checks the changes given to `updateApiKey`: an object with `name`,
 * `expiresAt`, `ownerId` or several, and nothing else (a `scopes` field is refused: use
 * `setApiKeyScopes`).
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` naming the field.
 */
export function assertApiKeyChanges(changes: unknown): ApiKeyChanges {
  const fields = assertFields(changes, 'updateApiKey', ['name', 'expiresAt', 'ownerId', 'rateLimit']);
  const checked: { name?: string; expiresAt?: Date | null; ownerId?: string | null; rateLimit?: string | null } = {};
  if (fields.name !== undefined) checked.name = assertKeyName(fields.name);
  if ('expiresAt' in fields && fields.expiresAt !== undefined) checked.expiresAt = assertExpiresAt(fields.expiresAt);
  if (fields.ownerId !== undefined) checked.ownerId = assertOwnerId(fields.ownerId);
  if ('rateLimit' in fields && fields.rateLimit !== undefined) checked.rateLimit = assertRateLimit(fields.rateLimit);
  if (Object.keys(checked).length === 0) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'updateApiKey needs `name`, `expiresAt`, `ownerId`, `rateLimit` or several.', { details: { field: 'input' } });
  }
  return checked;
}

/**
 * Checks an optional rate limit of a key: `undefined` or `null` for none,
 * else a rate string as `parseRate` reads it (`'1000/hour'`).
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a malformed rate, naming the accepted units.
 */
export function assertRateLimit(rateLimit: unknown): string | null {
  if (rateLimit === undefined || rateLimit === null) return null;
  parseRate(rateLimit as string);
  return rateLimit as string;
}

/**
 * Checks an optional owner id: `undefined` or `null` for none, else a user id.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` (`details.field` is `'ownerId'`).
 */
export function assertOwnerId(ownerId: unknown): string | null {
  if (ownerId === undefined || ownerId === null) return null;
  return assertText('ownerId', ownerId, MAX_USER_ID_LENGTH);
}

/** The longest grace period of a rotation, in milliseconds (365 days). */
export const MAX_GRACE_PERIOD_MS = 365 * 24 * 60 * 60 * 1000;

/** The checked input of `rotateApiKey` (`RotateApiKeyInput`). */
export interface RotationInput {
  readonly gracePeriodMs: number;
  /** Absent: the new key keeps the old key's expiry. */
  readonly expiresAt?: Date | null;
}

/**
 * Checks the input of `rotateApiKey`: an integer `gracePeriodMs` from 0 to
 * {@link MAX_GRACE_PERIOD_MS}, an optional `expiresAt`, nothing else.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` naming the field.
 */
export function assertRotationInput(input: unknown): RotationInput {
  const fields = assertFields(input, 'rotateApiKey', ['gracePeriodMs', 'expiresAt']);
  const grace = fields.gracePeriodMs;
  if (typeof grace !== 'number' || !Number.isSafeInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_MS) {
    throw invalid('gracePeriodMs', typeof grace === 'number' ? String(grace) : grace, `must be an integer number of milliseconds from 0 to ${MAX_GRACE_PERIOD_MS}`);
  }
  return 'expiresAt' in fields && fields.expiresAt !== undefined ? { gracePeriodMs: grace, expiresAt: assertExpiresAt(fields.expiresAt) } : { gracePeriodMs: grace };
}

function assertFields(value: unknown, operation: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', `${operation} takes an object { ${allowed.join(', ')} }.`, { details: { field: 'input' } });
  }
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    const field = unknown[0] ?? 'input';
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', `${operation} does not take ${JSON.stringify(field.slice(0, 40))}; it takes ${allowed.join(', ')}.`, {
      details: { field },
    });
  }
  return value as Record<string, unknown>;
}
