// How the JWT verifier finds its signing key: a shared secret, a public key or a JWKS URL.
import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, errors } from 'jose';
import type { CryptoKey, JWTVerifyGetKey, KeyInput } from 'jose';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { type JwtHmacAlgorithm, type JwtJwksOptions, type JwtPublicKeyAlgorithm, type JwtVerifierOptions, MIN_JWT_SECRET_BYTES } from './jwt-verifier-options';

const HMAC_ALGORITHMS: ReadonlySet<string> = new Set<JwtHmacAlgorithm>(['HS256', 'HS384', 'HS512']);
const PUBLIC_KEY_ALGORITHMS: ReadonlySet<string> = new Set<JwtPublicKeyAlgorithm>([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);

/** Thrown by the JWKS wrapper when the key set cannot be fetched (not the token's fault). */
export class JwksUnavailable extends Error {}

/** An `ERR_INVALID_OPTIONS` error about the JWT options. */
export function invalidOptions(message: string): ScopedPermissionsError {
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
      key = crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash }, false, ['verify']); // a copy on an ArrayBuffer, as DOM's BufferSource wants
      imported.set(alg, key);
    }
    return key;
  };
}

export function resolveKey(options: JwtVerifierOptions): { key: KeyInput | JWTVerifyGetKey; algorithms: string[] } {
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
  if ((jwksOptions.issuer as unknown) === false || (jwksOptions.audience as unknown) === false) throw invalidOptions('jwksUrl needs an issuer and an audience; false is not allowed.');
  return { key: remoteKeySet(jwksOptions), algorithms: checkAlgorithms(jwksOptions.algorithms, PUBLIC_KEY_ALGORITHMS, 'a JWKS') };
}
