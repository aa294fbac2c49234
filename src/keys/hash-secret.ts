import argon2 from 'argon2';

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
 * hash verifies as `false`, never as a match.
 */
export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with parameters other than `options` (then rehash it). */
export function secretNeedsRehash(hash: string, options?: HashOptions): boolean {
  const { memoryCost, timeCost, parallelism } = resolve(options);
  // argon2's needsRehash reads the parameters out of the PHC string.
  return argon2.needsRehash(hash, { memoryCost, timeCost, parallelism });
}
