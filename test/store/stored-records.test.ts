import { createApiKeyVerifier } from '../../src/auth/api-keys/api-key-verifier';
import { createScopedContext, type ScopedContextStore } from '../../src/auth/create-scoped-context';
import { createJwtVerifier } from '../../src/auth/jwt/jwt-verifier';
import type { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { assertStoredCredential, assertStoredGrants } from '../../src/store/stored-records';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import type { ApiKeyCredential } from '../../src/store/scope-store';
import { SignJWT } from 'jose';
import { CHEAP_HASH } from '../auth/counting-store';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';

/** Scope lists a careless or hostile custom store might return. */
const BAD_SCOPES: Array<[string, unknown]> = [
  ['the string "posts.*" (iterated: p, o, s, t, ".", "*")', 'posts.*'],
  ['the string "*"', '*'],
  ['an operator object', { $gt: 1 }],
  ['an array holding an operator object', ['posts.read', { $gt: 1 }]],
  ['an array holding a number', [1]],
  ['an array holding a string that is no grant', ['posts']],
  ['a Set', new Set(['posts.read'])],
  ['null', null],
];

/** A custom store that answers with whatever `scopes` holds, for both keys and groups. */
class CustomStore implements ScopedContextStore {
  scopes: unknown = [];
  constructor(readonly inner: MemoryScopeStore) {}
  async findApiKeyCredential(id: string): Promise<ApiKeyCredential | null> {
    const credential = await this.inner.findApiKeyCredential(id);
    return credential === null ? null : ({ ...credential, apiKey: { ...credential.apiKey, scopes: this.scopes } } as unknown as ApiKeyCredential);
  }
  updateApiKeyHash(id: string, hash: string): Promise<void> {
    return this.inner.updateApiKeyHash(id, hash);
  }
  touchApiKey(id: string, at: Date, minIntervalMs?: number): Promise<boolean> {
    return this.inner.touchApiKey(id, at, minIntervalMs);
  }
  onApiKeyChange(listener: (id: string) => void): () => void {
    return this.inner.onApiKeyChange(listener);
  }
  async getUserScopes(): Promise<string[]> {
    return this.scopes as string[];
  }
}

describe('finding 1: scopes read back from a store are type-checked', () => {
  let store: CustomStore;
  let key: string;
  let token: string;
  beforeAll(async () => {
    const memory = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    ({ key } = await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] }));
    store = new CustomStore(memory);
    token = await new SignJWT({ sub: 'u1', iss: 'idp', aud: 'api' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
  });

  describe.each([
    ['an API key (findApiKeyCredential)', () => ({ authorization: `Bearer ${key}` })],
    ['a session user (getUserScopes)', () => ({ cookie: 'session=u1' })],
    ['a JWT with its group union (getUserScopes)', () => ({ authorization: `Bearer ${token}` })],
  ])('through createScopedContext, %s', (_label, headers) => {
    it.each(BAD_SCOPES)('%s fails closed with ERR_STORE_UNAVAILABLE (503), reported to onError, never as a grant', async (_what, scopes) => {
      store.scopes = scopes;
      const reported: string[] = [];
      const context = createScopedContext({
        store,
        verifier: createApiKeyVerifier(store, { hashOptions: CHEAP_HASH }),
        jwt: { secret: SECRET, issuer: 'idp', audience: 'api' },
        getUser: (req) => ((req.headers as Record<string, string>).cookie === undefined ? null : { id: 'u1' }),
        onError: (error, event) => reported.push(`${event.kind} ${(error as ScopedPermissionsError).code}`),
      });
      await expect(context({ req: { headers: headers() } })).rejects.toMatchObject({ extensions: { code: 'ERR_STORE_UNAVAILABLE', http: { status: 503 } } });
      expect(reported).toEqual(['store-unavailable ERR_STORE_UNAVAILABLE']);
    });
  });

  it('lets well-formed scopes through on every path', async () => {
    store.scopes = ['posts.*'];
    const context = createScopedContext({ store, verifier: createApiKeyVerifier(store, { hashOptions: CHEAP_HASH }), jwt: createJwtVerifier({ secret: SECRET, issuer: 'idp', audience: 'api' }, store), getUser: () => ({ id: 'u1' }) });
    for (const headers of [{ authorization: `Bearer ${key}` }, { authorization: `Bearer ${token}` }, {}]) {
      const { principal } = await context({ req: { headers } });
      expect([...principal.scopes]).toEqual(['posts.*']);
    }
  });
});

describe('assertStoredGrants', () => {
  it.each(BAD_SCOPES)('refuses %s, echoing nothing of it', (_label, value) => {
    let caught: unknown;
    try {
      assertStoredGrants(value, 'getUserScopes', { group: 'Editors' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: { operation: 'getUserScopes', field: 'scopes', group: 'Editors' } });
    expect((caught as Error).message).not.toContain('posts');
  });

  it('returns a list of valid grants as it is', () => {
    const grants = ['posts.read', 'posts.*', '*.read', '*'];
    expect(assertStoredGrants(grants, 'getUserScopes')).toBe(grants);
  });
});

describe('assertStoredCredential', () => {
  const good = (): Record<string, unknown> => ({
    apiKey: { id: 'a1B2c3D4e5F6', name: 'ci', prefix: 'gsp', scopes: ['posts.read'], createdAt: new Date(), expiresAt: null, revokedAt: null, lastUsedAt: null },
    hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
  });
  const withKey = (fields: Record<string, unknown>) => ({ ...good(), apiKey: { ...(good().apiKey as object), ...fields } });

  it.each<[string, unknown, string]>([
    ['a string', 'credential', 'credential'],
    ['no hash', { ...good(), hash: '' }, 'hash'],
    ['a hash object', { ...good(), hash: { $ne: null } }, 'hash'],
    ['no apiKey', { hash: 'h' }, 'apiKey'],
    ['another id', withKey({ id: 'XXXXXXXXXXXX' }), 'id'],
    ['a name object', withKey({ name: { first: 'x' } }), 'name'],
    ['a revokedAt string', withKey({ revokedAt: '2024-01-01' }), 'revokedAt'],
    ['an expiresAt number', withKey({ expiresAt: 0 }), 'expiresAt'],
    ['an invalid date', withKey({ expiresAt: new Date(Number.NaN) }), 'expiresAt'],
    ['scopes as a string', withKey({ scopes: 'posts.*' }), 'scopes'],
    ['scopes absent', withKey({ scopes: undefined }), 'scopes'],
  ])('refuses %s, naming the field', (_label, value, field) => {
    expect(() => assertStoredCredential(value, 'a1B2c3D4e5F6')).toThrow(expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE', details: expect.objectContaining({ field }) }));
  });

  it('accepts null and a well-formed credential', () => {
    expect(assertStoredCredential(null, 'a1B2c3D4e5F6')).toBeNull();
    const credential = good();
    expect(assertStoredCredential(credential, 'a1B2c3D4e5F6')).toBe(credential);
  });
});
