import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { CryptoKey, JWTPayload, JWTVerifyGetKey, KeyInput, KeyObject } from 'jose';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { MAX_SCOPE_LENGTH, isGrant } from '../scopes/scope-grammar';
import type { GroupStore } from '../store/scope-store';
import { MAX_GRANTS, assertUserId } from '../store/store-input';
import type { Principal } from './principal';
import { callStore } from './call-store';

/** HMAC algorithms, for a shared secret. */
export type JwtHmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

/** Public-key algorithms, for a public key or a JWKS. */
export type JwtPublicKeyAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'Ed25519';

const HMAC_ALGORITHMS: ReadonlySet<string> = new Set<JwtHmacAlgorithm>(['HS256', 'HS384', 'HS512']);
const PUBLIC_KEY_ALGORITHMS: ReadonlySet<string> = new Set<JwtPublicKeyAlgorithm>([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);

/** What a token scope that breaks the scope grammar does: refuse the token, or drop the entry. */
export type InvalidScopesPolicy = 'reject' | 'ignore';

/** The shortest shared secret accepted, in bytes (RFC 7518 §3.2 for HS256). */
export const MIN_JWT_SECRET_BYTES = 32;

/** Settings every key mode shares. */
export interface JwtCommonOptions {
  /** Accepted `iss` value(s). Checked when given; required with `jwksUrl`. */
  issuer?: string | readonly string[];
  /** Accepted `aud` value(s). Checked when given; required with `jwksUrl`. */
  audience?: string | readonly string[];
  /** Clock skew allowed for `exp`, `nbf` and `iat`, in seconds. Default 0. */
  clockToleranceSec?: number;
  /** Refuse tokens without an `exp` claim. Default `true`. */
  requireExpiry?: boolean;
  /**
   * The claim that holds the scopes: an array of grants, or one OAuth-style
   * space-separated string. Default: `scopes` when present, else `scope`.
   */
  scopesClaim?: string;
  /**
   * What an entry that is not a valid grant does. `'reject'` refuses the
   * whole token (401). `'ignore'` drops the entry, for identity-provider
   * tokens whose `scope` also lists `openid profile email`; dropping can
   * only take access away. Default `'reject'`.
   */
  invalidScopes?: InvalidScopesPolicy;
  /** Add the scopes of the groups of the `sub` user (`store.getUserScopes(sub)`). Default `true`. */
  includeGroupScopes?: boolean;
  /** Milliseconds the group lookup may take before `ERR_STORE_UNAVAILABLE`. Default 5000. */
  storeTimeoutMs?: number;
}

/** Tokens signed with a shared HMAC secret. */
export interface JwtSecretOptions extends JwtCommonOptions {
  /** The shared secret, at least 32 bytes (UTF-8 for a string). */
  secret: string | Uint8Array;
  /** Accepted algorithms. Default `['HS256']`. */
  algorithms?: readonly JwtHmacAlgorithm[];
  publicKey?: never;
  jwksUrl?: never;
}

/** Tokens signed with one private key whose public half is known. */
export interface JwtPublicKeyOptions extends JwtCommonOptions {
  /** A `CryptoKey`, a Node `KeyObject`, or a PEM string (SPKI `-----BEGIN PUBLIC KEY-----`). */
  publicKey: CryptoKey | KeyObject | string;
  /** Accepted algorithms; required, since a key alone does not fix one. */
  algorithms: readonly JwtPublicKeyAlgorithm[];
  secret?: never;
  jwksUrl?: never;
}

/** Tokens from an identity provider that publishes a JSON Web Key Set. */
export interface JwtJwksOptions extends JwtCommonOptions {
  /** The JWKS URL, for example `https://issuer.example/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  /** Accepted algorithms; required. */
  algorithms: readonly JwtPublicKeyAlgorithm[];
  /** Required: a provider signs tokens for many audiences and issuers. */
  issuer: string | readonly string[];
  /** Required: without it, a token minted for another API of the provider would pass. */
  audience: string | readonly string[];
  /** Milliseconds a JWKS fetch may take. Default 5000. */
  jwksTimeoutMs?: number;
  /** Milliseconds fetched keys are kept. Default 600000 (10 minutes). */
  jwksCacheMaxAgeMs?: number;
  /** Milliseconds after a fetch before an unknown `kid` may trigger another. Default 30000. */
  jwksCooldownMs?: number;
  secret?: never;
  publicKey?: never;
}

/** How {@link createJwtVerifier} finds the signing key: exactly one of `secret`, `publicKey`, `jwksUrl`. */
export type JwtVerifierOptions = JwtSecretOptions | JwtPublicKeyOptions | JwtJwksOptions;

/**
 * Why a token was refused (each is a 401):
 * `malformed`, `expired`, `invalid-signature`, `invalid-claims` (issuer,
 * audience, `nbf`, `iat`, a missing `exp`), `algorithm-not-allowed`,
 * `unknown-key` (no JWKS key matches), `invalid-subject` (`sub` missing or
 * not a valid user id), `invalid-scopes`.
 */
export type JwtRejectReason =
  | 'malformed'
  | 'expired'
  | 'invalid-signature'
  | 'invalid-claims'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'invalid-subject'
  | 'invalid-scopes';

/** The outcome of {@link JwtVerifier.verify}. */
export type JwtVerifyResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: JwtRejectReason };

/** Verifies bearer JWTs into principals. */
export interface JwtVerifier {
  /**
   * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when the
   *   JWKS endpoint or the group store fails; never a result that grants.
   */
  verify(token: string): Promise<JwtVerifyResult>;
}

/** The part of the store the JWT verifier uses. */
export type UserScopeSource = Pick<GroupStore, 'getUserScopes'>;

const DEFAULT_STORE_TIMEOUT_MS = 5000;
const MAX_NAME_LENGTH = 200;

/** Thrown by the JWKS wrapper when the key set cannot be fetched (not the token's fault). */
class JwksUnavailable extends Error {}

const REASONS: Readonly<Record<string, JwtRejectReason>> = {
  [errors.JWTExpired.code]: 'expired',
  [errors.JWSSignatureVerificationFailed.code]: 'invalid-signature',
  [errors.JWTClaimValidationFailed.code]: 'invalid-claims',
  [errors.JOSEAlgNotAllowed.code]: 'algorithm-not-allowed',
  [errors.JWKSNoMatchingKey.code]: 'unknown-key',
  [errors.JWKSMultipleMatchingKeys.code]: 'unknown-key',
};

function invalidOptions(message: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `JWT options: ${message}`);
}

function checkAlgorithms(algorithms: readonly string[], allowed: ReadonlySet<string>, mode: string): string[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw invalidOptions(`algorithms must list at least one algorithm for ${mode}.`);
  for (const alg of algorithms) {
    if (!allowed.has(alg)) throw invalidOptions(`algorithm ${JSON.stringify(String(alg).slice(0, 20))} is not allowed for ${mode} (never "none").`);
  }
  return [...algorithms];
}

function remoteKeySet(options: JwtJwksOptions): JWTVerifyGetKey {
  let url: URL;
  try {
    url = new URL(options.jwksUrl);
  } catch (cause) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'JWT options: jwksUrl is not a URL.', { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidOptions('jwksUrl must be http(s).');
  const jwks = createRemoteJWKSet(url, {
    timeoutDuration: options.jwksTimeoutMs ?? 5000,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
  });
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new JwksUnavailable('The JWKS could not be fetched.', { cause: error });
    }
  };
}

const HMAC_HASHES: Readonly<Record<JwtHmacAlgorithm, string>> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };

/**
 * A key resolver for a shared secret that imports one `CryptoKey` per HMAC
 * algorithm, once. Given the raw bytes, jose would import them on every
 * verification, which costs more than the verification itself. jose checks
 * `alg` against the allowed algorithms before it asks for the key.
 */
function hmacKeys(secret: Uint8Array): JWTVerifyGetKey {
  const imported = new Map<string, Promise<CryptoKey>>();
  return ({ alg }) => {
    const hash = Object.hasOwn(HMAC_HASHES, alg) ? HMAC_HASHES[alg as JwtHmacAlgorithm] : undefined;
    if (hash === undefined) throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
    let key = imported.get(alg);
    if (key === undefined) {
      key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['verify']);
      imported.set(alg, key);
    }
    return key;
  };
}

function resolveKey(options: JwtVerifierOptions): { key: KeyInput | JWTVerifyGetKey; algorithms: string[] } {
  const modes = [options.secret, options.publicKey, options.jwksUrl].filter((value) => value !== undefined).length;
  if (modes !== 1) throw invalidOptions('give exactly one of secret, publicKey, jwksUrl.');
  if (options.secret !== undefined) {
    const secret = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
    if (!(secret instanceof Uint8Array) || secret.byteLength < MIN_JWT_SECRET_BYTES) {
      throw invalidOptions(`secret must be at least ${MIN_JWT_SECRET_BYTES} bytes.`);
    }
    return { key: hmacKeys(Uint8Array.from(secret)), algorithms: checkAlgorithms(options.algorithms ?? ['HS256'], HMAC_ALGORITHMS, 'a secret') };
  }
  if (options.publicKey !== undefined) {
    const algorithms = checkAlgorithms(options.algorithms, PUBLIC_KEY_ALGORITHMS, 'a public key');
    if (typeof options.publicKey !== 'string') return { key: options.publicKey, algorithms };
    try {
      const key = createPublicKey({ key: options.publicKey, format: 'pem' });
      return { key, algorithms };
    } catch (cause) {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'JWT options: publicKey is not a PEM public key.', { cause });
    }
  }
  const jwksOptions: JwtJwksOptions = options;
  if (jwksOptions.issuer === undefined || jwksOptions.audience === undefined) throw invalidOptions('jwksUrl needs issuer and audience.');
  return { key: remoteKeySet(jwksOptions), algorithms: checkAlgorithms(jwksOptions.algorithms, PUBLIC_KEY_ALGORITHMS, 'a JWKS') };
}

/**
 * The token's grants, or `null` to refuse it: a claim of the wrong type,
 * more than `MAX_GRANTS` entries, or (under `'reject'`) one invalid entry.
 */
function readTokenScopes(payload: JWTPayload, claim: string | undefined, policy: InvalidScopesPolicy): string[] | null {
  const own = (name: string): unknown => (Object.hasOwn(payload, name) ? payload[name] : undefined);
  const value = claim !== undefined ? own(claim) : own('scopes') ?? own('scope');
  if (value === undefined) return [];
  let entries: readonly unknown[];
  if (typeof value === 'string') {
    if (value.length > MAX_GRANTS * (MAX_SCOPE_LENGTH + 1)) return null;
    entries = value.split(' ').filter((entry) => entry !== '');
  } else if (Array.isArray(value)) {
    entries = value;
  } else {
    return null;
  }
  if (entries.length > MAX_GRANTS) return null;
  const grants: string[] = [];
  for (const entry of entries) {
    if (isGrant(entry)) grants.push(entry);
    else if (policy === 'reject') return null;
  }
  return grants;
}

/** The `sub` claim when it is a valid user id (1–200 printable characters), else `undefined`. */
function subjectOf(payload: JWTPayload): string | undefined {
  try {
    return assertUserId(payload.sub);
  } catch {
    return undefined;
  }
}

/**
 * Creates a JWT verifier on `jose`'s `jwtVerify`, from a shared secret, a
 * public key or a JWKS URL. `alg: none` is never accepted, nor any
 * algorithm outside `algorithms`.
 *
 * The principal is `{ kind: 'jwt', id: sub, name, scopes }`: the token's
 * scopes (see {@link JwtCommonOptions.scopesClaim}), each checked against the
 * scope grammar, plus by default the scopes of the `sub` user's groups. A
 * token without a valid `sub`, or (by default) without `exp`, is refused.
 *
 * @param store - Where group scopes come from; required unless `includeGroupScopes` is `false`.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad key, algorithm list or URL.
 * @example
 * ```ts
 * const jwt = createJwtVerifier({ jwksUrl: 'https://id.example/jwks.json', algorithms: ['RS256'], issuer: 'https://id.example/', audience: 'blog-api' }, store);
 * const result = await jwt.verify(token);
 * ```
 */
export function createJwtVerifier(options: JwtVerifierOptions, store?: UserScopeSource): JwtVerifier {
  if (typeof options !== 'object' || options === null) throw invalidOptions('an options object is required.');
  const { key, algorithms } = resolveKey(options);
  const includeGroupScopes = options.includeGroupScopes ?? true;
  if (includeGroupScopes && typeof store?.getUserScopes !== 'function') throw invalidOptions('includeGroupScopes needs a store.');
  const clockTolerance = options.clockToleranceSec ?? 0;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) throw invalidOptions('clockToleranceSec must be a number ≥ 0.');
  const storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  if (!Number.isSafeInteger(storeTimeoutMs) || storeTimeoutMs < 1) throw invalidOptions('storeTimeoutMs must be an integer ≥ 1.');
  const invalidScopes = options.invalidScopes ?? 'reject';
  if (invalidScopes !== 'reject' && invalidScopes !== 'ignore') throw invalidOptions('invalidScopes is "reject" or "ignore".');
  const verifyOptions = {
    algorithms,
    clockTolerance,
    requiredClaims: options.requireExpiry === false ? ['sub'] : ['sub', 'exp'],
    ...(options.issuer === undefined ? {} : { issuer: [options.issuer].flat() }),
    ...(options.audience === undefined ? {} : { audience: [options.audience].flat() }),
  };

  return {
    async verify(token: string): Promise<JwtVerifyResult> {
      if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, verifyOptions));
      } catch (error) {
        if (error instanceof JwksUnavailable) {
          throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'The JWKS endpoint is unavailable.', { details: { operation: 'jwks' }, cause: error.cause });
        }
        const code = error instanceof errors.JOSEError ? error.code : undefined;
        return { ok: false, reason: (code !== undefined ? REASONS[code] : undefined) ?? 'malformed' };
      }
      const id = subjectOf(payload);
      if (id === undefined) return { ok: false, reason: 'invalid-subject' };
      const tokenScopes = readTokenScopes(payload, options.scopesClaim, invalidScopes);
      if (tokenScopes === null) return { ok: false, reason: 'invalid-scopes' };
      const scopes = new Set(tokenScopes);
      if (includeGroupScopes && store !== undefined) {
        for (const scope of await callStore('getUserScopes', () => store.getUserScopes(id), storeTimeoutMs)) scopes.add(scope);
      }
      const name = typeof payload.name === 'string' && payload.name.length <= MAX_NAME_LENGTH ? payload.name : undefined;
      const principal: Principal = name === undefined ? { kind: 'jwt', id, scopes } : { kind: 'jwt', id, name, scopes };
      return { ok: true, principal };
    },
  };
}
