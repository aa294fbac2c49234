import { hash } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { MAX_SCOPE_LENGTH, isGrant } from '../../scopes/scope-grammar';
import { MAX_GRANTS, assertUserId } from '../../store/store-input';
import { integerOption } from '../../errors/integer-option';
import { InvalidatingCache } from '../cache/invalidating-cache';
import { createUserScopeCache } from '../users/user-scope-cache';
import type { UserScopeCache } from '../users/user-scope-cache';
import type { UserScopeCacheOptions } from '../users/user-scope-cache-options';
import { VerifiedToken } from './verified-token';
import { JwksUnavailable, invalidOptions, resolveKey } from './jwt-signing-key';
import type { CachingJwtVerifier, InvalidScopesPolicy, JwtRejectReason, JwtVerifierOptions, JwtVerifierStats, JwtVerifyResult, UserScopeSource } from './jwt-verifier-options';

const DEFAULT_STORE_TIMEOUT_MS = 5000;
const MAX_NAME_LENGTH = 200;
/** The greatest `maxScopes`: a 16 KiB header holds no more entries of `a.b`. */
export const MAX_TOKEN_SCOPES = 4096;

const REASONS: Readonly<Record<string, JwtRejectReason>> = {
  [errors.JWTExpired.code]: 'expired',
  [errors.JWSSignatureVerificationFailed.code]: 'invalid-signature',
  [errors.JWTClaimValidationFailed.code]: 'invalid-claims',
  [errors.JOSEAlgNotAllowed.code]: 'algorithm-not-allowed',
  [errors.JWKSNoMatchingKey.code]: 'unknown-key',
  [errors.JWKSMultipleMatchingKeys.code]: 'unknown-key',
};

/**
 * The token's grants, or `null` to refuse it: a claim of the wrong type,
 * more than `maxScopes` entries, or (under `'reject'`) one invalid entry.
 */
function readTokenScopes(payload: JWTPayload, claim: string | undefined, policy: InvalidScopesPolicy, maxScopes: number): string[] | null {
  const own = (name: string): unknown => (Object.hasOwn(payload, name) ? payload[name] : undefined);
  const value = claim !== undefined ? own(claim) : own('scopes') ?? own('scope');
  if (value === undefined) return [];
  let entries: readonly unknown[];
  if (typeof value === 'string') {
    if (value.length > maxScopes * (MAX_SCOPE_LENGTH + 1)) return null;
    entries = value.split(' ').filter((entry) => entry !== '');
  } else if (Array.isArray(value)) {
    entries = value;
  } else {
    return null;
  }
  if (entries.length > maxScopes) return null;
  const grants: string[] = [];
  for (const entry of entries) {
    if (isGrant(entry)) grants.push(entry);
    else if (policy === 'reject') return null;
  }
  return grants;
}

/**
 * The accepted values of `iss` or `aud`: a non-empty string or list of
 * them, or `false` (checked by nobody, on purpose) given explicitly.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for `undefined` or anything else.
 */
function expectedClaim(name: 'issuer' | 'audience', value: unknown): string[] | false {
  if (value === false) return false;
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (values.length === 0 || !values.every((entry) => typeof entry === 'string' && entry.length > 0)) {
    throw invalidOptions(`${name} is required in every mode: the accepted value(s), or false to accept any ${name} (dangerous).`);
  }
  return values as string[];
}

/** The `sub` claim when it is a valid user id (1–200 printable characters), else `undefined`. */
function subjectOf(payload: JWTPayload): string | undefined {
  try {
    return assertUserId(payload.sub);
  } catch {
    return undefined;
  }
}

/** What other verifiers of this package built on this one may set; not part of the public options. */
export interface JwtVerifierInternals {
  /** Reads the `sub` claim into the principal's id, `undefined` to refuse the token. Default: a valid user id (1–200 printable characters). */
  readonly readSubject?: (sub: unknown) => string | undefined;
}

/** A user scope cache, or options for one. */
function isUserScopeCache(value: UserScopeCache | UserScopeCacheOptions | undefined): value is UserScopeCache {
  return typeof (value as Partial<UserScopeCache> | undefined)?.scopesOf === 'function';
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
 * Verified tokens are cached by SHA-256 for `tokenCacheTtlMs` (never past
 * `exp`), and group scopes come from a user scope cache, so a warm request
 * costs neither a signature check nor a store query.
 *
 * @param store - Where group scopes come from; required unless `includeGroupScopes` is `false`.
 * `issuer` and `audience` are required in every mode; `false` opts out of
 * one check explicitly (dangerous, and never with `jwksUrl`).
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad key,
 *   algorithm list or URL, or a missing `issuer` or `audience`.
 * @example
 * ```ts
 * const jwt = createJwtVerifier({ jwksUrl: 'https://id.example/jwks.json', algorithms: ['RS256'], issuer: 'https://id.example/', audience: 'blog-api' }, store);
 * const result = await jwt.verify(token);
 * ```
 */
export function createJwtVerifier(options: JwtVerifierOptions, store?: UserScopeSource): CachingJwtVerifier {
  return buildJwtVerifier(options, store);
}

/** {@link createJwtVerifier} with the hooks other verifiers of this package set (`JwtVerifierInternals`); not exported from the package. */
export function buildJwtVerifier(options: JwtVerifierOptions & JwtVerifierInternals, store?: UserScopeSource): CachingJwtVerifier {
  if (typeof options !== 'object' || options === null) throw invalidOptions('an options object is required.');
  const issuer = expectedClaim('issuer', options.issuer);
  const audience = expectedClaim('audience', options.audience);
  const { key, algorithms } = resolveKey(options);
  const includeGroupScopes = options.includeGroupScopes ?? true;
  const clockTolerance = options.clockToleranceSec ?? 0;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) throw invalidOptions('clockToleranceSec must be a number ≥ 0.');
  const storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  if (!Number.isSafeInteger(storeTimeoutMs) || storeTimeoutMs < 1) throw invalidOptions('storeTimeoutMs must be an integer ≥ 1.');
  const invalidScopes = options.invalidScopes ?? 'reject';
  if (invalidScopes !== 'reject' && invalidScopes !== 'ignore') throw invalidOptions('invalidScopes is "reject" or "ignore".');
  const maxScopes = integerOption('maxScopes', options.maxScopes, MAX_GRANTS, 1, MAX_TOKEN_SCOPES);
  const tokenCacheTtlMs = integerOption('tokenCacheTtlMs', options.tokenCacheTtlMs, 30_000, 0);
  const tokens = new InvalidatingCache<VerifiedToken>(integerOption('tokenCacheMaxEntries', options.tokenCacheMaxEntries, 10_000, 1));
  const verifyOptions = {
    algorithms,
    clockTolerance,
    requiredClaims: options.requireExpiry === false ? ['sub'] : ['sub', 'exp'],
    ...(issuer === false ? {} : { issuer }),
    ...(audience === false ? {} : { audience }),
  };
  let userScopes: UserScopeCache | undefined;
  let ownsUserScopes = false;
  if (includeGroupScopes) {
    if (isUserScopeCache(options.userScopes)) {
      userScopes = options.userScopes;
    } else if (typeof store?.getUserScopes === 'function') {
      userScopes = createUserScopeCache(store, { storeTimeoutMs, ...options.userScopes });
      ownsUserScopes = true;
    } else {
      throw invalidOptions('includeGroupScopes needs a store.');
    }
  }
  const counters = { verifications: 0, cacheHits: 0 };

  /** Checks the signature and claims, or says why not. */
  async function verifyToken(token: string): Promise<VerifiedToken | JwtRejectReason> {
    let payload: JWTPayload;
    counters.verifications += 1;
    try {
      ({ payload } = await jwtVerify(token, key, verifyOptions));
    } catch (error) {
      if (error instanceof JwksUnavailable) {
        throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'The JWKS endpoint is unavailable.', { details: { operation: 'jwks' }, cause: error.cause });
      }
      const code = error instanceof errors.JOSEError ? error.code : undefined;
      return (code !== undefined ? REASONS[code] : undefined) ?? 'malformed';
    }
    const id = options.readSubject === undefined ? subjectOf(payload) : options.readSubject(payload.sub);
    if (id === undefined) return 'invalid-subject';
    const tokenScopes = readTokenScopes(payload, options.scopesClaim, invalidScopes, maxScopes);
    if (tokenScopes === null) return 'invalid-scopes';
    const name = typeof payload.name === 'string' && payload.name.length <= MAX_NAME_LENGTH ? payload.name : undefined;
    // jose refuses a token once floor(now / 1000) - tolerance ≥ exp, that is from (exp + tolerance) * 1000 ms.
    const expiresAtMs = typeof payload.exp === 'number' ? (payload.exp + clockTolerance) * 1000 : null;
    // jose compares whole seconds, so a fractional `exp` would pass for up to a second past it: refuse at `exp` exactly.
    if (expiresAtMs !== null && !(Date.now() < expiresAtMs)) return 'expired';
    return new VerifiedToken(id, name, tokenScopes, expiresAtMs);
  }

  async function principalOf(verified: VerifiedToken): Promise<JwtVerifyResult> {
    if (userScopes === undefined) return { ok: true, principal: verified.principal };
    const groupScopes = userScopes.peek(verified.subject) ?? (await userScopes.scopesOf(verified.subject));
    return { ok: true, principal: verified.principalWith(groupScopes) };
  }

  return {
    async verify(token: string): Promise<JwtVerifyResult> {
      if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
      const digest = tokenCacheTtlMs > 0 ? hash('sha256', token, 'base64') : undefined;
      const cached = digest === undefined ? undefined : tokens.get(digest);
      if (cached !== undefined && digest !== undefined) {
        if (cached.expiresAtMs !== null && !(Date.now() < cached.expiresAtMs)) {
          tokens.delete(digest);
          return { ok: false, reason: 'expired' };
        }
        counters.cacheHits += 1;
        return principalOf(cached);
      }
      const verified = await verifyToken(token);
      if (typeof verified === 'string') return { ok: false, reason: verified };
      if (digest !== undefined) {
        const ttlMs = Math.min(tokenCacheTtlMs, verified.expiresAtMs === null ? Infinity : verified.expiresAtMs - Date.now());
        tokens.set(digest, verified.subject, verified, ttlMs);
      }
      return principalOf(verified);
    },
    stats(): JwtVerifierStats {
      return { ...counters, cacheSize: tokens.size };
    },
    async dispose(): Promise<void> {
      tokens.clear();
      if (ownsUserScopes) await userScopes?.dispose();
    },
  };
}
