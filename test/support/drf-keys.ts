import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import argon2 from 'argon2';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Django's get_random_string(length): letters and digits. */
export function djangoRandomString(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** A key as djangorestframework-api-key's KeyGenerator makes it: `<8>.<32>`. */
export function drfKey(): { readonly prefix: string; readonly key: string } {
  const prefix = djangoRandomString(8);
  return { prefix, key: `${prefix}.${djangoRandomString(32)}` };
}

/**
 * Hashes `key` as djangorestframework-api-key did, computed by Python's
 * hashlib exactly as Django's hashers write it (not by the code under test):
 * - `sha512`: 3.x's Sha512ApiKeyHasher, `sha512$$<hexdigest>`;
 * - `pbkdf2_sha256` / `pbkdf2_sha1`: Django's PBKDF2 hashers, `<algorithm>$<iterations>$<salt>$<b64>`;
 * - `argon2`: Django's Argon2PasswordHasher, `argon2` + the argon2 PHC string (node-argon2 here: Python has no argon2 module).
 */
export async function djangoHash(family: 'sha512' | 'pbkdf2_sha256' | 'pbkdf2_sha1' | 'argon2', key: string, iterations = 1000): Promise<string> {
  if (family === 'argon2') return `argon2${await argon2.hash(key, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 })}`;
  const salt = djangoRandomString(22);
  const script =
    family === 'sha512'
      ? 'import hashlib,sys; print("sha512$$" + hashlib.sha512(sys.argv[1].encode()).hexdigest())'
      : `import base64,hashlib,sys; d=hashlib.pbkdf2_hmac("${family === 'pbkdf2_sha1' ? 'sha1' : 'sha256'}", sys.argv[1].encode(), sys.argv[2].encode(), int(sys.argv[3])); print("${family}$%s$%s$%s" % (sys.argv[3], sys.argv[2], base64.b64encode(d).decode("ascii").strip()))`;
  return execFileSync('python3', ['-c', script, key, salt, String(iterations)], { encoding: 'utf8' }).trim();
}

/** One JSON line as the README's Django command prints a row of APIKey / ScopedAPIKey. */
export function drfRow(fields: { prefix: string; hashed_key: string; name?: string; created?: string; expiry_date?: string | null; revoked?: boolean; scopes?: string[] }): string {
  return JSON.stringify({ created: '2024-05-01T10:20:30.123456+00:00', expiry_date: null, revoked: false, name: 'client', ...fields });
}
