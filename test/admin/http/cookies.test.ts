import type { IncomingMessage } from 'node:http';
import { appendSetCookie, readCookie, serializeCookie } from '../../../src/admin/http/cookies';

function withCookie(cookie: string | undefined): IncomingMessage {
  return { headers: cookie === undefined ? {} : { cookie } } as unknown as IncomingMessage;
}

describe('readCookie', () => {
  it.each<[string | undefined, string | undefined]>([
    ['gsp_admin=abc_DEF-123', 'abc_DEF-123'],
    ['other=1; gsp_admin=abc; more=2', 'abc'],
    [undefined, undefined],
    ['gsp_admin_signin=abc', undefined],
    ['gsp_admin=abc; gsp_admin=def', undefined],
    ['gsp_admin="abc"', undefined],
    ['gsp_admin=a%20b', undefined],
    [`gsp_admin=${'a'.repeat(129)}`, undefined],
    ['gsp_admin=', undefined],
  ])('%j gives %j', (header, expected) => {
    expect(readCookie(withCookie(header), 'gsp_admin')).toBe(expected);
  });
});

describe('serializeCookie', () => {
  it('is always HttpOnly and SameSite=Strict, Secure over HTTPS, scoped to the mount', () => {
    expect(serializeCookie('gsp_admin', 'abc', { path: '/admin', secure: false })).toBe('gsp_admin=abc; Path=/admin; HttpOnly; SameSite=Strict');
    expect(serializeCookie('gsp_admin', 'abc', { path: '/', secure: true, maxAgeSec: 0 })).toBe('gsp_admin=abc; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0');
  });

  it('refuses a value that would need quoting', () => {
    expect(() => serializeCookie('gsp_admin', 'a;b', { path: '/', secure: false })).toThrow(TypeError);
  });
});

describe('appendSetCookie', () => {
  it('keeps other cookies and replaces an earlier Set-Cookie of the same cookie', () => {
    const headers = new Map<string, unknown>();
    const res = { getHeader: (name: string) => headers.get(name), setHeader: (name: string, value: string[]) => headers.set(name, value) };
    appendSetCookie(res, 'gsp_admin=abc; Path=/admin');
    appendSetCookie(res, 'gsp_admin_shown=; Path=/admin; Max-Age=0');
    appendSetCookie(res, 'gsp_admin_shown=xyz; Path=/admin');
    expect(headers.get('set-cookie')).toEqual(['gsp_admin=abc; Path=/admin', 'gsp_admin_shown=xyz; Path=/admin']);
  });
});
