import argon2 from 'argon2';
import { verifyImportedHash } from './imported-hash';

/** argon2id cost parameters. */
export interface HashOptions {
  /** Memory cost in KiB. Default 19456 (19 MiB, OWASP's minimum for argon2id). */
  memoryCost?: number;
  /** Number of passes. Default 2. */
  timeCost?: number;
  /** Degree of parallelism. Default 1. */
  parallelism?: number;
}

/** The default argon2id parameters: OWASP's minimum (m=19 MiB, t=2, p=1). */
export const DEFAULT_HASH_OPTIONS: Readonly<Required<HashOptions>> = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

function resolve(options: HashOptions | undefined): Required<HashOptions> {
  return { ...DEFAULT_HASH_OPTIONS, ...options };
}

/** Hashes a key secret with argon2id and returns the self-describing PHC string. */
export async function hashSecret(secret: string, options?: HashOptions): Promise<string> {
  return argon2.hash(secret, { type: argon2.argon2id, ...resolve(options) });
}

/**
 * Checks a secret against a stored PHC string, in constant time. A malformed
 * hash verifies as `false`, never as a match. A hash of an imported key
 * (sha512, PBKDF2, Django's argon2: see `inspectImportedHash`) is verified
 * as its own system did; the verifier then rehashes it to argon2id.
 */
export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  if (typeof hash === 'string' && !hash.startsWith('$argon2')) return verifyImportedHash(hash, secret);
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false;
  }
}

/** The argon2 version this package hashes with (0x13, written `v=19` in PHC strings). */
const ARGON2_VERSION = 19;

// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
const PHC_PARAMETERS = /^\$(argon2(?:id|i|d))\$v=(\d{1,4})\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,4})\$/;

/** The cost parameters written in an argon2 PHC string. */
export interface StoredHashParameters extends Required<HashOptions> {
  /** `argon2id`, `argon2i` or `argon2d`. */
  readonly algorithm: string;
  /** The argon2 version, 19 for 0x13. */
  readonly version: number;
}

/** Reads the algorithm, version and costs out of an argon2 PHC string, or `null` when it is not one. */
export function readHashParameters(hash: string): StoredHashParameters | null {
  const match = typeof hash === 'string' ? PHC_PARAMETERS.exec(hash) : null;
  if (match === null) return null;
  const [, algorithm = '', version, memoryCost, timeCost, parallelism] = match;
  return { algorithm, version: Number(version), memoryCost: Number(memoryCost), timeCost: Number(timeCost), parallelism: Number(parallelism) };
}

/**
 * Whether a stored hash should be replaced by a new one (made with
 * {@link rehashOptions}, never weaker in any parameter): only
 * when it is WEAKER (less memory, fewer passes or less parallelism than
 * `options`), or made with another algorithm than argon2id or another
 * argon2 version. A hash made with stronger parameters is kept as it is:
 * a verifier configured with lower costs never weakens it. A string that is
 * not an argon2 PHC hash needs a rehash.
 */
export function secretNeedsRehash(hash: string, options?: HashOptions): boolean {
  const stored = readHashParameters(hash);
  if (stored === null) return true;
  const wanted = resolve(options);
  return (
    stored.algorithm !== 'argon2id' ||
    stored.version !== ARGON2_VERSION ||
    stored.memoryCost < wanted.memoryCost ||
    stored.timeCost < wanted.timeCost ||
    stored.parallelism < wanted.parallelism
  );
}

/**
 * The parameters to rehash a stored hash with: `options`, raised to the
 * stored hash's own memory, time and parallelism wherever those are higher,
 * so a rehash never weakens any of them. A 64 MiB, t=1 hash rehashed for
 * 19 MiB, t=2 becomes 64 MiB, t=2, not 19 MiB, t=2.
 */
export function rehashOptions(hash: string, options?: HashOptions): Required<HashOptions> {
  const wanted = resolve(options);
  const stored = readHashParameters(hash);
  if (stored === null) return wanted;
  return {
    memoryCost: Math.max(stored.memoryCost, wanted.memoryCost),
    timeCost: Math.max(stored.timeCost, wanted.timeCost),
    parallelism: Math.max(stored.parallelism, wanted.parallelism),
  };
}
