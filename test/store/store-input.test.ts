import { generateApiKey } from '../../src/keys/api-key-format';
import {
  MAX_GRANTS,
  MAX_GROUP_NAME_LENGTH,
  MAX_KEY_NAME_LENGTH,
  MAX_USER_ID_LENGTH,
  assertExpiresAt,
  assertGrants,
  assertGroupName,
  assertKeyId,
  assertKeyName,
  assertUserId,
} from '../../src/store/store-input';

// Values an attacker can smuggle through JSON bodies, query strings or GraphQL variables.
const HOSTILE_NON_STRINGS: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['a boolean', true],
  ['an array', ['abc']],
  ['a Mongo operator object', { $ne: null }],
  ['a Mongo regex object', { $regex: '.*' }],
  ['an object with toString', { toString: () => 'abcdefghijkl' }],
  ['a String object', new String('abcdefghijkl')],
];

describe.each([
  ['assertKeyName', assertKeyName, MAX_KEY_NAME_LENGTH],
  ['assertUserId', assertUserId, MAX_USER_ID_LENGTH],
])('%s', (_, assert, maxLength) => {
  it.each([
    ['plain ASCII', 'ci-deploy'],
    ['spaces inside', 'Nightly export job'],
    ['non-ASCII letters', 'usuário@exämple.com'],
    ['emoji', 'deploy 🚀'],
    ['exactly the maximum length', 'a'.repeat(maxLength)],
  ])('accepts %s', (_label, value) => {
    expect(assert(value)).toBe(value);
  });

  it.each<[string, unknown]>([
    ...HOSTILE_NON_STRINGS,
    ['an empty string', ''],
    ['only spaces', '   '],
    ['one character too many', 'a'.repeat(maxLength + 1)],
    ['a 10 KB string', 'x'.repeat(10_240)],
    ['a NUL byte', 'abc\u0000def'],
    ['a newline', 'abc\ndef'],
    ['a tab', 'abc\tdef'],
    ['DEL', 'abc\u007fdef'],
    ['a C1 control', 'abc\u0085def'],
    ['a right-to-left override', 'abc\u202edef'],
    ['a zero-width space', 'abc\u200bdef'],
    ['a line separator', 'abc\u2028def'],
    ['a lone surrogate', 'abc\ud800def'],
  ])('rejects %s with ERR_INVALID_INPUT', (_label, value) => {
    expect(() => assert(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });
});

describe('assertKeyId', () => {
  it('accepts 12 base62 characters', () => {
    expect(assertKeyId('a1B2c3D4e5F6')).toBe('a1B2c3D4e5F6');
  });

  it.each<[string, unknown]>([
    ...HOSTILE_NON_STRINGS,
    ['an empty string', ''],
    ['11 characters', 'a1B2c3D4e5F'],
    ['13 characters', 'a1B2c3D4e5F6g'],
    ['a 10 KB string', 'a'.repeat(10_240)],
    ['a dash', 'a1B2c3-4e5F6'],
    ['an underscore', 'a1B2c3_4e5F6'],
    ['a NUL byte', 'a1B2c3\u00004e5F'],
    ['a trailing newline', 'a1B2c3D4e5F6\n'],
    ['non-ASCII digits', 'a1B2c3D4e5F٦'],
    ['a full key', 'gsp_a1B2c3D4e5F6_abc'],
  ])('rejects %s with ERR_INVALID_INPUT', (_label, value) => {
    expect(() => assertKeyId(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT', details: { field: 'id' } }));
  });
});

describe('assertKeyId with a full key passed by mistake', () => {
  it('shows no part of the secret in the message or the details', () => {
    expect.assertions(3);
    const { key, secret } = generateApiKey();
    try {
      assertKeyId(key);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT', details: { field: 'id' } });
      const shown = `${(error as Error).message} ${JSON.stringify((error as { details?: unknown }).details)}`;
      // Any 6 characters of the 30-character secret would be a leak.
      const pieces = Array.from({ length: secret.length - 5 }, (_, start) => secret.slice(start, start + 6));
      expect(pieces.filter((piece) => shown.includes(piece))).toEqual([]);
      expect(shown).not.toContain(key);
    }
  });
});

describe('assertGroupName', () => {
  it.each(['editors', 'Team A', 'ops_2024', 'v1.2-beta', '9lives', 'g'.repeat(MAX_GROUP_NAME_LENGTH)])('accepts %j', (name) => {
    expect(assertGroupName(name)).toBe(name);
  });

  it.each<[string, unknown]>([
    ...HOSTILE_NON_STRINGS,
    ['an empty string', ''],
    ['a leading space', ' editors'],
    ['a leading dash', '-editors'],
    ['a leading dot', '.editors'],
    ['one character too many', 'g'.repeat(MAX_GROUP_NAME_LENGTH + 1)],
    ['a 10 KB string', 'g'.repeat(10_240)],
    ['a NUL byte', 'edi\u0000tors'],
    ['a newline', 'editors\n'],
    ['a dollar sign', '$where'],
    ['a slash', 'a/b'],
    ['non-ASCII letters', 'rédacteurs'],
    ['a Cyrillic look-alike', 'еditors'],
  ])('rejects %s with ERR_INVALID_INPUT', (_label, value) => {
    expect(() => assertGroupName(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT', details: { field: 'group' } }));
  });
});

describe('assertExpiresAt', () => {
  it.each([null, undefined])('maps %p to null', (value) => {
    expect(assertExpiresAt(value)).toBeNull();
  });

  it('returns a copy of a valid date', () => {
    const date = new Date('2030-01-01T00:00:00Z');
    const checked = assertExpiresAt(date);
    expect(checked).toEqual(date);
    expect(checked).not.toBe(date);
  });

  it.each<[string, unknown]>([
    ['an invalid date', new Date('not a date')],
    ['an ISO string', '2030-01-01T00:00:00Z'],
    ['a timestamp', 1_893_456_000_000],
    ['a Mongo operator object', { $gt: new Date(0) }],
    ['a date-like object', { getTime: () => 0 }],
  ])('rejects %s with ERR_INVALID_INPUT', (_label, value) => {
    expect(() => assertExpiresAt(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT', details: { field: 'expiresAt' } }));
  });
});

describe('assertGrants', () => {
  it('returns the grants de-duplicated and sorted', () => {
    expect(assertGrants(['posts.write', '*.read', 'posts.write'])).toEqual(['*.read', 'posts.write']);
  });

  it.each<[string, unknown]>([
    ['a string', 'posts.read'],
    ['an object', { $in: ['posts.read'] }],
    ['null', null],
    ['too many grants', Array.from({ length: MAX_GRANTS + 1 }, (_, i) => `r${i}.read`)],
  ])('rejects %s with ERR_INVALID_INPUT', (_label, value) => {
    expect(() => assertGrants(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT', details: { field: 'scopes' } }));
  });

  it.each<[string, unknown[]]>([
    ['an object inside', [{ $ne: null }]],
    ['a bad grant', ['posts']],
    ['a NUL byte', ['posts.re\u0000ad']],
  ])('rejects %s with ERR_INVALID_SCOPE', (_label, value) => {
    expect(() => assertGrants(value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SCOPE' }));
  });
});

describe('error messages', () => {
  it('never echo more than a short, printable excerpt', () => {
    expect.assertions(2);
    try {
      assertKeyName(`${'x'.repeat(10_240)}\u0000`);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
      expect((error as Error).message).not.toContain('\u0000');
    }
  });
});
