import { readGrants } from '../../../src/admin/forms/read-grants';

const allowed = new Set(['*', 'posts.*', 'posts.read', 'posts.write', 'reports.read']);

describe('readGrants', () => {
  it('returns the ticked grants, de-duplicated and sorted', () => {
    expect(readGrants(['posts.write', 'posts.read', 'posts.read'], allowed, true)).toEqual({ ok: true, grants: ['posts.read', 'posts.write'] });
  });

  it('refuses an empty selection for keys, which would be unrestricted, and allows it for groups', () => {
    expect(readGrants([], allowed, true)).toEqual({ ok: false, error: expect.stringContaining('unrestricted') });
    expect(readGrants([], allowed, false)).toEqual({ ok: true, grants: [] });
  });

  it.each([
    ['a scope the page never offered', 'posts.publish', 'not a scope of this schema'],
    ['a wildcard the page never offered', '*.read', 'not a scope of this schema'],
    ['a malformed grant', 'Posts.Read', 'not a valid scope'],
    ['markup', '<script>', 'not a valid scope'],
  ])('refuses %s', (_case, grant, message) => {
    expect(readGrants(['posts.read', grant], allowed, true)).toEqual({ ok: false, error: expect.stringContaining(message) });
  });

  it('refuses more grants than a record may carry', () => {
    expect(readGrants(Array.from({ length: 257 }, () => 'posts.read'), allowed, true)).toEqual({ ok: false, error: expect.stringContaining('256') });
  });
});
