import { crc32 } from 'node:zlib';
import { KEY_CHECKSUM_LENGTH, KEY_SECRET_LENGTH, parseApiKey } from '../../src/keys/api-key-format';
import { encodeBase62, randomBase62 } from '../../src/keys/base62';

/**
 * A well-formed key for an EXISTING key id with a random wrong secret and a
 * valid checksum: what an attacker who learned a key id (it is not secret)
 * sends. It passes every format check, so each one costs a store lookup and
 * an argon2 verification, unless the negative cache has seen it.
 *
 * @throws Error when the forged key does not parse (the key format changed).
 */
export function forgeWrongKey(prefix: string, id: string): string {
  const body = `${prefix}_${id}_${randomBase62(KEY_SECRET_LENGTH)}`;
  const key = body + encodeBase62(crc32(body), KEY_CHECKSUM_LENGTH);
  if (parseApiKey(key, prefix)?.id !== id) throw new Error('forgeWrongKey: the forged key does not parse; update it to the key format');
  return key;
}
