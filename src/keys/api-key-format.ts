import { timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { encodeBase62, randomBase62 } from './base62';

/** The default brand prefix of generated keys. */
export const DEFAULT_KEY_PREFIX = 'gsp';

/** Length of the public lookup id, in base62 characters (≈ 71 bits). */
export const KEY_ID_LENGTH = 12;

/** Length of the secret, in base62 characters (≈ 178 bits from `crypto.randomBytes`). */
export const KEY_SECRET_LENGTH = 30;

/** Length of the CRC32 checksum, in base62 characters. */
export const KEY_CHECKSUM_LENGTH = 6;

/** The longest key this package will even look at, in characters. */
export const MAX_KEY_LENGTH = 64;

/** The pattern a brand prefix must match: 2–16 lower-case letters and digits. */
export const KEY_PREFIX_PATTERN = /^[a-z][a-z0-9]{1,15}$/;

const KEY_PATTERN = new RegExp(
  `^([a-z][a-z0-9]{1,15})_([0-9A-Za-z]{${KEY_ID_LENGTH}})_([0-9A-Za-z]{${KEY_SECRET_LENGTH}})([0-9A-Za-z]{${KEY_CHECKSUM_LENGTH}})$`,
);

/** A key split into its parts. `secret` must never be logged. */
export interface ParsedApiKey {
  readonly prefix: string;
  readonly id: string;
  readonly secret: string;
}

/** A freshly generated key. `key` is shown to the user once and never stored. */
export interface GeneratedApiKey extends ParsedApiKey {
  /** The full key: `<prefix>_<id>_<secret><checksum>`. */
  readonly key: string;
}

function checksum(body: string): string {
  return encodeBase62(crc32(body), KEY_CHECKSUM_LENGTH);
}

/**
 * Checks a brand prefix.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` when it does not match {@link KEY_PREFIX_PATTERN}.
 */
export function assertKeyPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !KEY_PREFIX_PATTERN.test(prefix)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `Invalid key prefix ${JSON.stringify(String(prefix).slice(0, 20))}: prefixes match ${KEY_PREFIX_PATTERN}.`);
  }
  return prefix;
}

/**
 * Generates a new API key `<prefix>_<id>_<secret><checksum>`: a 12-character
 * base62 public id, a 30-character base62 secret and a 6-character base62
 * CRC32 of everything before it (as GitHub's tokens carry one), so that a
 * mistyped or truncated key is rejected before any lookup.
 *
 * @param prefix - The brand prefix. Default `'gsp'`.
 */
export function generateApiKey(prefix: string = DEFAULT_KEY_PREFIX): GeneratedApiKey {
  assertKeyPrefix(prefix);
  const id = randomBase62(KEY_ID_LENGTH);
  const secret = randomBase62(KEY_SECRET_LENGTH);
  const body = `${prefix}_${id}_${secret}`;
  return { prefix, id, secret, key: body + checksum(body) };
}

/**
 * Whether `value` has the shape of one of our keys (prefix, lengths and
 * charset), without checking the checksum. Used to tell API keys from JWTs.
 */
export function looksLikeApiKey(value: string): boolean {
  return value.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(value);
}

/**
 * Splits a presented key into its parts, checking its length, charset,
 * prefix and checksum. Costs microseconds and touches no store, so malformed
 * keys are rejected before any database query or hash.
 *
 * @param expectedPrefix - The prefix keys must carry. Default `'gsp'`.
 * @returns The parts, or `null` when the key is malformed in any way.
 */
export function parseApiKey(value: unknown, expectedPrefix: string = DEFAULT_KEY_PREFIX): ParsedApiKey | null {
  if (typeof value !== 'string' || value.length > MAX_KEY_LENGTH) return null;
  const match = KEY_PATTERN.exec(value);
  if (!match) return null;
  const [, prefix = '', id = '', secret = '', sum = ''] = match;
  if (prefix !== expectedPrefix) return null;
  const expected = Buffer.from(checksum(`${prefix}_${id}_${secret}`));
  const presented = Buffer.from(sum);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return null;
  return { prefix, id, secret };
}

/** A display form of a key that reveals no secret: `gsp_a1B2c3D4e5F6_…`. */
export function maskApiKey(prefix: string, id: string): string {
  return `${prefix}_${id}_…`;
}
