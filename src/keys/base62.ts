import { randomBytes } from 'node:crypto';

/** The base62 alphabet: digits, upper case, lower case. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Matches a non-empty base62 string. */
export const BASE62_PATTERN = /^[0-9A-Za-z]+$/;

/**
 * Returns `length` uniformly random base62 characters from `crypto.randomBytes`.
 * Bytes of 248 and above are rejected so every character is equally likely
 * (each carries log2(62) ≈ 5.95 bits).
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue;
      out += BASE62_ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Encodes a non-negative integer in base62, left-padded with `0` to `width`. */
export function encodeBase62(value: number, width: number): string {
  let out = '';
  let rest = value;
  do {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}
