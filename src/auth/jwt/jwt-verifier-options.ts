import type { Principal } from '../../principal/principal';
import type { UserScopeCache, UserScopeStore } from '../users/user-scope-cache';
import type { UserScopeCacheOptions } from '../users/user-scope-cache-options';

/** HMAC algorithms, for a shared secret. */
export type JwtHmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

/** Public-key algorithms, for a public key or a JWKS. */
export type JwtPublicKeyAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'Ed25519';

/** What a token scope that breaks the scope grammar does: refuse the token, or drop the entry. */
export type InvalidScopesPolicy = 'reject' | 'ignore';

/** The shortest shared secret accepted, in bytes (RFC 7518 §3.2 for HS256). */
export const MIN_JWT_SECRET_BYTES = 32;

/** Settings every key mode shares. */
export interface JwtCommonOptions {
  /**
   * Accepted `iss` value(s). Required: an identity provider (or a shared
   * secret) that signs tokens for several issuers would otherwise get all
   * of them accepted here.
   *
   * `false` accepts any issuer. DANGEROUS: use it only when you mint the
   * tokens yourself with a secret used for nothing else. Not allowed with
   * `jwksUrl`.
   */
  issuer: string | readonly string[] | false;
  /**
   * Accepted `aud` value(s). Required: without it, a token that the same
   * identity provider issued for ANOTHER API is accepted here, and gets the
   * subject's group scopes.
   *
   * `false` accepts any audience. DANGEROUS: use it only when no token
   * signed with this key is ever meant for another service. Not allowed
   * with `jwksUrl`.
   */
  audience: string | readonly string[] | false;
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
  /**
   * The most scope entries a token may carry; a token with more is refused
   * (401). Raise it for tokens whose wildcards were expanded against a large
   * schema (`expandGrants`, the token exchange): `*` over 120 resources of
   * three actions is 360 scopes. Default 256 (`MAX_GRANTS`); at most 4096.
   */
  maxScopes?: number;
  /** Add the scopes of the groups of the `sub` user (`store.getUserScopes(sub)`). Default `true`. */
  includeGroupScopes?: boolean;
  /**
   * The cache of users' group scopes (from `createUserScopeCache`, to share
   * one between verifiers), or options for one made here on the store.
   * Default: one with default options (`groupCacheTtlMs` 30000).
   */
  userScopes?: UserScopeCache | UserScopeCacheOptions;
  /** Milliseconds the group lookup may take before `ERR_STORE_UNAVAILABLE`. Default 5000. */
  storeTimeoutMs?: number;
  /**
   * How long a verified token is cached, in milliseconds, under its SHA-256
   * (never the token): a cached token costs no signature check. Never past
   * its `exp`: it is refused at `exp` exactly, as jose would. The group
   * scopes come from the user scope cache on every request, so group
   * changes apply at once. `0` disables the cache. Default 30000.
   */
  tokenCacheTtlMs?: number;
  /** The most verified tokens cached (LRU). Default 10000. */
  tokenCacheMaxEntries?: number;
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

/**
 * A public key object: a Web Crypto `CryptoKey` or a Node `KeyObject`. Typed
 * by the one property jose relies on, so that these declarations need
 * neither jose's types (ESM only, which CommonJS projects cannot import) nor Node's.
 */
export interface JwtKeyLike {
  readonly type: string;
}

/** Tokens signed with one private key whose public half is known. */
export interface JwtPublicKeyOptions extends JwtCommonOptions {
  /** A `CryptoKey`, a Node `KeyObject`, or a PEM string (SPKI `-----BEGIN PUBLIC KEY-----`). */
  publicKey: JwtKeyLike | string;
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
  /** Required, and never `false`: a provider signs tokens for many audiences and issuers. */
  issuer: string | readonly string[];
  /** Required, and never `false`: without it, a token minted for another API of the provider would pass. */
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

/** Counters of a JWT verifier from `createJwtVerifier`, totals since it was created. */
export interface JwtVerifierStats {
  /** Signature and claim checks run (jose's `jwtVerify`). */
  readonly verifications: number;
  /** Tokens answered from the cache of verified tokens. */
  readonly cacheHits: number;
  /** Verified tokens cached now. */
  readonly cacheSize: number;
}

/** Verifies bearer JWTs into principals. Implement it to plug your own verification into `createScopedContext`. */
export interface JwtVerifier {
  /**
   * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when the
   *   JWKS endpoint or the group store fails; never a result that grants.
   */
  verify(token: string): Promise<JwtVerifyResult>;
}

/** The verifier `createJwtVerifier` makes: a {@link JwtVerifier} with its caches' counters and a `dispose`. */
export interface CachingJwtVerifier extends JwtVerifier {
  /** A snapshot of the counters. */
  stats(): JwtVerifierStats;
  /** Clears the token cache and disposes the user scope cache made here (not one passed in). */
  dispose(): Promise<void>;
}

/** The part of the store the JWT verifier uses: `getUserScopes`, and the change sources its group cache follows. */
export type UserScopeSource = UserScopeStore;
