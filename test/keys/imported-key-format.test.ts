import { IMPORTED_KEY_PREFIX, importedKeyId, parseImportedKey } from '../../src/keys/imported-key-format';

describe('parseImportedKey', () => {
  it('splits a drf key: our id from its prefix, and the whole key as the secret (drf hashed all of it)', () => {
    const key = 'AbCd1234.0123456789abcdefghijABCDEFGHIJkl';
    expect(parseImportedKey(key)).toEqual({ prefix: IMPORTED_KEY_PREFIX, id: importedKeyId('AbCd1234'), secret: key });
    expect(importedKeyId('AbCd1234')).toBe('drf0AbCd1234');
  });

  it.each([
    ['AbCd123.0123456789abcdefghijABCDEFGHIJkl'],
    ['AbCd12345.0123456789abcdefghijABCDEFGHIJkl'],
    ['AbCd1234.short'],
    ['AbCd1234.' + 'a'.repeat(56)],
    ['AbCd1234_0123456789abcdefghijABCDEFGHIJkl'],
    ['AbCd-234.0123456789abcdefghijABCDEFGHIJkl'],
    ['AbCd1234.0123456789abcdefghij ABCDEFGHIJk'],
    ['gsp_a1B2c3D4e5F6_0123456789abcdefghijABCDEFGHIJabcdef'],
    [''],
    [42],
  ])('refuses %j', (value) => {
    expect(parseImportedKey(value)).toBeNull();
  });
});
