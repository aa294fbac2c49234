import { createHash } from 'node:crypto';
import { inspectImportedHash, verifyImportedHash } from '../../src/keys/imported-hash';
import { verifySecret } from '../../src/keys/hash-secret';
import { djangoHash, drfKey } from '../support/drf-keys';

describe('verifyImportedHash: real hashes of each family, made by Python hashlib / argon2 as Django writes them', () => {
  it.each([['sha512' as const], ['pbkdf2_sha256' as const], ['pbkdf2_sha1' as const], ['argon2' as const]])('%s: the right key matches, a wrong one or a truncated hash does not', async (family) => {
    const { key } = drfKey();
    const hash = await djangoHash(family, key);
    expect(inspectImportedHash(hash)).toEqual({ ok: true, family: family === 'argon2' ? 'django-argon2' : family });
    expect(await verifyImportedHash(hash, key)).toBe(true);
    expect(await verifySecret(hash, key)).toBe(true);
    expect(await verifyImportedHash(hash, `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`)).toBe(false);
    expect(await verifyImportedHash(hash.slice(0, -2), key)).toBe(false);
  });

  it('hashes the WHOLE key, prefix and dot included, as drf 3.x does (sha512 of "<prefix>.<secret>")', async () => {
    const { prefix, key } = drfKey();
    const hash = await djangoHash('sha512', key);
    expect(hash).toBe(`sha512$$${createHash('sha512').update(key).digest('hex')}`);
    expect(await verifyImportedHash(hash, key.slice(prefix.length + 1))).toBe(false);
  });
});

describe('inspectImportedHash refuses before trusting', () => {
  it.each([
    ['pbkdf2_sha256$1000000000$salt$' + 'A'.repeat(44), 'PBKDF2 iterations out of bounds'],
    ['pbkdf2_sha256$0$salt$' + 'A'.repeat(44), 'PBKDF2 iterations out of bounds'],
    ['pbkdf2_sha256$abc$salt$' + 'A'.repeat(44), 'malformed PBKDF2'],
    // Django writes the digest's own size (dklen=None); a longer one multiplies the work of every check.
    ['pbkdf2_sha256$2000000$salt$' + 'A'.repeat(100), 'PBKDF2 hash length'],
    ['pbkdf2_sha1$2000000$salt$' + 'A'.repeat(43) + '=', 'PBKDF2 hash length'],
    ['pbkdf2_sha256$1000$salt$' + 'A'.repeat(27) + '=', 'PBKDF2 hash length'],
    ['argon2$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$' + 'A'.repeat(43), 'argon2 parameters out of bounds'],
    ['argon2$argon2id$v=19$m=1024,t=1000,p=1$c2FsdHNhbHRzYWx0$' + 'A'.repeat(43), 'argon2 parameters out of bounds'],
    ['argon2$argon2i$m=512,t=2,p=2$c2FsdHNhbHQ$' + 'A'.repeat(43), 'malformed argon2'],
    ['sha512$$' + 'a'.repeat(127), 'malformed sha512'],
    ['sha512$$' + 'A'.repeat(128), 'malformed sha512'],
    ['bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuv', 'unknown hash format "bcrypt_sha256"'],
    ['md5$salt$0123456789abcdef0123456789abcdef', 'unknown hash format "md5"'],
    ['plain_sha512$$' + 'a'.repeat(128), 'unknown hash format "plain_sha512"'],
    ['!unusable', 'unknown hash format'],
    ['', 'missing or oversized hash'],
    ['x'.repeat(2000), 'missing or oversized hash'],
  ])('%#: → %s', async (hash, reason) => {
    const inspection = inspectImportedHash(hash);
    expect(inspection.ok).toBe(false);
    expect(inspection.ok ? '' : inspection.reason).toContain(reason);
    if (hash.length > 0) expect(inspection.ok ? '' : inspection.reason).not.toContain(hash.slice(-20));
    expect(await verifyImportedHash(hash, 'abcdefgh.0123456789abcdef0123456789abcdef')).toBe(false);
  });
});
