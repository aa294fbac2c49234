import { ScopedPermissionsError } from '../../../src/errors/scoped-permissions-error';
import { toStoreError } from '../../../src/store/mongoose/store-error';

describe('toStoreError', () => {
  it('passes our own errors through unchanged', () => {
    const error = new ScopedPermissionsError('ERR_NOT_FOUND', 'No API key.');
    expect(toStoreError(error, 'getApiKey')).toBe(error);
  });

  it.each([
    ['with the index fields (MongoDB)', { code: 11000, keyPattern: { keyId: 1 }, keyValue: { keyId: 'AAAAAAAAAAAA' } }, ['keyId']],
    ['without them (FerretDB 1.x)', { code: 11000, errmsg: 'E11000 duplicate key error collection: db.scoped_groups' }, []],
  ])('maps a duplicate-key error %s to ERR_DUPLICATE', (_label, driverError, fields) => {
    const mapped = toStoreError(driverError, 'saveGroup');
    expect(mapped).toMatchObject({ code: 'ERR_DUPLICATE', details: { operation: 'saveGroup', fields }, cause: driverError });
    expect(mapped.message).not.toContain('AAAAAAAAAAAA');
  });

  it.each([
    ['a plain Error', new Error('mongodb://admin:hunter2@db.internal:27017/app is down')],
    ['a thrown string', 'mongodb://admin:hunter2@db.internal:27017/app'],
    ['another server error code', Object.assign(new Error('not primary'), { code: 10107 })],
  ])('maps %s to ERR_STORE_UNAVAILABLE without repeating the driver message', (_label, driverError) => {
    const mapped = toStoreError(driverError, 'getUserScopes');
    expect(mapped).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: { operation: 'getUserScopes' }, cause: driverError });
    expect(mapped.message).not.toMatch(/mongodb:|hunter2|db\.internal/);
  });
});
