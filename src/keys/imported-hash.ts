import { pbkdf2, createHash, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import argon2 from 'argon2';

const pbkdf2Async = promisify(pbkdf2);

/** The most PBKDF2 iterations an imported hash may have (Django 6.0 uses 1,200,000). */
export const MAX_IMPORTED_PBKDF2_ITERATIONS = 2_000_000;

/** The most argon2 memory an imported hash may ask for, in KiB (256 MiB; Django's default is 100 MiB). */
export const MAX_IMPORTED_ARGON2_MEMORY_KIB = 262_144;

/** The most argon2 passes an imported hash may ask for. */
export const MAX_IMPORTED_ARGON2_PASSES = 16;

/** The most argon2 lanes an imported hash may ask for. */
export const MAX_IMPORTED_ARGON2_PARALLELISM = 64;

/**
 * The hash families a key may be imported with:
 * - `'sha512'`: djangorestframework-api-key 3.x (`sha512$$<hex>`);
 * - `'pbkdf2_sha256'`, `'pbkdf2_sha1'`: Django's password hashers, which 2.x used (`pbkdf2_sha256$<iterations>$<salt>$<base64>`);
 * - `'django-argon2'`: Django's Argon2PasswordHasher (`argon2$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`);
 * - `'argon2'`: our own argon2 PHC strings (`$argon2id$v=19$…`), from `keys export`.
 */
export type ImportedHashFamily = 'sha512' | 'pbkdf2_sha256' | 'pbkdf2_sha1' | 'django-argon2' | 'argon2';

/** What {@link inspectImportedHash} finds: a family it can verify, or why the hash is refused (never the hash itself). */
export type ImportedHashInspection = { readonly ok: true; readonly family: ImportedHashFamily } | { readonly ok: false; readonly reason: string };

/** The hash length Django's PBKDF2 hashers write (`dklen=None`: the digest size), in bytes. */
const PBKDF2_HASH_BYTES = { pbkdf2_sha256: 32, pbkdf2_sha1: 20 } as const;

const SHA512 = /^sha512\$\$([0-9a-f]{128})$/;
const PBKDF2 = /^(pbkdf2_sha256|pbkdf2_sha1)\$([0-9]{1,10})\$([!-#%-~]{1,128})\$([A-Za-z0-9+/]{20,100}={0,2})$/;
const ARGON2 = /^\$(argon2id|argon2i|argon2d)\$v=(16|19)\$m=([0-9]{1,10}),t=([0-9]{1,10}),p=([0-9]{1,4})\$([A-Za-z0-9+/]{11,128})\$([A-Za-z0-9+/]{16,256})$/;

function inspectArgon2(phc: string, family: 'django-argon2' | 'argon2'): ImportedHashInspection {
  const match = ARGON2.exec(phc);
  if (match === null) return { ok: false, reason: 'malformed argon2 hash (expected $argon2id$v=19$m=…,t=…,p=…$salt$hash)' };
  const [memory, passes, lanes] = [Number(match[3]), Number(match[4]), Number(match[5])];
  if (memory > MAX_IMPORTED_ARGON2_MEMORY_KIB || passes > MAX_IMPORTED_ARGON2_PASSES || lanes > MAX_IMPORTED_ARGON2_PARALLELISM || passes < 1 || lanes < 1 || memory < 8 * lanes) {
    return { ok: false, reason: `argon2 parameters out of bounds (m ≤ ${MAX_IMPORTED_ARGON2_MEMORY_KIB} KiB, t ≤ ${MAX_IMPORTED_ARGON2_PASSES}, p ≤ ${MAX_IMPORTED_ARGON2_PARALLELISM})` };
  }
  return { ok: true, family };
}

/**
 * Checks an imported hash before it is trusted: its family is one this
 * package verifies, its shape is exact, and its cost parameters are sane
 * (a PBKDF2 of 10⁹ iterations is refused here, at import, not discovered
 * at the first request). The reason never quotes the hash.
 */
export function inspectImportedHash(hash: unknown): ImportedHashInspection {
  if (typeof hash !== 'string' || hash.length === 0 || hash.length > 1024) return { ok: false, reason: 'missing or oversized hash' };
  if (hash.startsWith('sha512$')) return SHA512.test(hash) ? { ok: true, family: 'sha512' } : { ok: false, reason: 'malformed sha512 hash (expected sha512$$<128 hex digits>)' };
  if (hash.startsWith('pbkdf2_')) {
    const match = PBKDF2.exec(hash);
    if (match === null) return { ok: false, reason: 'malformed PBKDF2 hash (expected pbkdf2_sha256$<iterations>$<salt>$<base64>)' };
    const iterations = Number(match[2]);
    if (iterations < 1 || iterations > MAX_IMPORTED_PBKDF2_ITERATIONS) return { ok: false, reason: `PBKDF2 iterations out of bounds (1 to ${MAX_IMPORTED_PBKDF2_ITERATIONS})` };
    const family = match[1] as 'pbkdf2_sha256' | 'pbkdf2_sha1';
    // Django derives the digest's own size; a longer hash would multiply the work of every check (one PBKDF2 run per block).
    if (Buffer.from(match[4] as string, 'base64').length !== PBKDF2_HASH_BYTES[family]) {
      return { ok: false, reason: `PBKDF2 hash length is not the digest size (${PBKDF2_HASH_BYTES[family]} bytes for ${family})` };
    }
    return { ok: true, family };
  }
  if (hash.startsWith('argon2$')) return inspectArgon2(hash.slice('argon2'.length), 'django-argon2');
  if (hash.startsWith('$argon2')) return inspectArgon2(hash, 'argon2');
  const family = /^[A-Za-z0-9_-]{1,30}(?=\$)/.exec(hash)?.[0];
  return { ok: false, reason: family === undefined ? 'unknown hash format' : `unknown hash format "${family}" (supported: sha512, pbkdf2_sha256, pbkdf2_sha1, argon2)` };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Verifies a key against an imported hash, as Django would: the hash
 * covers the whole presented key. Constant-time comparisons; a hash that
 * {@link inspectImportedHash} refuses never matches.
 */
export async function verifyImportedHash(hash: string, key: string): Promise<boolean> {
  const inspection = inspectImportedHash(hash);
  if (!inspection.ok) return false;
  switch (inspection.family) {
    case 'sha512':
      return sameText(hash, `sha512$$${createHash('sha512').update(key, 'utf8').digest('hex')}`);
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1': {
      const [algorithm = '', iterations = '', salt = '', expected = ''] = hash.split('$');
      const digest = algorithm === 'pbkdf2_sha1' ? 'sha1' : 'sha256';
      const length = Buffer.from(expected, 'base64').length;
      const derived = await pbkdf2Async(Buffer.from(key, 'utf8'), Buffer.from(salt, 'utf8'), Number(iterations), length, digest);
      return sameText(derived.toString('base64'), expected);
    }
    case 'django-argon2':
    case 'argon2':
      try {
        return await argon2.verify(inspection.family === 'argon2' ? hash : hash.slice('argon2'.length), key);
      } catch {
        return false;
      }
    default: {
      const unreachable: never = inspection.family;
      return unreachable;
    }
  }
}
