import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, base64url, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { createJwtVerifier } from '../../../src/auth/jwt/jwt-verifier';
import type { JwtJwksOptions, JwtVerifierOptions, UserScopeSource } from '../../../src/auth/jwt/jwt-verifier-options';
import { MemoryScopeStore } from '../../../src/store/memory/memory-scope-store';
import { ReadOnlyScopeSet } from '../../../src/principal/read-only-set';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
const ISSUER = 'https://id.example/';
const AUDIENCE = 'blog-api';
const NOW_SEC = 1_750_000_000;

interface SignInput {
  claims?: JWTPayload;
  alg?: string;
  kid?: string;
  key?: CryptoKey | Uint8Array;
  expiresInSec?: number | null;
}

async function sign({ claims = {}, alg = 'HS256', kid, key, expiresInSec = 300 }: SignInput = {}): Promise<string> {
  const jwt = new SignJWT({ sub: 'u1', iss: ISSUER, aud: AUDIENCE, ...claims }).setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }) }).setIssuedAt();
  if (expiresInSec !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSec);
  return jwt.sign(key ?? new TextEncoder().encode(SECRET));
}

/** A store wrapper that counts getUserScopes calls. */
function countingGroups(inner: UserScopeSource): UserScopeSource & { calls: number } {
  const counter = {
    calls: 0,
    getUserScopes(userId: string): Promise<string[]> {
      counter.calls += 1;
      return inner.getUserScopes(userId);
    },
  };
  return counter;
}

/** The claim checks every mode now requires. */
const CLAIMS = { issuer: ISSUER, audience: AUDIENCE } as const;

const secretOptions: JwtVerifierOptions = { secret: SECRET, ...CLAIMS, includeGroupScopes: false };

describe('createJwtVerifier with a shared secret', () => {
  it('accepts a valid HS256 token', async () => {
    const verifier = createJwtVerifier(secretOptions);
    const result = await verifier.verify(await sign({ claims: { scopes: ['posts.read'], name: 'Ada' } }));
    expect(result).toEqual({ ok: true, principal: { kind: 'jwt', id: 'u1', name: 'Ada', scopes: new ReadOnlyScopeSet(['posts.read']), expiresAtMs: expect.any(Number) } });
  });

  it.each<[string, () => Promise<string>, string]>([
    ['a wrong signature', () => sign({ key: new TextEncoder().encode('another-secret-of-at-least-32-bytes!!') }), 'invalid-signature'],
    ['a tampered payload', async () => {
      const [header, , signature] = (await sign()).split('.');
      return `${header}.${base64url.encode(JSON.stringify({ sub: 'admin', exp: NOW_SEC * 2 }))}.${signature}`;
    }, 'invalid-signature'],
    ['alg none', async () => {
      const part = (value: object): string => base64url.encode(JSON.stringify(value));
      return `${part({ alg: 'none' })}.${part({ sub: 'u1', exp: NOW_SEC * 2, scopes: ['*'] })}.`;
    }, 'algorithm-not-allowed'],
    ['HS512 when only HS256 is allowed', () => sign({ alg: 'HS512' }), 'algorithm-not-allowed'],
    ['no exp', () => sign({ expiresInSec: null }), 'invalid-claims'],
    ['no sub', () => sign({ claims: { sub: undefined } }), 'invalid-claims'],
    ['a sub with control characters', () => sign({ claims: { sub: 'u1\u0000' } }), 'invalid-subject'],
    ['a sub longer than 200', () => sign({ claims: { sub: 'u'.repeat(201) } }), 'invalid-subject'],
    ['garbage', async () => 'not.a.jwt', 'malformed'],
    ['two segments', async () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9', 'malformed'],
  ])('refuses %s', async (_label, token, reason) => {
    const verifier = createJwtVerifier(secretOptions);
    await expect(verifier.verify(await token())).resolves.toEqual({ ok: false, reason });
  });

  it('accepts a token without exp when requireExpiry is false', async () => {
    const verifier = createJwtVerifier({ ...secretOptions, requireExpiry: false });
    await expect(verifier.verify(await sign({ expiresInSec: null }))).resolves.toMatchObject({ ok: true });
  });

  it.each<[string, Partial<JwtVerifierOptions>, JWTPayload, boolean]>([
    ['the right issuer and audience', {}, { iss: ISSUER, aud: AUDIENCE }, true],
    ['one of several audiences', { audience: ['other', AUDIENCE] }, { aud: AUDIENCE }, true],
    ['one of several issuers', { issuer: ['https://old.example/', ISSUER] }, { iss: ISSUER }, true],
    ['a wrong issuer', {}, { iss: 'https://evil.example/' }, false],
    ['a missing issuer', {}, { iss: undefined }, false],
    ['a wrong audience', {}, { aud: 'another-api' }, false],
    ['a token for another API of the same provider', {}, { aud: ['another-api', 'billing'] }, false],
    ['a missing audience', {}, { aud: undefined }, false],
    ['any issuer, with issuer: false', { issuer: false }, { iss: 'https://anyone.example/' }, true],
    ['any audience, with audience: false', { audience: false }, { aud: 'another-api' }, true],
    ['issuer: false still checks the audience', { issuer: false }, { aud: 'another-api' }, false],
  ])('checks claims: %s', async (_label, options, claims, ok) => {
    const verifier = createJwtVerifier({ ...secretOptions, ...options } as JwtVerifierOptions);
    const result = await verifier.verify(await sign({ claims }));
    expect(result).toEqual(ok ? expect.objectContaining({ ok: true }) : { ok: false, reason: 'invalid-claims' });
  });
});

describe('expiry, with frozen time', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW_SEC * 1000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('accepts a token until exp, then refuses it', async () => {
    const verifier = createJwtVerifier(secretOptions);
    const token = await sign({ expiresInSec: 60 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ ok: true });
    jest.setSystemTime((NOW_SEC + 60) * 1000);
    await expect(verifier.verify(token)).resolves.toEqual({ ok: false, reason: 'expired' });
  });

  it('honours clockToleranceSec', async () => {
    const verifier = createJwtVerifier({ ...secretOptions, clockToleranceSec: 30 });
    const token = await sign({ expiresInSec: 60 });
    jest.setSystemTime((NOW_SEC + 80) * 1000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ ok: true });
    jest.setSystemTime((NOW_SEC + 91) * 1000);
    await expect(verifier.verify(token)).resolves.toEqual({ ok: false, reason: 'expired' });
  });

  it.each([0.25, 0.5, 0.999])('refuses a fractional exp at exp exactly (issue 15, finding 6), exp = now + 60 + %p s', async (fraction) => {
    const exp = NOW_SEC + 60 + fraction;
    const token = await sign({ claims: { exp }, expiresInSec: null });
    const expMs = Math.round(exp * 1000);
    jest.setSystemTime(expMs - 1);
    await expect(createJwtVerifier(secretOptions).verify(token)).resolves.toMatchObject({ ok: true });
    jest.setSystemTime(expMs);
    // Uncached: jose alone compares whole seconds and would accept it until the next second.
    await expect(createJwtVerifier(secretOptions).verify(token)).resolves.toEqual({ ok: false, reason: 'expired' });
    jest.setSystemTime(expMs + 1);
    await expect(createJwtVerifier({ ...secretOptions, clockToleranceSec: 0 }).verify(token)).resolves.toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token whose nbf is in the future', async () => {
    const verifier = createJwtVerifier(secretOptions);
    const token = await sign({ claims: { nbf: NOW_SEC + 60 } });
    await expect(verifier.verify(token)).resolves.toEqual({ ok: false, reason: 'invalid-claims' });
  });
});

describe('public keys', () => {
  it.each(['RS256', 'ES256'] as const)('accepts a valid %s token, from a CryptoKey and from PEM', async (alg) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const token = await sign({ alg, key: privateKey, claims: { scope: 'posts.read' } });
    for (const key of [publicKey, await exportSPKI(publicKey)]) {
      const verifier = createJwtVerifier({ publicKey: key, algorithms: [alg], ...CLAIMS, includeGroupScopes: false });
      await expect(verifier.verify(token)).resolves.toEqual({ ok: true, principal: { kind: 'jwt', id: 'u1', scopes: new ReadOnlyScopeSet(['posts.read']), expiresAtMs: expect.any(Number) } });
    }
  });

  it('refuses a token signed by another key pair, and an HS256 token made with the public key', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const other = await generateKeyPair('RS256');
    const verifier = createJwtVerifier({ publicKey, algorithms: ['RS256'], ...CLAIMS, includeGroupScopes: false });
    await expect(verifier.verify(await sign({ alg: 'RS256', key: other.privateKey }))).resolves.toEqual({ ok: false, reason: 'invalid-signature' });
    const pem = new TextEncoder().encode(await exportSPKI(publicKey));
    await expect(verifier.verify(await sign({ alg: 'HS256', key: pem }))).resolves.toEqual({ ok: false, reason: 'algorithm-not-allowed' });
  });
});

describe('scopes from claims', () => {
  it.each<[string, Partial<JwtVerifierOptions>, JWTPayload, string[] | null]>([
    ['a scopes array', {}, { scopes: ['posts.read', 'comments.*'] }, ['comments.*', 'posts.read']],
    ['an OAuth scope string', {}, { scope: 'posts.read  posts.write' }, ['posts.read', 'posts.write']],
    ['scopes before scope', {}, { scopes: ['posts.read'], scope: 'admin.write' }, ['posts.read']],
    ['no scope claim', {}, {}, []],
    ['a custom claim (array)', { scopesClaim: 'permissions' }, { permissions: ['posts.read'], scopes: ['*'] }, ['posts.read']],
    ['a custom claim (string)', { scopesClaim: 'perms' }, { perms: 'posts.read *.delete' }, ['*.delete', 'posts.read']],
    ['a custom claim that is absent', { scopesClaim: 'permissions' }, { scopes: ['*'] }, []],
    ['an invalid entry', {}, { scopes: ['posts.read', 'DROP TABLE'] }, null],
    ['an OIDC scope string', {}, { scope: 'openid profile posts.read' }, null],
    ['a non-string entry', {}, { scopes: ['posts.read', { $ne: null }] }, null],
    ['an object claim', {}, { scopes: { posts: 'read' } }, null],
    ['a number claim', {}, { scope: 42 }, null],
    ['*.* which is no grant', {}, { scopes: ['*.*'] }, null],
    ['257 entries', {}, { scopes: Array.from({ length: 257 }, (_, i) => `r${i}.read`) }, null],
    ['301 entries over maxScopes 300', { maxScopes: 300 }, { scope: Array.from({ length: 301 }, (_, i) => `r${i}.read`).join(' ') }, null],
    ['300 entries under maxScopes 300', { maxScopes: 300 }, { scope: Array.from({ length: 300 }, (_, i) => `r${i}.read`).join(' ') }, Array.from({ length: 300 }, (_, i) => `r${i}.read`)],
    ['a prototype claim name', { scopesClaim: '__proto__' }, {}, []],
    ['ignore: drops invalid entries', { invalidScopes: 'ignore' }, { scope: 'openid profile posts.read' }, ['posts.read']],
    ['ignore: still refuses a wrong type', { invalidScopes: 'ignore' }, { scopes: { a: 1 } }, null],
  ])('%s', async (_label, options, claims, expected) => {
    const verifier = createJwtVerifier({ ...secretOptions, ...options } as JwtVerifierOptions);
    const result = await verifier.verify(await sign({ claims }));
    if (expected === null) expect(result).toEqual({ ok: false, reason: 'invalid-scopes' });
    else expect(result).toMatchObject({ ok: true, principal: { scopes: new ReadOnlyScopeSet(expected) } });
  });
});

it.each([0, 4097, 1.5])('refuses maxScopes %p with ERR_INVALID_OPTIONS', (maxScopes) => {
  expect(() => createJwtVerifier({ ...secretOptions, maxScopes } as JwtVerifierOptions)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
});

describe('group scopes', () => {
  async function storeWithEditors(): Promise<MemoryScopeStore> {
    const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1 } });
    await store.saveGroup({ name: 'editors', scopes: ['posts.write'] });
    await store.addGroupMember('editors', 'u1');
    return store;
  }

  it('adds the scopes of the subject’s groups by default', async () => {
    const groups = countingGroups(await storeWithEditors());
    const verifier = createJwtVerifier({ secret: SECRET, ...CLAIMS }, groups);
    const result = await verifier.verify(await sign({ claims: { scopes: ['posts.read'] } }));
    expect(result).toMatchObject({ ok: true, principal: { scopes: new ReadOnlyScopeSet(['posts.read', 'posts.write']) } });
    expect(groups.calls).toBe(1);
  });

  it('skips the store when includeGroupScopes is false, and before any refused token', async () => {
    const groups = countingGroups(await storeWithEditors());
    await expect(createJwtVerifier({ secret: SECRET, ...CLAIMS, includeGroupScopes: false }, groups).verify(await sign())).resolves.toMatchObject({
      ok: true,
      principal: { scopes: new ReadOnlyScopeSet() },
    });
    await expect(createJwtVerifier({ secret: SECRET, ...CLAIMS }, groups).verify(await sign({ claims: { scopes: ['BAD'] } }))).resolves.toMatchObject({ ok: false });
    expect(groups.calls).toBe(0);
  });

  it.each<[string, UserScopeSource]>([
    ['throws', { getUserScopes: () => Promise.reject(new Error('connection refused mongodb://user:pw@db')) }],
    ['never answers', { getUserScopes: () => new Promise<string[]>(() => undefined) }],
  ])('fails with ERR_STORE_UNAVAILABLE when the store %s', async (_label, store) => {
    const verifier = createJwtVerifier({ secret: SECRET, ...CLAIMS, storeTimeoutMs: 50 }, store);
    await expect(verifier.verify(await sign())).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });
});

describe('the verified-token cache', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW_SEC * 1000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('checks a token’s signature once, then answers from the cache by its SHA-256', async () => {
    const verifier = createJwtVerifier(secretOptions);
    const token = await sign({ claims: { scopes: ['posts.read'] } });
    const first = await verifier.verify(token);
    for (let index = 0; index < 100; index += 1) expect(await verifier.verify(token)).toEqual(first);
    expect(verifier.stats()).toEqual({ verifications: 1, cacheHits: 100, cacheSize: 1 });
  });

  it('refuses a cached token at exp exactly, not at the end of the cache TTL', async () => {
    const verifier = createJwtVerifier({ ...secretOptions, tokenCacheTtlMs: 3_600_000 });
    const token = await sign({ expiresInSec: 60 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ ok: true });
    jest.setSystemTime((NOW_SEC + 60) * 1000 - 1);
    await expect(verifier.verify(token)).resolves.toMatchObject({ ok: true });
    expect(verifier.stats()).toMatchObject({ verifications: 1, cacheHits: 1 });
    jest.setSystemTime((NOW_SEC + 60) * 1000);
    await expect(verifier.verify(token)).resolves.toEqual({ ok: false, reason: 'expired' });
    await expect(verifier.verify(token)).resolves.toEqual({ ok: false, reason: 'expired' });
    // Uncached, jose says the same at that instant.
    await expect(createJwtVerifier(secretOptions).verify(token)).resolves.toEqual({ ok: false, reason: 'expired' });
  });

  it('keeps a token no longer than tokenCacheTtlMs, then checks it again', async () => {
    const verifier = createJwtVerifier({ ...secretOptions, tokenCacheTtlMs: 5_000 });
    const token = await sign();
    await verifier.verify(token);
    jest.setSystemTime(NOW_SEC * 1000 + 4_999);
    await verifier.verify(token);
    expect(verifier.stats().verifications).toBe(1);
    jest.setSystemTime(NOW_SEC * 1000 + 5_000);
    await verifier.verify(token);
    expect(verifier.stats().verifications).toBe(2);
  });

  it('caches nothing with tokenCacheTtlMs 0, and never a refused token', async () => {
    const uncached = createJwtVerifier({ ...secretOptions, tokenCacheTtlMs: 0 });
    const token = await sign();
    await uncached.verify(token);
    await uncached.verify(token);
    expect(uncached.stats()).toEqual({ verifications: 2, cacheHits: 0, cacheSize: 0 });
    const verifier = createJwtVerifier(secretOptions);
    const forged = await sign({ key: new TextEncoder().encode('another-secret-of-at-least-32-bytes!!') });
    await verifier.verify(forged);
    await expect(verifier.verify(forged)).resolves.toEqual({ ok: false, reason: 'invalid-signature' });
    expect(verifier.stats()).toMatchObject({ verifications: 2, cacheSize: 0 });
  });

  it('gives a cached token its subject’s new group scopes at once, with no query while warm', async () => {
    const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1 } });
    await store.saveGroup({ name: 'editors', scopes: ['posts.write'] });
    const groups = countingGroups(store);
    const verifier = createJwtVerifier({ secret: SECRET, ...CLAIMS }, { getUserScopes: (id) => groups.getUserScopes(id), onChange: (listener) => store.onChange(listener) });
    const token = await sign({ claims: { scopes: ['posts.read'] } });
    const scopes = async (): Promise<string[]> => {
      const result = await verifier.verify(token);
      return result.ok ? [...result.principal.scopes].sort() : [];
    };
    for (let index = 0; index < 10; index += 1) expect(await scopes()).toEqual(['posts.read']);
    expect(groups.calls).toBe(1);
    await store.addGroupMember('editors', 'u1');
    expect(await scopes()).toEqual(['posts.read', 'posts.write']);
    expect(groups.calls).toBe(2);
    expect(verifier.stats().verifications).toBe(1);
    await verifier.dispose();
  });

  it('shares one principal among the requests of a cached token; its scopes refuse changes', async () => {
    const verifier = createJwtVerifier(secretOptions);
    const token = await sign({ claims: { scopes: ['posts.read'] } });
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    if (!first.ok || !second.ok) throw new Error('expected success');
    expect(second.principal).toBe(first.principal);
    expect(() => (first.principal.scopes as Set<string>).add('*')).toThrow(TypeError);
    expect(Object.isFrozen(first.principal)).toBe(true);
  });
});

describe('a JWKS endpoint', () => {
  let server: Server;
  let url: string;
  let status = 200;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    status = 200;
  });

  const options = (jwksUrl: string): JwtJwksOptions => ({
    jwksUrl,
    algorithms: ['ES256'],
    issuer: ISSUER,
    audience: AUDIENCE,
    includeGroupScopes: false,
    jwksTimeoutMs: 500,
  });
  const claims = { iss: ISSUER, aud: AUDIENCE, scopes: ['posts.read'] };

  it('verifies a token signed with a published key', async () => {
    const verifier = createJwtVerifier(options(url));
    await expect(verifier.verify(await sign({ alg: 'ES256', kid: 'k1', key: privateKey, claims }))).resolves.toMatchObject({ ok: true });
  });

  it('refuses a token whose kid is not published', async () => {
    const verifier = createJwtVerifier({ ...options(url), jwksCooldownMs: 0 });
    const other = await generateKeyPair('ES256');
    await expect(verifier.verify(await sign({ alg: 'ES256', kid: 'k9', key: other.privateKey, claims }))).resolves.toEqual({ ok: false, reason: 'unknown-key' });
  });

  it.each<[string, () => string]>([
    ['answers 500', () => {
      status = 500;
      return url;
    }],
    ['is not listening', () => url.replace(/:\d+\//, ':1/')],
  ])('fails with ERR_STORE_UNAVAILABLE when the endpoint %s', async (_label, setup) => {
    const verifier = createJwtVerifier(options(setup()));
    await expect(verifier.verify(await sign({ alg: 'ES256', kid: 'k1', key: privateKey, claims }))).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });
});

describe('option checks', () => {
  const pem = '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----';
  it.each<[string, unknown]>([
    ['a short secret', { secret: 'short', ...CLAIMS, includeGroupScopes: false }],
    ['alg none', { secret: SECRET, algorithms: ['none'], ...CLAIMS, includeGroupScopes: false }],
    ['an RSA algorithm with a secret', { secret: SECRET, algorithms: ['RS256'], ...CLAIMS, includeGroupScopes: false }],
    ['an HMAC algorithm with a public key', { publicKey: pem, algorithms: ['HS256'], ...CLAIMS, includeGroupScopes: false }],
    ['no algorithms with a public key', { publicKey: pem, ...CLAIMS, includeGroupScopes: false }],
    ['a bad PEM', { publicKey: pem, algorithms: ['RS256'], ...CLAIMS, includeGroupScopes: false }],
    ['two key sources', { secret: SECRET, jwksUrl: 'https://id.example/jwks', ...CLAIMS, includeGroupScopes: false }],
    ['no key source', { ...CLAIMS, includeGroupScopes: false }],
    ['a JWKS without audience', { jwksUrl: 'https://id.example/jwks', algorithms: ['RS256'], issuer: ISSUER, includeGroupScopes: false }],
    ['a JWKS URL that is no URL', { jwksUrl: 'nope', algorithms: ['RS256'], ...CLAIMS, includeGroupScopes: false }],
    ['a file: JWKS URL', { jwksUrl: 'file:///etc/passwd', algorithms: ['RS256'], ...CLAIMS, includeGroupScopes: false }],
    ['group scopes without a store', { secret: SECRET, ...CLAIMS }],
    ['a negative clock tolerance', { secret: SECRET, clockToleranceSec: -1, ...CLAIMS, includeGroupScopes: false }],
    ['an unknown invalidScopes policy', { secret: SECRET, invalidScopes: 'allow', ...CLAIMS, includeGroupScopes: false }],
  ])('refuses %s', (_label, options) => {
    expect(() => createJwtVerifier(options as JwtVerifierOptions)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('finding 6: JWTs are accepted only for the configured issuer and audience', () => {
  const pem = (async () => exportSPKI((await generateKeyPair('RS256', { extractable: true })).publicKey))();
  const modes: Array<[string, () => Promise<Record<string, unknown>>]> = [
    ['secret', async () => ({ secret: SECRET, includeGroupScopes: false })],
    ['publicKey', async () => ({ publicKey: await pem, algorithms: ['RS256'], includeGroupScopes: false })],
    ['jwksUrl', async () => ({ jwksUrl: 'https://id.example/jwks.json', algorithms: ['RS256'], includeGroupScopes: false })],
  ];

  describe.each(modes)('in %s mode', (mode, base) => {
    it.each<[string, Record<string, unknown>]>([
      ['no issuer', { audience: AUDIENCE }],
      ['no audience', { issuer: ISSUER }],
      ['neither', {}],
      ['an explicit undefined audience', { issuer: ISSUER, audience: undefined }],
      ['an empty issuer', { issuer: '', audience: AUDIENCE }],
      ['an empty audience list', { issuer: ISSUER, audience: [] }],
      ['a non-string audience', { issuer: ISSUER, audience: [AUDIENCE, 42] }],
      ['audience: true', { issuer: ISSUER, audience: true }],
    ])('refuses %s at creation with ERR_INVALID_OPTIONS', async (_label, claims) => {
      const options = { ...(await base()), ...claims } as unknown as JwtVerifierOptions;
      expect(() => createJwtVerifier(options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    });

    it(mode === 'jwksUrl' ? 'never lets false opt out' : 'lets an explicit false opt out of one check', async () => {
      for (const claims of [{ issuer: false, audience: AUDIENCE }, { issuer: ISSUER, audience: false }]) {
        const create = async () => createJwtVerifier({ ...(await base()), ...claims } as unknown as JwtVerifierOptions);
        if (mode === 'jwksUrl') await expect(create()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
        else await expect(create()).resolves.toHaveProperty('verify');
      }
    });
  });

  it('refuses a token the same provider issued for another API, which would otherwise get the subject’s group scopes', async () => {
    const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1 } });
    await store.saveGroup({ name: 'admins', scopes: ['*'] });
    await store.addGroupMember('admins', 'u1');
    const verifier = createJwtVerifier({ secret: SECRET, ...CLAIMS }, store);
    await expect(verifier.verify(await sign({ claims: { aud: 'billing-api' } }))).resolves.toEqual({ ok: false, reason: 'invalid-claims' });
    await expect(verifier.verify(await sign({ claims: { iss: 'https://other-tenant.example/' } }))).resolves.toEqual({ ok: false, reason: 'invalid-claims' });
    await expect(verifier.verify(await sign())).resolves.toMatchObject({ ok: true, principal: { scopes: new ReadOnlyScopeSet(['*']) } });
  });
});
