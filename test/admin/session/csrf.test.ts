import type { IncomingMessage } from 'node:http';
import { crossSiteReason, csrfToken, isCsrfToken } from '../../../src/admin/session/csrf';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('crossSiteReason: Sec-Fetch-Site first, then Origin', () => {
  it.each<[string, Record<string, string>, boolean, string | null]>([
    ['same-origin fetch', { 'sec-fetch-site': 'same-origin', host: 'admin.example' }, false, null],
    // The trap: Chromium sends Origin: null on same-origin posts under Referrer-Policy: no-referrer.
    ['same-origin fetch with Origin: null', { 'sec-fetch-site': 'same-origin', origin: 'null', host: 'admin.example' }, false, null],
    ['same-site fetch (another subdomain or port)', { 'sec-fetch-site': 'same-site', origin: 'http://admin.example:81', host: 'admin.example' }, false, 'cross-site-fetch'],
    ['cross-site fetch', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', host: 'admin.example' }, false, 'cross-site-fetch'],
    ['user-initiated (none)', { 'sec-fetch-site': 'none', host: 'admin.example' }, false, 'cross-site-fetch'],
    ['cross-site fetch that forges a matching Origin', { 'sec-fetch-site': 'cross-site', origin: 'http://admin.example', host: 'admin.example' }, false, 'cross-site-fetch'],
    ['no metadata, no Origin (curl, old clients)', { host: 'admin.example' }, false, null],
    ['no metadata, matching Origin', { origin: 'http://admin.example', host: 'admin.example' }, false, null],
    ['no metadata, matching Origin, Host in capitals and with the default port', { origin: 'http://admin.example', host: 'ADMIN.example:80' }, false, null],
    ['no metadata, matching Origin with a port', { origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' }, false, null],
    ['no metadata, another port', { origin: 'http://127.0.0.1:4001', host: '127.0.0.1:4000' }, false, 'cross-origin'],
    ['no metadata, another host', { origin: 'https://evil.example', host: 'admin.example' }, false, 'cross-origin'],
    ['no metadata, Origin: null', { origin: 'null', host: 'admin.example' }, false, 'malformed-origin'],
    ['no metadata, Origin with a path', { origin: 'http://admin.example/x', host: 'admin.example' }, false, 'malformed-origin'],
    ['no metadata, not http(s)', { origin: 'file://', host: 'admin.example' }, false, 'malformed-origin'],
    ['no metadata, http Origin on an HTTPS request', { origin: 'http://admin.example', host: 'admin.example' }, true, 'cross-origin'],
    ['no metadata, https Origin on an HTTPS request', { origin: 'https://admin.example', host: 'admin.example' }, true, null],
    ['no metadata, no Host header', { origin: 'http://admin.example' }, false, 'cross-origin'],
  ])('%s', (_case, headers, https, expected) => {
    expect(crossSiteReason(request(headers), https)).toBe(expected);
  });
});

describe('CSRF tokens', () => {
  const secret = new Uint8Array(32).fill(7);

  it('accepts the token of its binding only', () => {
    const token = csrfToken(secret, 'session:abc');
    expect(isCsrfToken(secret, 'session:abc', token)).toBe(true);
    expect(isCsrfToken(secret, 'session:abd', token)).toBe(false);
    expect(isCsrfToken(new Uint8Array(32).fill(8), 'session:abc', token)).toBe(false);
  });

  it.each([null, undefined, '', 'x', 'A'.repeat(43), 'A'.repeat(129)])('refuses %j', (presented) => {
    expect(isCsrfToken(secret, 'session:abc', presented)).toBe(false);
  });

  it('refuses a token with one character changed', () => {
    const token = csrfToken(secret, 'session:abc');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(isCsrfToken(secret, 'session:abc', tampered)).toBe(false);
  });
});
