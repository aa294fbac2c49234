import type { IncomingMessage } from 'node:http';
import { isHttps, locateRequest } from '../../../src/admin/http/admin-request';

function request(url: string, extra: Record<string, unknown> = {}): IncomingMessage {
  return { url, headers: {}, socket: {}, ...extra } as unknown as IncomingMessage;
}

describe('locateRequest', () => {
  it.each<[string, Record<string, unknown>, string, { base: string; path: string } | null]>([
    ['node:http below the mount', {}, '/admin/keys?search=x', { base: '/admin', path: '/keys' }],
    ['node:http at the mount itself', {}, '/admin', { base: '/admin', path: '/' }],
    ['node:http, a look-alike prefix', {}, '/administrator', null],
    ['node:http, outside', {}, '/graphql', null],
    ['node:http, a scheme-relative URL', {}, '//evil.example/admin', null],
    ['Express: baseUrl is the mount, url is relative', { baseUrl: '/ops/admin' }, '/keys/new', { base: '/ops/admin', path: '/keys/new' }],
    ['Express at the root', { baseUrl: '' }, '/keys', { base: '', path: '/keys' }],
    ['Express, a baseUrl with doubled slashes never yields //host links', { baseUrl: '//evil.example' }, '/keys', { base: '/evil.example', path: '/keys' }],
  ])('%s', (_case, extra, url, expected) => {
    const located = locateRequest(request(url, extra), '/admin');
    expect(located === null ? null : { base: located.base, path: located.path }).toEqual(expected);
  });

  it('keeps the query', () => {
    expect(locateRequest(request('/admin/keys?search=a%20b&after=x'), '/admin')?.query.get('search')).toBe('a b');
  });
});

describe('isHttps', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['plain HTTP', {}, false],
    ['a TLS socket', { socket: { encrypted: true } }, true],
    ["Express's req.secure (trust proxy)", { secure: true }, true],
    ['a forged X-Forwarded-Proto alone', { headers: { 'x-forwarded-proto': 'https' } }, false],
  ])('%s: %s', (_case, extra, expected) => {
    expect(isHttps(request('/', extra))).toBe(expected);
  });
});
