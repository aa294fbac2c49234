import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, jwtVerify } from 'jose';
import { createTokenExchange, type TokenExchangeHandler, type TokenExchangeOptions } from '../../src/federation/token-exchange';
import { createRateLimiter } from '../../src/rate-limit/rate-limiter';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import type { ScopeCatalog } from '../../src/scopes/scope-catalog';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const scope = (resource: string, action: string) => ({ scope: `${resource}.${action}`, action, coordinates: [], used: true });
const catalog: ScopeCatalog = {
  resources: [
    { resource: 'posts', scopes: [scope('posts', 'read'), scope('posts', 'write'), scope('posts', 'delete')] },
    { resource: 'users', scopes: [scope('users', 'read'), scope('users', 'email')] },
  ],
};
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

interface Endpoint {
  url: string;
  store: MemoryScopeStore;
  handler: TokenExchangeHandler;
  close(): Promise<void>;
}

async function start(overrides: Partial<TokenExchangeOptions> = {}): Promise<Endpoint> {
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  const handler = createTokenExchange({ store, privateKey: keys.privateKey, issuer: 'https://api.example', audience: 'router', ttlMs: 300_000, catalog, ...overrides });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    store,
    handler,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handler.dispose();
    },
  };
}

const post = async (url: string, headers: Record<string, string> = {}, method = 'POST') => {
  const response = await fetch(url, { method, headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
};

describe('createTokenExchange', () => {
  let endpoint: Endpoint;
  beforeAll(async () => {
    endpoint = await start({ rateLimit: '1000/minute' });
  });
  afterAll(() => endpoint.close());

  it('exchanges an API key for a JWT with the expanded scopes, space-separated', async () => {
    const { key, apiKey: record } = await endpoint.store.createApiKey({ name: 'router-client', scopes: ['posts.*', 'users.read'] });
    const reply = await post(endpoint.url, { authorization: `Bearer ${key}` });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 300, scope: 'posts.delete posts.read posts.write users.read' });
    // The router checks it against the public half, published as a JWKS.
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(keys.publicKey)), alg: 'ES256' }] });
    const { payload } = await jwtVerify(String(reply.body.access_token), jwks, { issuer: 'https://api.example', audience: 'router' });
    expect(payload.scope).toBe('posts.delete posts.read posts.write users.read');
    expect(payload.sub).toBe(`apiKey:${record.id}`);
    expect(JSON.stringify(reply.body)).not.toContain(key);
  });

  it('caps expires_in at the key expiry', async () => {
    const { key } = await endpoint.store.createApiKey({ name: 'short', scopes: ['posts.read'], expiresAt: new Date(Date.now() + 60_000) });
    const reply = await post(endpoint.url, { authorization: `Bearer ${key}` });
    expect(reply.body.expires_in).toBeLessThanOrEqual(60);
    expect(reply.body.expires_in).toBeGreaterThan(55);
  });

  it.each<[string, () => Promise<Record<string, string>>]>([
    ['no credential', async () => ({})],
    ['a malformed key', async () => ({ authorization: 'Bearer not-a-key' })],
    ['an unknown key', async () => ({ authorization: 'Bearer gsp_AAAAAAAA_0123456789abcdefghijklmnopqrstuvwxyzABCDEF' })],
    [
      'a revoked key',
      async () => {
        const { key, apiKey: record } = await endpoint.store.createApiKey({ name: 'revoked', scopes: ['posts.read'] });
        await endpoint.store.revokeApiKey(record.id);
        return { authorization: `Bearer ${key}` };
      },
    ],
    [
      'a key with a wrong secret',
      async () => {
        const { key } = await endpoint.store.createApiKey({ name: 'wrong', scopes: ['posts.read'] });
        return { authorization: `Bearer ${key.slice(0, -4)}AAAA` };
      },
    ],
  ])('answers 401 invalid_client for %s', async (_case, headers) => {
    const reply = await post(endpoint.url, await headers());
    expect([reply.status, reply.body]).toEqual([401, { error: 'invalid_client' }]);
  });

  it('answers 405 to a GET', async () => {
    const reply = await post(endpoint.url, {}, 'GET');
    expect([reply.status, reply.headers.get('allow')]).toEqual([405, 'POST']);
  });
});

describe('createTokenExchange rate limit', () => {
  it('answers 429 with Retry-After past the per-client rate, bad keys counted too', async () => {
    const endpoint = await start({ rateLimit: createRateLimiter({ name: 'token-exchange-test', rate: '3/minute' }) });
    try {
      const { key } = await endpoint.store.createApiKey({ name: 'c', scopes: ['posts.read'] });
      const statuses: number[] = [];
      for (const authorization of ['Bearer nope', 'Bearer nope', `Bearer ${key}`, `Bearer ${key}`]) statuses.push((await post(endpoint.url, { authorization })).status);
      expect(statuses).toEqual([401, 401, 200, 429]);
      const limited = await post(endpoint.url, { authorization: `Bearer ${key}` });
      expect([limited.status, limited.body]).toEqual([429, { error: 'too_many_requests' }]);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await endpoint.close();
    }
  });

  it('counts each client apart (clientOf)', async () => {
    let client = 'a';
    const endpoint = await start({ rateLimit: '1/minute', clientOf: () => client });
    try {
      expect((await post(endpoint.url)).status).toBe(401);
      expect((await post(endpoint.url)).status).toBe(429);
      client = 'b';
      expect((await post(endpoint.url)).status).toBe(401);
    } finally {
      await endpoint.close();
    }
  });

  it('counts an IPv6 /64 as one client, however its addresses are spelled (an attacker holds 2^64 of them)', async () => {
    let client = '2001:db8:1:2::1';
    const endpoint = await start({ rateLimit: '1/minute', clientOf: () => client });
    try {
      expect((await post(endpoint.url)).status).toBe(401);
      for (const other of ['2001:db8:1:2::ffff', '2001:0DB8:0001:0002:0:0:0:2', '2001:db8:1:2:abcd::1.2.3.4']) {
        client = other;
        expect((await post(endpoint.url)).status).toBe(429);
      }
      client = '2001:db8:1:3::1';
      expect((await post(endpoint.url)).status).toBe(401);
    } finally {
      await endpoint.close();
    }
  });
});

it.each<[string, Partial<TokenExchangeOptions>]>([
  ['a shared secret', { privateKey: 'x'.repeat(40) }],
  ['a ttlMs of 0', { ttlMs: 0 }],
  ['a bad rate', { rateLimit: 'often' }],
  ['no catalog', { catalog: undefined as unknown as ScopeCatalog }],
])('createTokenExchange refuses %s with ERR_INVALID_OPTIONS', (_case, overrides) => {
  const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  expect(() => createTokenExchange({ store, privateKey: keys.privateKey, issuer: 'i', audience: 'a', ttlMs: 60_000, catalog, ...overrides })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
});
