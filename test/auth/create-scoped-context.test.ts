import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { crc32 } from 'node:zlib';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { SignJWT } from 'jose';
import {
  type CreateScopedContextOptions,
  type ScopedContext,
  type ScopedContextStore,
  type UnauthenticatedEvent,
  createScopedContext,
} from '../../src/auth/create-scoped-context';
import type { CredentialRequest } from '../../src/auth/extract-credentials';
import type { JwtVerifierOptions } from '../../src/auth/jwt/jwt-verifier-options';
import { createApiKeyVerifier } from '../../src/auth/api-keys/api-key-verifier';
import { scopeDirective } from '../../src/directive/scope-directive';
import { KEY_CHECKSUM_LENGTH, generateApiKey, parseApiKey } from '../../src/keys/api-key-format';
import { encodeBase62 } from '../../src/keys/base62';
import type { ApiKeyCredential } from '../../src/store/scope-store';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { importApiKeys } from '../../src/store/import/import-api-keys';
import { djangoHash, drfKey, drfRow } from '../support/drf-keys';

const CHEAP_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const JWT_SECRET = 'a-shared-secret-of-at-least-32-bytes!';
const ISSUER = 'test-issuer';
const AUDIENCE = 'test-api';
const LEAK = 'mongodb://admin:hunter2@db';

// --- the schema: an unprotected echo of the principal, and scoped fields ---

function buildSchema(): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
  const typeDefs = /* GraphQL */ `
    type Me {
      kind: String!
      id: String
      name: String
      scopes: [String!]!
      unrestricted: Boolean!
    }
    type Query {
      hello: String
      whoami: Me!
      posts: [String!]! @scope(resource: "posts")
    }
    type Mutation {
      createPost(title: String!): String @scope(resource: "posts")
    }
  `;
  return scopeDirectiveTransformer(
    makeExecutableSchema<ScopedContext>({
      typeDefs: [scopeDirectiveTypeDefs, typeDefs],
      resolvers: {
        Query: {
          hello: () => 'world',
          whoami: (_source: unknown, _args: unknown, { principal }: ScopedContext) => ({
            ...principal,
            scopes: [...principal.scopes].sort(),
            unrestricted: principal.unrestricted === true,
          }),
          posts: () => ['p1'],
        },
        Mutation: { createPost: (_source: unknown, { title }: { title: string }) => title },
      },
    }),
  );
}

// --- a store wrapper that counts every call and can break on request ---

class ObservedStore implements ScopedContextStore {
  calls = 0;
  mode: 'pass' | 'throw' | 'hang' = 'pass';

  constructor(readonly inner: MemoryScopeStore) {}

  private async call<T>(run: () => Promise<T>): Promise<T> {
    this.calls += 1;
    if (this.mode === 'throw') throw new Error(`connect ECONNREFUSED ${LEAK}`);
    if (this.mode === 'hang') return new Promise<never>(() => undefined);
    return run();
  }

  findApiKeyCredential(id: string): Promise<ApiKeyCredential | null> {
    return this.call(() => this.inner.findApiKeyCredential(id));
  }
  updateApiKeyHash(id: string, hash: string): Promise<void> {
    return this.call(() => this.inner.updateApiKeyHash(id, hash));
  }
  touchApiKey(id: string, at: Date, minIntervalMs?: number): Promise<boolean> {
    return this.call(() => this.inner.touchApiKey(id, at, minIntervalMs));
  }
  getUserScopes(userId: string): Promise<string[]> {
    return this.call(() => this.inner.getUserScopes(userId));
  }
  onApiKeyChange(listener: (id: string) => void): () => void {
    return this.inner.onApiKeyChange(listener);
  }
}

// --- HTTP helpers ---

interface Reply {
  status: number;
  /** The `WWW-Authenticate` response header, or null. */
  challenge: string | null;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: Array<{ extensions: { code: string } }> };
}

function codes(reply: Reply): string[] {
  return reply.json.errors?.map((error) => error.extensions.code) ?? [];
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get('www-authenticate'), text, json: JSON.parse(text) as Reply['json'] };
}

/** Sends exact header bytes (duplicates, NUL, raw UTF-8), which fetch refuses to send, over HTTP/1.0. */
async function rawPost(url: string, headerLines: readonly Buffer[], query = '{ whoami { kind } }'): Promise<Omit<Reply, 'json' | 'challenge'>> {
  const { hostname, port, pathname } = new URL(url);
  const body = JSON.stringify({ query });
  const request = Buffer.concat([
    Buffer.from(`POST ${pathname} HTTP/1.0\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`),
    ...headerLines.flatMap((line) => [line, Buffer.from('\r\n')]),
    Buffer.from(`\r\n${body}`),
  ]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(0, split).split(' ')[1]), text: text.slice(split + 4) });
    });
  });
}

const line = (text: string): Buffer => Buffer.from(text, 'utf8');

interface Running {
  url: string;
  logs: string[];
  rejections: UnauthenticatedEvent[];
  internal: Array<{ error: Error; kind: string }>;
  stop(): Promise<void>;
}

const running: Running[] = [];
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
});

function isVerifierInstance(verifier: CreateScopedContextOptions['verifier']): boolean {
  return typeof (verifier as { verify?: unknown } | undefined)?.verify === 'function';
}

async function startApollo(options: CreateScopedContextOptions): Promise<Running> {
  const logs: string[] = [];
  const log = (...messages: unknown[]): void => {
    logs.push(messages.map(String).join(' '));
  };
  const server = new ApolloServer<ScopedContext>({ schema: buildSchema(), logger: { debug: log, info: log, warn: log, error: log } });
  const rejections: UnauthenticatedEvent[] = [];
  const internal: Array<{ error: Error; kind: string }> = [];
  const context = createScopedContext({
    onUnauthenticated: (event) => rejections.push(event),
    onError: (error, { kind }) => internal.push({ error, kind }),
    ...(isVerifierInstance(options.verifier) ? {} : { onWarning: () => undefined }), // the legacy key's warning is tested below
    ...options,
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context });
  const handle: Running = { url, logs, rejections, internal, stop: () => server.stop() };
  running.push(handle);
  return handle;
}

function signJwt(claims: Record<string, unknown>, { secret = JWT_SECRET, expiresAt = Math.floor(Date.now() / 1000) + 300 } = {}): Promise<string> {
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

/** The key with its secret replaced (checksum recomputed): well-formed, but wrong. */
function withWrongSecret(key: string): string {
  const parsed = parseApiKey(key)!;
  const body = `${parsed.prefix}_${parsed.id}_${'x'.repeat(parsed.secret.length)}`;
  return body + encodeBase62(crc32(body), KEY_CHECKSUM_LENGTH);
}

// --- fixtures ---

let memory: MemoryScopeStore;
let store: ObservedStore;
let app: Running;
const keys = { reader: '', legacy: '', revoked: '', expired: '' };

beforeAll(async () => {
  memory = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
  store = new ObservedStore(memory);
  keys.reader = (await memory.createApiKey({ name: 'reader', scopes: ['posts.read'] })).key;
  keys.legacy = (await memory.createApiKey({ name: 'legacy' })).key;
  const revoked = await memory.createApiKey({ name: 'revoked', scopes: ['posts.read'] });
  await memory.revokeApiKey(revoked.apiKey.id);
  keys.revoked = revoked.key;
  keys.expired = (await memory.createApiKey({ name: 'expired', scopes: ['posts.read'], expiresAt: new Date(Date.now() - 1000) })).key;
  await memory.saveGroup({ name: 'editors', scopes: ['posts.read', 'posts.write'] });
  await memory.addGroupMember('editors', 'u2');
  await memory.addGroupMember('editors', 'j1');

  app = await startApollo({
    store,
    verifier: { hashOptions: CHEAP_HASH },
    jwt: { secret: JWT_SECRET, issuer: ISSUER, audience: AUDIENCE },
    getUser: (req: CredentialRequest) => {
      const cookie = (req.headers as Record<string, string | undefined>).cookie ?? '';
      const session = /session=(\w+)/.exec(cookie)?.[1];
      return session === undefined ? null : { id: session, name: `User ${session}` };
    },
  });
});

beforeEach(() => {
  store.calls = 0;
  app.rejections.length = 0;
});

afterEach(() => {
  for (const key of Object.values(keys)) expect(app.logs.join('\n')).not.toContain(key);
});

// --- tests ---

describe('valid credentials', () => {
  it.each([
    ['Authorization: Bearer', (key: string) => ({ authorization: `Bearer ${key}` })],
    ['X-API-Key', (key: string) => ({ 'x-api-key': key })],
  ])('an API key in %s reaches scoped fields', async (_label, headers) => {
    const reply = await post(app.url, '{ posts whoami { kind name scopes } }', headers(keys.reader));
    expect(reply.status).toBe(200);
    expect(reply.json.data).toEqual({ posts: ['p1'], whoami: { kind: 'apiKey', name: 'reader', scopes: ['posts.read'] } });
  });

  it('a key without the scope gets FORBIDDEN (403), not 401', async () => {
    const reply = await post(app.url, 'mutation { createPost(title: "x") }', { 'x-api-key': keys.reader });
    expect([reply.status, codes(reply)]).toEqual([403, ['FORBIDDEN']]);
  });

  it('a legacy key without scopes is unrestricted', async () => {
    const reply = await post(app.url, 'mutation { createPost(title: "x") } ', { 'x-api-key': keys.legacy });
    expect(reply.json.data).toEqual({ createPost: 'x' });
  });

  it('a JWT gets its scopes and its groups’ scopes', async () => {
    const token = await signJwt({ sub: 'j1', scope: 'comments.read' });
    const reply = await post(app.url, 'mutation { createPost(title: "t") }', { authorization: `Bearer ${token}` });
    expect(reply.json.data).toEqual({ createPost: 't' });
    const me = await post(app.url, '{ whoami { kind id scopes } }', { authorization: `Bearer ${token}` });
    expect(me.json.data).toEqual({ whoami: { kind: 'jwt', id: 'j1', scopes: ['comments.read', 'posts.read', 'posts.write'] } });
  });

  it('a user from getUser gets the scopes of their groups', async () => {
    const reply = await post(app.url, 'mutation { createPost(title: "u") } ', { cookie: 'session=u2' });
    expect(reply.json.data).toEqual({ createPost: 'u' });
    const me = await post(app.url, '{ whoami { kind id name scopes } }', { cookie: 'session=u2' });
    expect(me.json.data).toEqual({ whoami: { kind: 'user', id: 'u2', name: 'User u2', scopes: ['posts.read', 'posts.write'] } });
  });

  it('a user in no group is authenticated but holds nothing', async () => {
    const reply = await post(app.url, '{ whoami { kind } posts }', { cookie: 'session=u3' });
    expect([reply.status, codes(reply), reply.json.data]).toEqual([403, ['FORBIDDEN'], null]);
  });

  it('credential headers win over the session, and getUser is not asked', async () => {
    const reply = await post(app.url, '{ whoami { kind name } }', { cookie: 'session=u2', 'x-api-key': keys.reader });
    expect(reply.json.data).toEqual({ whoami: { kind: 'apiKey', name: 'reader' } });
  });
});

describe('no credentials', () => {
  it('is anonymous: unprotected fields work', async () => {
    const reply = await post(app.url, '{ hello whoami { kind scopes } }');
    expect([reply.status, reply.json.data]).toEqual([200, { hello: 'world', whoami: { kind: 'anonymous', scopes: [] } }]);
    expect(store.calls).toBe(0);
  });

  it('is anonymous: protected fields answer UNAUTHENTICATED', async () => {
    const reply = await post(app.url, '{ posts }');
    expect([reply.status, codes(reply)]).toEqual([401, ['UNAUTHENTICATED']]);
  });
});

describe('bad credentials answer 401 UNAUTHENTICATED and never fall back to anonymous', () => {
  it.each<[string, () => Promise<string>, string]>([
    ['an unknown key', async () => generateApiKey().key, 'unknown'],
    ['a wrong secret', async () => withWrongSecret(keys.reader), 'invalid'],
    ['a revoked key', async () => keys.revoked, 'revoked'],
    ['an expired key', async () => keys.expired, 'expired'],
    ['an expired JWT', () => signJwt({ sub: 'j1' }, { expiresAt: Math.floor(Date.now() / 1000) - 60 }), 'expired'],
    ['a JWT with a wrong signature', () => signJwt({ sub: 'j1' }, { secret: 'another-secret-of-at-least-32-bytes!!' }), 'invalid-signature'],
    ['a JWT from another issuer', () => signJwt({ sub: 'j1', iss: 'evil' }), 'invalid-claims'],
    ['a JWT for another audience', () => signJwt({ sub: 'j1', aud: 'billing-api' }), 'invalid-claims'],
    ['a JWT with invalid scopes', () => signJwt({ sub: 'j1', scopes: ['posts.read', '{"$ne":null}'] }), 'invalid-scopes'],
  ])('%s', async (_label, credential, reason) => {
    const value = await credential();
    const variants: Array<Record<string, string>> = [{ authorization: `Bearer ${value}` }];
    if (!value.includes('.')) variants.push({ 'x-api-key': value }); // JWTs only travel as bearer tokens
    for (const headers of variants) {
      const reply = await post(app.url, '{ hello }', headers);
      expect([reply.status, codes(reply), reply.json.data ?? null]).toEqual([401, ['UNAUTHENTICATED'], null]);
      expect(reply.challenge).toBe('Bearer error="invalid_token"');
      expect(reply.text).not.toContain(value);
    }
    expect(app.rejections.map((event) => event.reason)).toContain(reason);
  });
});

describe('WWW-Authenticate (RFC 6750)', () => {
  it.each<[string, Record<string, string>, string | null]>([
    ['a refused credential', { authorization: `Bearer ${generateApiKey().key}` }, 'Bearer error="invalid_token"'],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }, 'Bearer error="invalid_request"'],
    ['two credentials at once', { authorization: 'Bearer abc.def.ghi', 'x-api-key': 'gsp_x' }, 'Bearer error="invalid_request"'],
  ])('challenges %s', async (_label, headers, challenge) => {
    const reply = await post(app.url, '{ hello }', headers);
    expect([reply.status, codes(reply), reply.challenge]).toEqual([401, ['UNAUTHENTICATED'], challenge]);
  });
});

describe('hostile headers answer 401 without a store query', () => {
  const key = generateApiKey().key;
  const badChecksum = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
  it.each<[string, Buffer[], number]>([
    ['an empty Authorization', [line('Authorization: ')], 401],
    ['only "Bearer"', [line('Authorization: Bearer')], 401],
    ['an empty X-API-Key', [line('X-API-Key: ')], 401],
    ['a 10 KB token', [line(`Authorization: Bearer ${'a'.repeat(10 * 1024)}`)], 401],
    ['a non-ASCII token', [line('Authorization: Bearer tökén€')], 401],
    ['an object-like key', [line('X-API-Key: {"$ne":null}')], 401],
    ['duplicate Authorization headers', [line(`Authorization: Bearer ${key}`), line(`Authorization: Bearer ${key}`)], 401],
    ['duplicate X-API-Key headers', [line(`X-API-Key: ${key}`), line(`X-API-Key: ${key}`)], 401],
    ['Bearer AND X-API-Key', [line(`Authorization: Bearer ${key}`), line(`X-API-Key: ${key}`)], 401],
    ['a Basic scheme', [line('Authorization: Basic dXNlcjpwYXNz')], 401],
    ['a key with a bad checksum', [line(`X-API-Key: ${badChecksum}`)], 401],
    ['a key with another prefix', [line(`X-API-Key: ${key.replace(/^gsp_/, 'xyz_')}`)], 401],
    ['a bearer token of no known shape', [line('Authorization: Bearer abc')], 401],
    // Node's HTTP parser refuses a NUL byte before Apollo or our code runs.
    ['a NUL byte', [Buffer.concat([line(`X-API-Key: ${key}`), Buffer.from([0]), line('x')])], 400],
  ])('%s', async (_label, headers, status) => {
    const reply = await rawPost(app.url, headers);
    expect(reply.status).toBe(status);
    if (status === 401) expect(JSON.parse(reply.text)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(reply.text).not.toContain(key);
    expect(store.calls).toBe(0);
  });

  it('a JWT is refused without a store query when no jwt options are set', async () => {
    const noJwt = await startApollo({ store, verifier: { hashOptions: CHEAP_HASH } });
    const token = await signJwt({ sub: 'j1' });
    const reply = await post(noJwt.url, '{ hello }', { authorization: `Bearer ${token}` });
    expect([reply.status, codes(reply)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(noJwt.rejections).toEqual([{ method: 'jwt', reason: 'not-configured' }]);
    expect(store.calls).toBe(0);
  });
});

describe('store outages answer 503 ERR_STORE_UNAVAILABLE', () => {
  it.each(['throw', 'hang'] as const)('when the store %ss', async (mode) => {
    const broken = new ObservedStore(memory);
    const server = await startApollo({ store: broken, storeTimeoutMs: 100, verifier: { hashOptions: CHEAP_HASH }, jwt: { secret: JWT_SECRET, issuer: ISSUER, audience: AUDIENCE }, getUser: () => ({ id: 'u2' }) });
    broken.mode = mode;
    const token = await signJwt({ sub: 'j1' });
    const variants: Array<Record<string, string>> = [{ 'x-api-key': keys.reader }, { authorization: `Bearer ${token}` }, {}];
    for (const headers of variants) {
      const reply = await post(server.url, '{ hello }', headers);
      expect([reply.status, codes(reply), reply.json.data ?? null]).toEqual([503, ['ERR_STORE_UNAVAILABLE'], null]);
      expect(reply.text).not.toContain(LEAK);
      expect(reply.text).not.toContain(keys.reader);
      expect(reply.text).not.toContain(token);
    }
    expect(server.internal.map((event) => event.kind)).toEqual(['store-unavailable', 'store-unavailable', 'store-unavailable']);
    for (const { error } of server.internal) expect(JSON.stringify({ message: error.message, details: (error as { details?: unknown }).details })).not.toContain(keys.reader);
  });

  it('a full verification queue answers 503 ERR_OVERLOADED, never 401 or anonymous', async () => {
    // Keys hashed with costly parameters, one hash at a time and no queue: concurrent first uses overflow.
    const slow = new MemoryScopeStore({ hashOptions: { memoryCost: 65536, timeCost: 3, parallelism: 1 } });
    const slowKeys = await Promise.all([1, 2, 3].map(async (n) => (await slow.createApiKey({ name: `k${n}`, scopes: ['posts.read'] })).key));
    const server = await startApollo({ store: slow, verifier: { maxConcurrentVerifications: 1, maxQueuedVerifications: 0, hashOptions: { memoryCost: 65536, timeCost: 3 } } });
    const replies = await Promise.all(slowKeys.map((key) => post(server.url, '{ posts }', { 'x-api-key': key })));
    const outcomes = replies.map((reply) => `${reply.status} ${codes(reply).join(',')}`);
    expect(outcomes).toContain('503 ERR_OVERLOADED');
    expect(outcomes).toContain('200 ');
    for (const outcome of outcomes) expect(['200 ', '503 ERR_OVERLOADED']).toContain(outcome);
  });
});

describe('configuration', () => {
  it('honours keyPrefix and apiKeyHeader', async () => {
    const acme = new MemoryScopeStore({ prefix: 'acme', hashOptions: CHEAP_HASH });
    const observed = new ObservedStore(acme);
    const { key } = await acme.createApiKey({ name: 'acme', scopes: ['posts.read'] });
    const server = await startApollo({ store: observed, keyPrefix: 'acme', apiKeyHeader: 'X-Service-Key', verifier: { hashOptions: CHEAP_HASH } });
    expect((await post(server.url, '{ posts }', { 'x-service-key': key })).json.data).toEqual({ posts: ['p1'] });
    observed.calls = 0;
    const gsp = await post(server.url, '{ hello }', { 'x-service-key': keys.reader });
    expect([gsp.status, codes(gsp), observed.calls]).toEqual([401, ['UNAUTHENTICATED'], 0]);
    // The default header is not read any more: this request is anonymous.
    expect((await post(server.url, '{ whoami { kind } }', { 'x-api-key': key })).json.data).toEqual({ whoami: { kind: 'anonymous' } });
  });

  it('honours authSchemes: Authorization: Api-Key <key> (drf-scoped-permissions style), any case, keys and JWTs alike', async () => {
    const server = await startApollo({ store, authSchemes: ['Bearer', 'Api-Key'], verifier: { hashOptions: CHEAP_HASH }, jwt: { secret: JWT_SECRET, issuer: ISSUER, audience: AUDIENCE } });
    for (const scheme of ['Api-Key', 'api-key', 'Bearer']) {
      const reply = await post(server.url, '{ posts }', { authorization: `${scheme} ${keys.reader}` });
      expect([reply.status, reply.json.data]).toEqual([200, { posts: ['p1'] }]);
    }
    const jwt = await post(server.url, '{ whoami { kind } }', { authorization: `Api-Key ${await signJwt({ sub: 'j1' })}` });
    expect(jwt.json.data).toEqual({ whoami: { kind: 'jwt' } });
    store.calls = 0;
    const basic = await post(server.url, '{ hello }', { authorization: `Basic ${keys.reader}` });
    expect([basic.status, codes(basic), store.calls, server.rejections.at(-1)]).toEqual([401, ['UNAUTHENTICATED'], 0, { method: 'header', reason: 'unsupported-scheme' }]);
    // The default accepts only Bearer: the drf-style header is a 401, never anonymous.
    const byDefault = await post(app.url, '{ whoami { kind } }', { authorization: `Api-Key ${keys.reader}` });
    expect([byDefault.status, codes(byDefault)]).toEqual([401, ['UNAUTHENTICATED']]);
  });

  it('issue 18 part 4: a key imported from djangorestframework-api-key works unchanged as Api-Key <prefix>.<secret>', async () => {
    const { prefix, key } = drfKey();
    await importApiKeys(memory, [drfRow({ prefix, hashed_key: await djangoHash('sha512', key), scopes: ['posts.read'] })], { format: 'drf-api-key' });
    const server = await startApollo({ store, authSchemes: ['Bearer', 'Api-Key'], verifier: { hashOptions: CHEAP_HASH } });
    const reply = await post(server.url, '{ posts }', { authorization: `Api-Key ${key}` });
    expect([reply.status, reply.json.data]).toEqual([200, { posts: ['p1'] }]);
    const wrong = await post(server.url, '{ posts }', { authorization: `Api-Key ${prefix}.${'x'.repeat(32)}` });
    expect([wrong.status, codes(wrong)]).toEqual([401, ['UNAUTHENTICATED']]);
    const denied = await post(server.url, 'mutation { createPost(title: "x") }', { authorization: `Api-Key ${key}` });
    expect(codes(denied)).toEqual(['FORBIDDEN']);
  });

  it('lets what getUser throws through, and refuses an invalid user id with a 500, never anonymous', async () => {
    const server = await startApollo({
      store,
      getUser: (req: CredentialRequest) => {
        const cookie = (req.headers as Record<string, string | undefined>).cookie;
        if (cookie === 'boom') throw new GraphQLError('Session expired.', { extensions: { code: 'SESSION_EXPIRED', http: { status: 401 } } });
        return cookie === undefined ? null : { id: '\u0000' };
      },
    });
    const expired = await post(server.url, '{ hello }', { cookie: 'boom' });
    expect([expired.status, codes(expired)]).toEqual([401, ['SESSION_EXPIRED']]);
    const invalid = await post(server.url, '{ hello }', { cookie: 'x' });
    expect([invalid.status, codes(invalid), invalid.json.data ?? null]).toEqual([500, ['INTERNAL_SERVER_ERROR'], null]);
  });

  it.each<[string, Partial<CreateScopedContextOptions>]>([
    ['no store', { store: undefined }],
    ['apiKeyHeader "authorization"', { apiKeyHeader: 'Authorization' }],
    ['a header name with a space', { apiKeyHeader: 'x api key' }],
    ['storeTimeoutMs 0', { storeTimeoutMs: 0 }],
    ['maxCredentialLength 0', { maxCredentialLength: 0 }],
    ['empty authSchemes', { authSchemes: [] }],
    ['an authSchemes entry with a space', { authSchemes: ['Api Key'] }],
    ['a bad keyPrefix', { keyPrefix: 'Bad_Prefix' }],
    ['a short JWT secret', { jwt: { secret: 'short', issuer: ISSUER, audience: AUDIENCE } }],
    ['finding 6: a JWT secret without an audience', { jwt: { secret: JWT_SECRET, issuer: ISSUER } as unknown as JwtVerifierOptions }],
    ['finding 6: a JWT secret without an issuer', { jwt: { secret: JWT_SECRET, audience: AUDIENCE } as unknown as JwtVerifierOptions }],
  ])('refuses %s at creation', (_label, options) => {
    expect(() => createScopedContext({ store, ...options } as CreateScopedContextOptions)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('finding 10: internal messages never reach clients', () => {
  const USER_ID = 'alice\u0000-internal-user-id-do-not-echo';
  const DB_TEXT = 'connect ECONNREFUSED db.internal:27017 password=hunter2';

  /** A store whose key lookup returns a record with no apiKey: a TypeError on the old code path. */
  class MalformedStore extends ObservedStore {
    override async findApiKeyCredential(): Promise<ApiKeyCredential | null> {
      return { apiKey: null, hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA' } as unknown as ApiKeyCredential;
    }
  }

  it.each<[string, () => Partial<CreateScopedContextOptions>, () => Record<string, string>, number, string, string]>([
    ['a user id getUser returned that breaks the rules', () => ({ getUser: () => ({ id: USER_ID }) }), () => ({}), 500, 'INTERNAL_SERVER_ERROR', 'internal'],
    ['a plain Error thrown by getUser', () => ({ getUser: () => { throw new Error(DB_TEXT); } }), () => ({}), 500, 'INTERNAL_SERVER_ERROR', 'internal'],
    ['a TypeError thrown by getUser', () => ({ getUser: () => (null as unknown as { user: { id: string } }).user }), () => ({}), 500, 'INTERNAL_SERVER_ERROR', 'internal'],
    ['a malformed key record from a custom store', () => ({ store: new MalformedStore(memory) }), () => ({ 'x-api-key': keys.reader }), 503, 'ERR_STORE_UNAVAILABLE', 'store-unavailable'],
    ['a custom JWT verifier that throws', () => ({ jwt: { verify: () => Promise.reject(new TypeError(DB_TEXT)) } }), () => ({ authorization: 'Bearer abc.def.ghi' }), 500, 'INTERNAL_SERVER_ERROR', 'internal'],
  ])('%s: the client gets a typed or generic error, onError the original', async (_label, options, headers, status, code, kind) => {
    const server = await startApollo({ store, verifier: { hashOptions: CHEAP_HASH }, ...options() });
    const reply = await post(server.url, '{ hello }', headers());
    expect([reply.status, codes(reply), reply.json.data ?? null]).toEqual([status, [code], null]);
    const body = reply.text;
    for (const leak of ['internal-user-id', 'hunter2', 'ECONNREFUSED', 'TypeError', 'Cannot read', 'Context creation failed', 'ERR_INVALID_INPUT', 'userId', 'apiKey']) {
      expect(body).not.toContain(leak);
    }
    expect(server.internal.map((event) => event.kind)).toEqual([kind]);
    expect(server.internal[0]?.error).toBeInstanceOf(Error);
  });

  it('hands the original to onError: the invalid user id as ERR_INVALID_INPUT', async () => {
    const server = await startApollo({ store, getUser: () => ({ id: USER_ID }) });
    await post(server.url, '{ hello }');
    expect(server.internal[0]?.error).toMatchObject({ code: 'ERR_INVALID_INPUT', details: { field: 'userId' } });
  });
});

describe('finding 11: onWarning reaches the verifier built here', () => {
  it('reports the first use of an unrestricted key, once', async () => {
    const warnings: string[] = [];
    const context = createScopedContext({ store: memory, onWarning: (_message, event) => warnings.push(`${event.kind} ${event.keyId}`) });
    const legacyId = parseApiKey(keys.legacy)!.id;
    for (let i = 0; i < 3; i += 1) await context({ req: { headers: { 'x-api-key': keys.legacy } } });
    await context({ req: { headers: { 'x-api-key': keys.reader } } });
    expect(warnings).toEqual([`unrestricted-key ${legacyId}`]);
  });

  it('refuses onWarning next to a verifier built elsewhere (set it there)', () => {
    const verifier = createApiKeyVerifier(memory);
    expect(() => createScopedContext({ store: memory, verifier, onWarning: () => undefined })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('through Express 5 and @as-integrations/express5', () => {
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const server = new ApolloServer<ScopedContext>({ schema: buildSchema() });
    await server.start();
    const context = createScopedContext<express.Request>({ store, verifier: { hashOptions: CHEAP_HASH }, getUser: (req) => (req.get('x-test-user') ? { id: 'u2' } : null) });
    const appExpress = express();
    appExpress.use('/graphql', express.json(), expressMiddleware(server, { context }));
    const listener = appExpress.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => listener.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/graphql`;
    stop = async () => {
      await server.stop();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    };
  });
  afterAll(() => stop());

  it('authenticates keys, users and anonymous callers, and refuses bad keys', async () => {
    expect((await post(url, '{ posts }', { 'x-api-key': keys.reader })).json.data).toEqual({ posts: ['p1'] });
    expect((await post(url, '{ whoami { kind id } }', { 'x-test-user': '1' })).json.data).toEqual({ whoami: { kind: 'user', id: 'u2' } });
    expect((await post(url, '{ hello }')).json.data).toEqual({ hello: 'world' });
    const bad = await post(url, '{ hello }', { 'x-api-key': keys.revoked });
    expect([bad.status, codes(bad)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(bad.text).not.toContain(keys.revoked);
  });

  it('refuses duplicate Authorization headers, of which Node keeps only the first in req.headers', async () => {
    store.calls = 0;
    const reply = await rawPost(url, [line(`Authorization: Bearer ${keys.reader}`), line(`Authorization: Bearer ${keys.legacy}`)]);
    expect(reply.status).toBe(401);
    expect(store.calls).toBe(0);
  });
});
