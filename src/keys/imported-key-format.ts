import type { ParsedApiKey } from './api-key-format';

/**
 * The brand prefix recorded for keys imported from djangorestframework-api-key
 * and drf-scoped-permissions. Such keys keep their own `<prefix>.<secret>` form.
 */
export const IMPORTED_KEY_PREFIX = 'drf';

/** What an imported key's 8-character drf prefix becomes, in front, to make our 12-character id: `drf0` + prefix. */
const IMPORTED_ID_MARK = 'drf0';

// djangorestframework-api-key's KeyGenerator: get_random_string(8) + "." + get_random_string(32),
// both from [A-Za-z0-9]. Secrets of 20–55 characters are accepted, for custom generators (64 in all at most).
const IMPORTED_KEY = /^([A-Za-z0-9]{8})\.([A-Za-z0-9]{20,55})$/;

/** The drf prefix: 8 characters of `[A-Za-z0-9]`, as djangorestframework-api-key generates it. */
export const DRF_PREFIX_PATTERN = /^[A-Za-z0-9]{8}$/;

/** Our key id for the drf key prefix `prefix` (`drf0` + prefix, 12 base62 characters). */
export function importedKeyId(prefix: string): string {
  return `${IMPORTED_ID_MARK}${prefix}`;
}

/**
 * Splits an imported key `<prefix>.<secret>` (djangorestframework-api-key's
 * form, kept as it was) into the parts the verifier looks up: our id
 * ({@link importedKeyId}), the brand {@link IMPORTED_KEY_PREFIX}, and as
 * `secret` the WHOLE key, since drf hashed the whole key, prefix included.
 * Costs microseconds and touches no store; there is no checksum to check.
 *
 * @returns The parts, or `null` when `value` does not have that form.
 */
export function parseImportedKey(value: unknown): ParsedApiKey | null {
  if (typeof value !== 'string') return null;
  const match = IMPORTED_KEY.exec(value);
  if (match === null) return null;
  return { prefix: IMPORTED_KEY_PREFIX, id: importedKeyId(match[1] as string), secret: value };
}
