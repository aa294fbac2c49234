import {
  DEFAULT_AUTH_SCHEMES,
  DEFAULT_MAX_CREDENTIAL_LENGTH,
  type CredentialRequest,
  type ExtractCredentialsOptions,
  type HeaderRecord,
  extractCredentials,
  normalizeApiKeyHeader,
  normalizeAuthSchemes,
} from '../../src/auth/extract-credentials';
import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import { generateApiKey } from '../../src/keys/api-key-format';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { CHEAP_HASH } from './counting-store';

const { key } = generateApiKey();
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';

function fromHeaders(headers: HeaderRecord): CredentialRequest {
  return { headers };
}

describe('extractCredentials finds one credential', () => {
  it.each([
    ['a bearer API key', { authorization: `Bearer ${key}` }, 'bearer', key],
    ['a bearer JWT', { authorization: `Bearer ${JWT}` }, 'bearer', JWT],
    ['a lower-case scheme', { authorization: `bearer ${key}` }, 'bearer', key],
    ['an upper-case scheme', { authorization: `BEARER ${key}` }, 'bearer', key],
    ['an X-API-Key header', { 'x-api-key': key }, 'apiKeyHeader', key],
    ['a one-element header array', { 'x-api-key': [key] }, 'apiKeyHeader', key],
    ['a base64 token with padding', { authorization: 'Bearer abc+/def==' }, 'bearer', 'abc+/def=='],
  ])('%s', (_label, headers, source, value) => {
    expect(extractCredentials(fromHeaders(headers))).toEqual({ kind: 'credential', source, value });
  });

  it('returns none without credential headers', () => {
    expect(extractCredentials(fromHeaders({ host: 'example.com', cookie: 'sid=1' }))).toEqual({ kind: 'none' });
  });

  it('reads a configured header, in any case', () => {
    const request = fromHeaders({ 'x-service-token': key, 'x-api-key': undefined });
    expect(extractCredentials(request, { apiKeyHeader: 'X-Service-Token' })).toEqual({ kind: 'credential', source: 'apiKeyHeader', value: key });
    expect(extractCredentials(request)).toEqual({ kind: 'none' });
  });

  it('reads Fetch-style headers', () => {
    expect(extractCredentials({ headers: new Headers({ Authorization: `Bearer ${key}` }) })).toEqual({ kind: 'credential', source: 'bearer', value: key });
    expect(extractCredentials({ headers: new Headers({ 'X-API-Key': key }) })).toEqual({ kind: 'credential', source: 'apiKeyHeader', value: key });
    expect(extractCredentials({ headers: new Headers() })).toEqual({ kind: 'none' });
  });
});

// Every attack runs under the default scheme and under configured ones
// (`authSchemes`, drf-scoped-permissions' SCOPED_API_KEY_AUTH_KEYWORD).
const schemeSetups: Array<[string, string, ExtractCredentialsOptions]> = [
  ['the default scheme', 'Bearer', {}],
  ['Api-Key, configured next to Bearer', 'Api-Key', { authSchemes: ['Bearer', 'Api-Key'] }],
  ['Api-Key in another case than configured', 'API-KEY', { authSchemes: ['api-key'] }],
];

describe.each(schemeSetups)('extractCredentials rejects hostile headers (%s)', (_setup, scheme, options) => {
  const long = 'a'.repeat(10 * 1024);
  it.each<[string, HeaderRecord, string]>([
    ['an empty Authorization', { authorization: '' }, 'empty'],
    ['an empty X-API-Key', { 'x-api-key': '' }, 'empty'],
    ['only the scheme', { authorization: scheme }, 'empty'],
    ['the scheme and spaces', { authorization: `${scheme}   ` }, 'empty'],
    ['a 10 KB token', { authorization: `${scheme} ${long}` }, 'too-long'],
    ['a 10 KB API key', { 'x-api-key': long }, 'too-long'],
    ['a non-ASCII token', { authorization: `${scheme} tökén` }, 'invalid-characters'],
    ['a non-ASCII API key', { 'x-api-key': `${key}€` }, 'invalid-characters'],
    ['UTF-8 read as latin1', { authorization: `${scheme} \u00c3\u00a9` }, 'invalid-characters'],
    ['a NUL byte in a token', { authorization: `${scheme} ${key}\u0000` }, 'invalid-characters'],
    ['a NUL byte in an API key', { 'x-api-key': `a\u0000b` }, 'invalid-characters'],
    ['an object-like string', { 'x-api-key': '{"$ne":null}' }, 'invalid-characters'],
    ['an object-like token', { authorization: `${scheme} {"$ne":null}` }, 'invalid-characters'],
    ['two tokens in one header', { authorization: `${scheme} ${key} ${key}` }, 'invalid-characters'],
    ['a comma-joined duplicate', { 'x-api-key': `${key}, ${key}` }, 'invalid-characters'],
    ['a newline', { authorization: `${scheme} ${key}\nX-Admin: 1` }, 'invalid-characters'],
    ['a tab after the scheme', { authorization: `${scheme}\t${key}` }, 'invalid-characters'],
    ['a NUL byte in the scheme', { authorization: `${scheme}\u0000 ${key}` }, 'invalid-characters'],
    ['a Basic scheme', { authorization: 'Basic dXNlcjpwYXNz' }, 'unsupported-scheme'],
    ['a raw key without scheme', { authorization: key }, 'unsupported-scheme'],
    ['a scheme glued to the token', { authorization: `${scheme}${key}` }, 'unsupported-scheme'],
    ['a scheme with a prefix', { authorization: `X${scheme} ${key}` }, 'unsupported-scheme'],
    ['duplicate Authorization values', { authorization: [`${scheme} ${key}`, `${scheme} ${key}`] }, 'duplicate-header'],
    ['duplicate X-API-Key values', { 'x-api-key': [key, 'other'] }, 'duplicate-header'],
    ['the scheme AND X-API-Key', { authorization: `${scheme} ${key}`, 'x-api-key': key }, 'conflicting-credentials'],
    ['the scheme AND an empty X-API-Key', { authorization: `${scheme} ${key}`, 'x-api-key': '' }, 'empty'],
    ['a bad Authorization next to a good X-API-Key', { authorization: scheme, 'x-api-key': key }, 'conflicting-credentials'],
  ])('%s', (_label, headers, reason) => {
    expect(extractCredentials(fromHeaders(headers), options)).toEqual({ kind: 'rejected', reason });
  });

  it('accepts the scheme in any case', () => {
    for (const variant of [scheme, scheme.toLowerCase(), scheme.toUpperCase()]) {
      expect(extractCredentials(fromHeaders({ authorization: `${variant} ${key}` }), options)).toEqual({ kind: 'credential', source: 'bearer', value: key });
    }
  });
});

describe('authSchemes', () => {
  it('refuses Bearer when only Api-Key is configured', () => {
    const options = { authSchemes: ['Api-Key'] };
    expect(extractCredentials(fromHeaders({ authorization: `Bearer ${key}` }), options)).toEqual({ kind: 'rejected', reason: 'unsupported-scheme' });
    expect(extractCredentials(fromHeaders({ authorization: `Api-Key ${key}` }), options)).toEqual({ kind: 'credential', source: 'bearer', value: key });
  });

  it('refuses Api-Key by default', () => {
    expect(extractCredentials(fromHeaders({ authorization: `Api-Key ${key}` }))).toEqual({ kind: 'rejected', reason: 'unsupported-scheme' });
    expect(DEFAULT_AUTH_SCHEMES).toEqual(['Bearer']);
  });

  it.each<[string, unknown]>([
    ['an empty list', []],
    ['a string instead of a list', 'Bearer'],
    ['a scheme with a space', ['Api Key']],
    ['a scheme with a colon', ['Api-Key:']],
    ['an empty scheme', ['']],
    ['a non-string', [42]],
    ['a 33-character scheme', ['A'.repeat(33)]],
    ['nine schemes', Array.from({ length: 9 }, (_, index) => `S${index}`)],
  ])('refuses %s', (_label, authSchemes) => {
    expect(() => normalizeAuthSchemes(authSchemes as readonly string[])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    expect(() => extractCredentials(fromHeaders({}), { authSchemes: authSchemes as readonly string[] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('extractCredentials rejects hostile headers', () => {
  it('rejects a value that is not a string', () => {
    const headers = { authorization: { $ne: null } } as unknown as HeaderRecord;
    expect(extractCredentials(fromHeaders(headers))).toEqual({ kind: 'rejected', reason: 'invalid-type' });
  });

  it('sees a duplicate Authorization that Node dropped from req.headers', () => {
    const request: CredentialRequest = {
      headers: { authorization: `Bearer ${key}` },
      headersDistinct: { authorization: [`Bearer ${key}`, 'Bearer other'] },
    };
    expect(extractCredentials(request)).toEqual({ kind: 'rejected', reason: 'duplicate-header' });
  });

  it.each([
    ['Authorization', 'authorization', [`Bearer ${key}`, 'Bearer other']],
    ['X-API-Key', 'x-api-key', [key, 'other']],
  ])('sees a duplicate %s in the raw headers, whatever its case', (rawName, name, values) => {
    const request: CredentialRequest = {
      headers: { [name]: values[0] },
      rawHeaders: ['Host', 'localhost', rawName, values[0]!, rawName.toUpperCase(), values[1]!],
    };
    expect(extractCredentials(request)).toEqual({ kind: 'rejected', reason: 'duplicate-header' });
    const single: CredentialRequest = { headers: { [name]: values[0] }, rawHeaders: ['Host', 'localhost', rawName, values[0]!] };
    expect(extractCredentials(single)).toMatchObject({ kind: 'credential' });
  });

  it('caps the length at exactly maxLength', () => {
    const atCap = `Bearer ${'a'.repeat(DEFAULT_MAX_CREDENTIAL_LENGTH - 7)}`;
    expect(extractCredentials(fromHeaders({ authorization: atCap })).kind).toBe('credential');
    expect(extractCredentials(fromHeaders({ authorization: `${atCap}a` }))).toEqual({ kind: 'rejected', reason: 'too-long' });
    expect(extractCredentials(fromHeaders({ authorization: `Bearer ${key}` }), { maxLength: 20 })).toEqual({ kind: 'rejected', reason: 'too-long' });
  });

  it('never echoes the presented value in a rejection', () => {
    const result = extractCredentials(fromHeaders({ authorization: `Bearer ${key} x` }));
    expect(JSON.stringify(result)).not.toContain(key);
  });
});

describe('option checks', () => {
  it.each(['authorization', 'Authorization', 'x api key', '', 'x-api-key\n', 'ü'])('refuses apiKeyHeader %j', (name) => {
    expect(() => normalizeApiKeyHeader(name)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxLength %p', (maxLength) => {
    expect(() => extractCredentials(fromHeaders({}), { maxLength })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});

describe('property: hostile credential headers never throw and never grant', () => {
  // Strings an attacker would try, mixed with random ones of every kind.
  const adversarial = fc.constantFrom(
    '', ' ', 'Bearer', 'Bearer ', 'Bearer  ', 'bearer\t' + key, `Bearer ${key} `, `Bearer ${key},${key}`, `Bearer ${key}\u0000`,
    `Basic ${key}`, `Bearer "${key}"`, `Bearer ${key.toUpperCase()}`, 'Bearer *', 'Bearer {"$ne":null}', 'Bearer __proto__',
    `Bearer ${'a'.repeat(5000)}`, 'Bearer a.b.c', 'Bearer ..', 'Bearer ====', `Bearer ${key}\r\nX-API-Key: ${key}`, 'Bearer ｇｓｐ_token',
    '\u202e' + key, key.slice(0, -1), `${key}=`, 'null', 'undefined', '[object Object]',
  );
  const headerValue = fc.oneof(
    adversarial,
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((value) => `Bearer ${value}`),
  );
  const header = fc.oneof(
    headerValue,
    fc.array(headerValue, { maxLength: 3 }),
    fc.constantFrom<unknown>(null, undefined, 42, true, {}, { toString: () => key }, [key, key], []),
  );
  const request = fc.record(
    { authorization: header, 'x-api-key': header, cookie: headerValue },
    { requiredKeys: [] },
  );
  const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

  it('extractCredentials answers none, a well-formed credential or a rejection, and never throws', () => {
    fc.assert(
      fc.property(request, fc.boolean(), (headers, withRaw) => {
        const raw = withRaw ? Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.flatMap((v) => [name, String(v)]) : [name, String(value)])) : undefined;
        const found = extractCredentials({ headers: headers as HeaderRecord, ...(raw === undefined ? {} : { rawHeaders: raw }) });
        expect(['none', 'credential', 'rejected']).toContain(found.kind);
        if (found.kind === 'credential') {
          expect(found.value).toMatch(TOKEN);
          expect(found.value.length).toBeLessThanOrEqual(DEFAULT_MAX_CREDENTIAL_LENGTH);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the context function only ever answers anonymous, our typed errors, or the one real key', async () => {
    const store = new MemoryScopeStore({ hashOptions: CHEAP_HASH });
    const real = await store.createApiKey({ name: 'real', scopes: ['posts.read'] });
    const context = createScopedContext({ store, jwt: { secret: 'a-shared-secret-of-at-least-32-bytes!', issuer: 'idp', audience: 'api' }, onWarning: () => undefined });
    // The real key, and near misses of it, next to everything else.
    const nearReal = fc.constantFrom(real.key, `Bearer ${real.key}`, `Bearer ${real.key} `, real.key.slice(0, -1), `${real.key}x`, real.key.toLowerCase(), `Bearer\u00a0${real.key}`, ` ${real.key}`);
    const withReal = fc.record({ authorization: fc.oneof(header, nearReal), 'x-api-key': fc.oneof(header, nearReal) }, { requiredKeys: [] });
    let authenticated = 0;
    await fc.assert(
      fc.asyncProperty(withReal, async (headers) => {
        try {
          const { principal } = await context({ req: { headers: headers as HeaderRecord } });
          if (principal.kind === 'anonymous') {
            expect(principal.scopes.size).toBe(0);
          } else {
            // Only the real key, sent exactly, authenticates.
            expect(principal).toMatchObject({ kind: 'apiKey', id: real.apiKey.id });
            expect([headers.authorization, headers['x-api-key']].flat()).toContainEqual(expect.stringContaining(real.key));
            authenticated += 1;
          }
        } catch (error) {
          expect(error).toBeInstanceOf(GraphQLError);
          expect((error as GraphQLError).extensions.code).toBe('UNAUTHENTICATED');
          expect((error as GraphQLError).message).not.toContain(real.key);
        }
      }),
      { numRuns: 500 },
    );
    expect(authenticated).toBeGreaterThan(0); // the property saw real successes too
  });
});
