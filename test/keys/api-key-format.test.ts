import { DEFAULT_KEY_PREFIX, KEY_CHECKSUM_LENGTH, generateApiKey, looksLikeApiKey, parseApiKey } from '../../src/keys/api-key-format';
import { BASE62_ALPHABET } from '../../src/keys/base62';

function flip(char: string): string {
  const index = BASE62_ALPHABET.indexOf(char);
  return BASE62_ALPHABET[(index + 1) % BASE62_ALPHABET.length]!;
}

describe('generateApiKey', () => {
  it('produces <prefix>_<id>_<secret><checksum> that parses back', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^gsp_[0-9A-Za-z]{12}_[0-9A-Za-z]{36}$/);
    expect(parseApiKey(generated.key)).toEqual({ prefix: DEFAULT_KEY_PREFIX, id: generated.id, secret: generated.secret });
    expect(looksLikeApiKey(generated.key)).toBe(true);
  });

  it('never repeats ids or secrets', () => {
    const keys = Array.from({ length: 500 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.id)).size).toBe(500);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(500);
  });

  it('uses a custom prefix and rejects a bad one', () => {
    expect(generateApiKey('acme').key.startsWith('acme_')).toBe(true);
    expect(() => generateApiKey('Bad_Prefix')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('parseApiKey rejects malformed keys', () => {
  const { key, secret } = generateApiKey();
  const lastChar = key.at(-1)!;
  const secretChar = secret[0]!;
  it.each([
    ['a flipped checksum character', key.slice(0, -1) + flip(lastChar)],
    ['a flipped secret character', key.replace(`_${secretChar}`, `_${flip(secretChar)}`)],
    ['a truncated key', key.slice(0, -1)],
    ['an extra character', key + 'a'],
    ['another prefix', key.replace(/^gsp_/, 'xyz_')],
    ['a non-base62 character', key.slice(0, -KEY_CHECKSUM_LENGTH - 1) + '-' + key.slice(-KEY_CHECKSUM_LENGTH)],
    ['an empty string', ''],
    ['a 10 KB string', 'a'.repeat(10_240)],
    ['a NUL byte', key.slice(0, 10) + '\u0000' + key.slice(11)],
    ['non-ASCII', key.slice(0, 10) + 'é' + key.slice(11)],
    ['a non-string', { $ne: null }],
  ])('%s', (_label, value) => {
    expect(parseApiKey(value)).toBeNull();
  });

  it('rejects a valid key of another prefix when a prefix is expected', () => {
    expect(parseApiKey(generateApiKey('acme').key, 'gsp')).toBeNull();
  });
});
