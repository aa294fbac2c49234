import { generateKeyPairSync } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import { expandGrants } from '../../src/federation/expand-grants';
import { FORWARDED_PRINCIPAL_HEADER, signForwardedPrincipal, type SignForwardedPrincipalOptions } from '../../src/federation/forwarded-principal';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../src/principal/principal';
import { ReadOnlyScopeSet } from '../../src/principal/read-only-set';
import { discoverScopes } from '../../src/scopes/discover-scopes';
import { buildPostsSubgraph, buildUsersSubgraph } from './subgraphs';

const quiet = { onWarning: () => undefined };
const catalogOf = () => {
  const posts = discoverScopes(buildPostsSubgraph(quiet)).resources;
  const users = discoverScopes(buildUsersSubgraph(quiet)).resources;
  return { resources: [...posts, ...users] };
};
const catalog = catalogOf();
const gatewayKeys = generateKeyPairSync('ed25519');
const otherKeys = generateKeyPairSync('ed25519');
const signing: SignForwardedPrincipalOptions = { privateKey: gatewayKeys.privateKey, issuer: 'gateway', audience: 'posts', ttlMs: 60_000, catalog };
const subgraphContext = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience: 'posts' } });
const SECRET_KEY = 'gsp_a1B2c3D4_thisIsTheSecretPartOfTheKey0123456789';

const keyPrincipal: Principal = { kind: 'apiKey', id: 'a1B2c3D4', name: 'ci', scopes: new ReadOnlyScopeSet(['posts.*', 'users.read']) };
const request = (headers: Record<string, string>) => ({ req: { headers } });
const codeOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: GraphQLError) => [error.extensions.code, (error.extensions.http as { status?: number } | undefined)?.status],
  );
const payloadOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

const frozen = (nowMs: number) => jest.useFakeTimers({ now: nowMs, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
afterEach(() => jest.useRealTimers());
afterAll(() => subgraphContext.dispose());

describe('signForwardedPrincipal and createScopedContext({ forwarded })', () => {
  it('forwards kind, id, name and the concrete scopes, never the key', async () => {
    const token = await signForwardedPrincipal({ ...keyPrincipal }, signing);
    const { principal } = await subgraphContext(request({ [FORWARDED_PRINCIPAL_HEADER]: token ?? '' }));
    expect(principal.kind).toBe('apiKey');
    expect(principal.id).toBe('a1B2c3D4');
    expect(principal.name).toBe('ci');
    expect([...principal.scopes].sort()).toEqual(['posts.delete', 'posts.read', 'posts.write', 'users.read']);
    const payload = payloadOf(token ?? '');
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'name', 'scope', 'sub']);
    expect(payload.scope).toBe('posts.delete posts.read posts.write users.read');
    expect(token).not.toContain(SECRET_KEY);
  });

  it('forwards nothing for an anonymous caller, and a request without the header is anonymous', async () => {
    expect(await signForwardedPrincipal(ANONYMOUS_PRINCIPAL, signing)).toBeNull();
    expect((await subgraphContext(request({}))).principal).toBe(ANONYMOUS_PRINCIPAL);
  });

  it('a direct request with an API key or a bearer token, and no forwarded token, is anonymous', async () => {
    expect((await subgraphContext(request({ authorization: `Bearer ${SECRET_KEY}` }))).principal).toBe(ANONYMOUS_PRINCIPAL);
    expect((await subgraphContext(request({ 'x-api-key': SECRET_KEY }))).principal).toBe(ANONYMOUS_PRINCIPAL);
  });

  it('gives a legacy unrestricted key every scope of the catalogue, as concrete strings', async () => {
    const token = await signForwardedPrincipal({ kind: 'apiKey', id: 'old', scopes: new ReadOnlyScopeSet(), unrestricted: true }, signing);
    expect(payloadOf(token ?? '').scope).toBe(expandGrants(['*'], catalog).join(' '));
  });

  it('expires with the principal credential when that comes first', async () => {
    const now = 1_800_000_000_000;
    frozen(now);
    const token = await signForwardedPrincipal({ ...keyPrincipal, expiresAtMs: now + 5_000 }, signing);
    expect(payloadOf(token ?? '').exp).toBe(now / 1000 + 5);
  });

  describe('attacks: each is a 401', () => {
    const tamper = (token: string, edit: (payload: Record<string, unknown>) => void): string => {
      const [header = '', , signature = ''] = token.split('.');
      const payload = payloadOf(token);
      edit(payload);
      return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    };
    const noneToken = (token: string): string => `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${token.split('.')[1] ?? ''}.`;

    it.each<[string, () => Promise<string>]>([
      ['replayed to another audience', async () => (await signForwardedPrincipal(keyPrincipal, { ...signing, audience: 'users' })) ?? ''],
      ['signed by another key (forged)', async () => (await signForwardedPrincipal(keyPrincipal, { ...signing, privateKey: otherKeys.privateKey })) ?? ''],
      ['from another issuer', async () => (await signForwardedPrincipal(keyPrincipal, { ...signing, issuer: 'someone' })) ?? ''],
      ['with edited scopes', async () => tamper((await signForwardedPrincipal(keyPrincipal, signing)) ?? '', (payload) => (payload.scope = `${String(payload.scope)} users.email`))],
      ['with an edited subject', async () => tamper((await signForwardedPrincipal(keyPrincipal, signing)) ?? '', (payload) => (payload.sub = 'apiKey:admin'))],
      ['unsigned (alg none)', async () => noneToken((await signForwardedPrincipal(keyPrincipal, signing)) ?? '')],
      ['not a token', async () => 'gsp_not.a.token'],
    ])('%s', async (_case, make) => {
      const token = await make();
      expect(await codeOf(subgraphContext(request({ [FORWARDED_PRINCIPAL_HEADER]: token })))).toEqual(['UNAUTHENTICATED', 401]);
    });

    it('expired', async () => {
      const now = 1_800_000_000_000;
      frozen(now);
      const token = (await signForwardedPrincipal(keyPrincipal, signing)) ?? '';
      jest.setSystemTime(now + 59_000);
      expect((await subgraphContext(request({ [FORWARDED_PRINCIPAL_HEADER]: token }))).principal.id).toBe('a1B2c3D4');
      jest.setSystemTime(now + 60_000);
      // A fresh verifier: the first one cached the token, and refuses it at exp too, but this checks the signature path.
      const fresh = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience: 'posts' } });
      expect(await codeOf(fresh(request({ [FORWARDED_PRINCIPAL_HEADER]: token })))).toEqual(['UNAUTHENTICATED', 401]);
      expect(await codeOf(subgraphContext(request({ [FORWARDED_PRINCIPAL_HEADER]: token })))).toEqual(['UNAUTHENTICATED', 401]);
      await fresh.dispose();
    });
  });

  it.each<[string, Partial<SignForwardedPrincipalOptions>]>([
    ['a shared secret as the key', { privateKey: 'a-shared-secret-that-is-long-enough-0123456789' }],
    ['a public key', { privateKey: gatewayKeys.publicKey }],
    ['an empty audience', { audience: '' }],
    ['a ttlMs below one second', { ttlMs: 10 }],
  ])('refuses %s with ERR_INVALID_OPTIONS', async (_case, options) => {
    await expect(signForwardedPrincipal(keyPrincipal, { ...signing, ...options })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });

  it('refuses forwarded-only options that need a store', () => {
    expect(() => createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience: 'posts' }, jwt: { secret: 'x'.repeat(32), issuer: 'i', audience: 'a' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }),
    );
  });
});

describe('a principal whose grants expand past MAX_GRANTS (256) concrete scopes', () => {
  // 120 resources of 3 actions: a large supergraph, where `*` or `*.read` and `*.write` name more than 256 scopes.
  const large = { resources: Array.from({ length: 120 }, (_, index) => ({ resource: `r${index}`, scopes: ['read', 'write', 'delete'].map((action) => ({ scope: `r${index}.${action}`, action, coordinates: [], used: true })) })) };
  const admin: Principal = { kind: 'apiKey', id: 'admin1', scopes: new ReadOnlyScopeSet(['*']) };

  it('reaches the subgraph with every scope, not as a 401', async () => {
    const token = (await signForwardedPrincipal(admin, { ...signing, catalog: large })) ?? '';
    const { principal } = await subgraphContext(request({ [FORWARDED_PRINCIPAL_HEADER]: token }));
    expect([principal.id, principal.scopes.size]).toEqual(['admin1', 360]);
  });
});

describe('a principal whose id has the longest length a user id may have (200)', () => {
  it.each<[Principal['kind']]>([['jwt'], ['user']])('reaches the subgraph as itself for kind %s (the `kind:` prefix must not push `sub` past the limit)', async (kind) => {
    const id = 'u'.repeat(200);
    const token = (await signForwardedPrincipal({ kind, id, scopes: new ReadOnlyScopeSet(['posts.read']) }, signing)) ?? '';
    const { principal } = await subgraphContext(request({ [FORWARDED_PRINCIPAL_HEADER]: token }));
    expect([principal.kind, principal.id]).toEqual([kind, id]);
  });
});
