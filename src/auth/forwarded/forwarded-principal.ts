import type { Principal, PrincipalKind } from '../../principal/principal';
import { assertUserId } from '../../store/store-input';
import { asymmetricKey, algorithmOf } from '../jwt/key-algorithm';
import { MAX_TOKEN_SCOPES, buildJwtVerifier } from '../jwt/jwt-verifier';
import type { JwtKeyLike, JwtPublicKeyAlgorithm, JwtVerifyResult } from '../jwt/jwt-verifier-options';

/**
 * The header in which a gateway forwards the caller to subgraphs, as a
 * short-lived JWS (`signForwardedPrincipal`), and in which
 * `createScopedContext({ forwarded })` reads it.
 */
export const FORWARDED_PRINCIPAL_HEADER = 'scoped-principal';

/** How a subgraph checks forwarded principals (`createScopedContext`'s `forwarded` option). */
export interface ForwardedPrincipalOptions {
  /** The gateway's public key: a `KeyObject`, a `CryptoKey` or an SPKI PEM string. Never a shared secret. */
  readonly publicKey: JwtKeyLike | string;
  /** The `iss` the gateway signs with. */
  readonly issuer: string;
  /** This subgraph's `aud`: a token minted for another audience is refused. */
  readonly audience: string;
  /** Accepted algorithms. Default: the one of `publicKey` (`EdDSA`, `ES256`…, `RS256`). */
  readonly algorithms?: readonly JwtPublicKeyAlgorithm[];
  /** Clock skew allowed for `exp`, `nbf` and `iat`, in seconds. Default 0. */
  readonly clockToleranceSec?: number;
}

const FORWARDED_KINDS: ReadonlySet<string> = new Set<PrincipalKind>(['apiKey', 'user', 'jwt']);

/** The `sub` of a forwarded token: the principal's kind and id, `apiKey:a1B2c3D4`. */
export function forwardedSubject(principal: Principal): string {
  return `${principal.kind}:${principal.id ?? ''}`;
}

/** The kind and id of a forwarded `sub` (`apiKey:a1B2c3D4`), or `null` for another kind or an id that is no valid user id. */
function parseSubject(subject: string): { kind: PrincipalKind; id: string } | null {
  const colon = subject.indexOf(':');
  const kind = subject.slice(0, colon);
  if (colon < 1 || !FORWARDED_KINDS.has(kind)) return null;
  try {
    return { kind: kind as PrincipalKind, id: assertUserId(subject.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/** Verifies forwarded-principal tokens into the principals they carry. */
export interface ForwardedPrincipalVerifier {
  verify(token: string): Promise<JwtVerifyResult>;
  dispose(): Promise<void>;
}

/**
 * A verifier of forwarded tokens on the JWT verifier (jose): the public key
 * and its algorithm only, `iss` and `aud` required, `exp` required, scopes
 * checked against the grammar (an invalid one refuses the token), no group
 * lookup. The principal gets back the kind and id of the `sub` claim.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a missing
 *   issuer or audience, or a key that is not an asymmetric public key.
 */
export function createForwardedPrincipalVerifier(options: ForwardedPrincipalOptions): ForwardedPrincipalVerifier {
  const publicKey = asymmetricKey(options.publicKey, 'public', 'forwarded.publicKey');
  const jwt = buildJwtVerifier({
    publicKey,
    algorithms: options.algorithms ?? [algorithmOf(publicKey, 'forwarded.publicKey')],
    issuer: options.issuer,
    audience: options.audience,
    clockToleranceSec: options.clockToleranceSec ?? 0,
    scopesClaim: 'scope',
    // Signed by the gateway with every concrete scope of the principal: a large supergraph's `*` is more than MAX_GRANTS.
    maxScopes: MAX_TOKEN_SCOPES,
    includeGroupScopes: false,
    // `<kind>:<id>`, the id a valid user id (up to 200 characters): the prefix must not count against it.
    readSubject: (sub) => (typeof sub === 'string' && parseSubject(sub) !== null ? sub : undefined),
  });
  // The JWT verifier hands out one frozen principal per cached token: map it once.
  const mapped = new WeakMap<Principal, Principal | null>();
  const toForwarded = (principal: Principal): Principal | null => {
    const subject = parseSubject(principal.id ?? '');
    return subject === null ? null : Object.freeze({ ...principal, ...subject });
  };
  return {
    async verify(token) {
      const result = await jwt.verify(token);
      if (!result.ok) return result;
      let principal = mapped.get(result.principal);
      if (principal === undefined) {
        principal = toForwarded(result.principal);
        mapped.set(result.principal, principal);
      }
      return principal === null ? { ok: false, reason: 'invalid-subject' } : { ok: true, principal };
    },
    dispose: () => jwt.dispose(),
  };
}
