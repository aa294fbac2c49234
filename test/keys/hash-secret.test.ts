import { DEFAULT_HASH_OPTIONS, hashSecret, readHashParameters, rehashOptions, secretNeedsRehash, verifySecret } from '../../src/keys/hash-secret';

const phc = (algorithm: string, version: number, m: number, t: number, p: number): string => `$argon2${algorithm}$v=${version}$m=${m},t=${t},p=${p}$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo`;

describe('finding 7: stronger stored hashes are never weakened', () => {
  it.each<[string, string, boolean]>([
    ['the same parameters', phc('id', 19, 19456, 2, 1), false],
    ['more memory (64 MiB, t=3)', phc('id', 19, 65536, 3, 1), false],
    ['more passes', phc('id', 19, 19456, 4, 1), false],
    ['more parallelism', phc('id', 19, 19456, 2, 4), false],
    ['more of everything', phc('id', 19, 262144, 8, 8), false],
    ['less memory', phc('id', 19, 4096, 2, 1), true],
    ['fewer passes', phc('id', 19, 19456, 1, 1), true],
    ['more memory but fewer passes', phc('id', 19, 65536, 1, 1), true],
    ['argon2i', phc('i', 19, 65536, 3, 1), true],
    ['argon2d', phc('d', 19, 65536, 3, 1), true],
    ['argon2 version 0x10', phc('id', 16, 65536, 3, 1), true],
    ['not a PHC string', 'plain-text-secret', true],
  ])('a stored hash with %s (%s): rehash = %s, against m=19456, t=2, p=1', (_label, hash, expected) => {
    expect(secretNeedsRehash(hash, DEFAULT_HASH_OPTIONS)).toBe(expected);
  });

  it('weighs parallelism too', () => {
    expect(secretNeedsRehash(phc('id', 19, 19456, 2, 1), { ...DEFAULT_HASH_OPTIONS, parallelism: 2 })).toBe(true);
  });

  it('reads the parameters of a real hash', async () => {
    const hash = await hashSecret('secret', { memoryCost: 1024, timeCost: 1, parallelism: 1 });
    expect(readHashParameters(hash)).toEqual({ algorithm: 'argon2id', version: 19, memoryCost: 1024, timeCost: 1, parallelism: 1 });
    await expect(verifySecret(hash, 'secret')).resolves.toBe(true);
    expect(readHashParameters('$argon2id$v=19$m=x,t=1,p=1$')).toBeNull();
  });
});

describe('review: a rehash never lowers any parameter of the stored hash (finding 7, mixed strengths)', () => {
  it.each<[string, string, { memoryCost: number; timeCost: number; parallelism: number }]>([
    ['more memory but fewer passes', phc('id', 19, 65536, 1, 1), { memoryCost: 65536, timeCost: 2, parallelism: 1 }],
    ['more parallelism but less memory', phc('id', 19, 4096, 2, 4), { memoryCost: 19456, timeCost: 2, parallelism: 4 }],
    ['argon2i with more of everything', phc('i', 19, 65536, 3, 2), { memoryCost: 65536, timeCost: 3, parallelism: 2 }],
    ['weaker in every parameter', phc('id', 19, 4096, 1, 1), { ...DEFAULT_HASH_OPTIONS }],
    ['not a PHC string', 'plain-text-secret', { ...DEFAULT_HASH_OPTIONS }],
  ])('a stored hash with %s is rehashed with %s', (_label, hash, expected) => {
    expect(secretNeedsRehash(hash, DEFAULT_HASH_OPTIONS)).toBe(true);
    expect(rehashOptions(hash, DEFAULT_HASH_OPTIONS)).toEqual(expected);
  });
});
