import { diffKeys, diffLists, updateAction } from '../../../src/store/audit/audit-draft';
import type { ApiKeyRecord } from '../../../src/store/scope-store';

const NOW = new Date('2030-01-02T00:00:00.000Z');
const KEY: ApiKeyRecord = {
  id: 'AAAAAAAAAAAA',
  name: 'ci',
  prefix: 'gsp',
  scopes: ['posts.read'],
  createdAt: new Date('2030-01-01T00:00:00.000Z'),
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  ownerId: null,
  rotatedFrom: null,
};

describe('audit drafts', () => {
  it('compares only the audited fields: lastUsedAt and the like never show', () => {
    expect(diffKeys(KEY, { ...KEY, lastUsedAt: NOW, rotatedFrom: 'BBBBBBBBBBBB' })).toEqual([]);
    expect(diffKeys(KEY, { ...KEY, scopes: ['posts.read'] })).toEqual([]);
    expect(diffKeys(KEY, { ...KEY, scopes: ['posts.*'], ownerId: 'alice' })).toEqual([
      { field: 'scopes', before: ['posts.read'], after: ['posts.*'] },
      { field: 'ownerId', before: null, after: 'alice' },
    ]);
  });

  it('lists every set field of a new key, scopes always (an empty list is an unrestricted key)', () => {
    expect(diffKeys(null, { ...KEY, scopes: [] })).toEqual([
      { field: 'name', before: null, after: 'ci' },
      { field: 'scopes', before: null, after: [] },
    ]);
  });

  it.each([
    ['an expired key given a later expiry', new Date('2030-01-01T00:00:00Z'), new Date('2031-01-01T00:00:00Z'), null, 'expiry-extended'],
    ['an expired key made to never expire', new Date('2030-01-01T00:00:00Z'), null, null, 'expiry-extended'],
    ['an expired key given another past expiry', new Date('2030-01-01T00:00:00Z'), new Date('2029-01-01T00:00:00Z'), null, 'updated'],
    ['a live key given a later expiry', new Date('2031-01-01T00:00:00Z'), new Date('2032-01-01T00:00:00Z'), null, 'updated'],
    ['a revoked, expired key', new Date('2030-01-01T00:00:00Z'), new Date('2031-01-01T00:00:00Z'), NOW, 'updated'],
  ])('calls %s %s', (_label, before, after, revokedAt, action) => {
    expect(updateAction({ ...KEY, expiresAt: before, revokedAt }, { ...KEY, expiresAt: after, revokedAt }, NOW)).toBe(action);
  });

  it('compares lists as sets, and reports deletions', () => {
    expect(diffLists('members', ['b', 'a'], ['a', 'b'])).toBeNull();
    expect(diffLists('members', ['b', 'a'], null)).toEqual({ field: 'members', before: ['a', 'b'], after: null });
  });
});
