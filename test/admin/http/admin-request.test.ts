import { type IncomingMessage, createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createScopeAdmin } from '../../../src/admin';
import { isHttps, locateRequest } from '../../../src/admin/http/admin-request';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import { blogSchema } from '../support/admin-test-server';

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
    // Review: `/\\host` is `//host` to a browser; a parameterised mount (`/:tenant/admin`) takes its base from the request line.
    ['review: Express, a baseUrl with a raw backslash is not served (no /\\host links)', { baseUrl: '/\\evil.example/admin' }, '/', null],
    ['review: Express, a baseUrl with a quote or a space is not served', { baseUrl: '/a"b c/admin' }, '/', null],
    ['review: Express, a percent-encoded backslash stays a safe base', { baseUrl: '/%5Cevil.example/admin' }, '/', { base: '/%5Cevil.example/admin', path: '/' }],
  ])('%s', (_case, extra, url, expected) => {
    const located = locateRequest(request(url, extra), '/admin');
    expect(located === null ? null : { base: located.base, path: located.path }).toEqual(expected);
  });

  it('keeps the query', () => {
    expect(locateRequest(request('/admin/keys?search=a%20b&after=x'), '/admin')?.query.get('search')).toBe('a b');
  });
});

/** Sends a raw request line (fetch would normalise the backslash away) and returns the status line and Location. */
function rawGet(port: number, target: string): Promise<{ status: string; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('end', () => resolve({ status: text.split('\r\n')[0] ?? '', location: /^location: (.*)$/im.exec(text)?.[1] }));
    socket.on('error', reject);
  });
}

describe('review: a parameterised Express mount never answers with a /\\host redirect', () => {
  it('does not serve a tenant segment holding a raw backslash, and serves an ordinary one', async () => {
    const admin = createScopeAdmin({ store: new MemoryScopeStore(), schema: blogSchema() });
    const app = express();
    app.use('/:tenant/admin', admin.handler);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const evil = await rawGet(port, '/\\evil.example/admin/');
      expect(evil.status).toBe('HTTP/1.1 404 Not Found');
      expect(evil.location).toBeUndefined();
      await expect(rawGet(port, '/acme/admin/')).resolves.toEqual({ status: 'HTTP/1.1 303 See Other', location: '/acme/admin/keys' });
    } finally {
      server.close();
      await admin.close();
    }
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
