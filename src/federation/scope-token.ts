import { SignJWT } from 'jose';
import { algorithmOf, asymmetricKey } from '../auth/jwt/key-algorithm';
import type { JwtKeyLike } from '../auth/jwt/jwt-verifier-options';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** How a token for a gateway or a subgraph is signed: options `signForwardedPrincipal` and `createTokenExchange` share. */
export interface ScopeTokenSigning {
  /** The private key: a `KeyObject`, a `CryptoKey` or a PKCS#8 PEM string (Ed25519, P-256/384/521 or RSA). Never a shared secret. */
  readonly privateKey: JwtKeyLike | string;
  /** The token's `iss`. */
  readonly issuer: string;
  /** The token's `aud`: the subgraph or router that accepts it. */
  readonly audience: string;
  /** How long the token is valid, in milliseconds (rounded down to whole seconds, at least 1 s). */
  readonly ttlMs: number;
}

/** A signer made once from {@link ScopeTokenSigning}, the key parsed and checked. */
export interface ScopeTokenSigner {
  /**
   * Signs `{ sub, scope, iat, exp, jti }` (plus `name` when given), with
   * `exp` no later than `notAfterMs`. `scope` is space-separated.
   */
  sign(claims: { readonly subject: string; readonly scopes: readonly string[]; readonly name?: string; readonly notAfterMs?: number }): Promise<{ token: string; expiresInSec: number }>;
}

function invalid(option: string, problem: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `${option} ${problem}`, { details: { option } });
}

/**
 * Checks the signing options and parses the key once.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a key that
 *   is not an asymmetric private key, an empty issuer or audience, or a
 *   `ttlMs` below 1000 or above one day.
 */
export function createScopeTokenSigner(options: ScopeTokenSigning, caller: string): ScopeTokenSigner {
  if (typeof options !== 'object' || options === null) throw invalid(caller, 'needs options.');
  const key = asymmetricKey(options.privateKey, 'private', `${caller}: privateKey`);
  const alg = algorithmOf(key, `${caller}: privateKey`);
  for (const option of ['issuer', 'audience'] as const) {
    if (typeof options[option] !== 'string' || options[option].length === 0) throw invalid(`${caller}: ${option}`, 'must be a non-empty string.');
  }
  const { ttlMs } = options;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1000 || ttlMs > 86_400_000) throw invalid(`${caller}: ttlMs`, 'must be an integer from 1000 to 86400000 (milliseconds).');
  return {
    async sign({ subject, scopes, name, notAfterMs }) {
      const nowSec = Math.floor(Date.now() / 1000);
      const limitSec = notAfterMs === undefined ? Infinity : Math.floor(notAfterMs / 1000);
      const expSec = Math.min(nowSec + Math.floor(ttlMs / 1000), limitSec);
      const token = await new SignJWT({ scope: scopes.join(' '), ...(name === undefined ? {} : { name }) })
        .setProtectedHeader({ alg, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(subject)
        .setIssuedAt(nowSec)
        .setExpirationTime(expSec)
        .setJti(crypto.randomUUID())
        .sign(key);
      return { token, expiresInSec: Math.max(0, expSec - nowSec) };
    },
  };
}
