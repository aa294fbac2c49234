import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import type { JwtKeyLike, JwtPublicKeyAlgorithm } from './jwt-verifier-options';

const EC_ALGORITHMS: Readonly<Record<string, JwtPublicKeyAlgorithm>> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

function invalidKey(option: string, problem: string, cause?: unknown): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `${option} ${problem}`, { details: { option }, ...(cause === undefined ? {} : { cause }) });
}

/**
 * An asymmetric key as a Node `KeyObject` of the wanted type: a `KeyObject`,
 * a Web Crypto `CryptoKey`, or a PEM string (PKCS#8 for a private key, SPKI
 * for a public one). Never a shared secret.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` naming `option`, never the key.
 */
export function asymmetricKey(key: JwtKeyLike | string, type: 'private' | 'public', option: string): KeyObject {
  let keyObject: KeyObject;
  try {
    if (typeof key === 'string') keyObject = type === 'private' ? createPrivateKey({ key, format: 'pem' }) : createPublicKey({ key, format: 'pem' });
    else if (key instanceof KeyObject) keyObject = key;
    else keyObject = KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
  } catch (cause) {
    throw invalidKey(option, `is not a ${type} key (a KeyObject, a CryptoKey or a PEM string).`, cause);
  }
  if (keyObject.type !== type) throw invalidKey(option, `must be a ${type} key of an asymmetric pair, not a ${keyObject.type} key.`);
  return keyObject;
}

/**
 * The JWS algorithm of an asymmetric key: `EdDSA` for Ed25519, `ES256`,
 * `ES384` or `ES512` by curve, `RS256` for RSA, `PS256` for RSA-PSS.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for another key type.
 */
export function algorithmOf(key: KeyObject, option: string): JwtPublicKeyAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'EdDSA';
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ec': {
      const algorithm = EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (algorithm !== undefined) return algorithm;
      break;
    }
    default:
      break;
  }
  throw invalidKey(option, `has a key type JWS cannot sign with here (${String(key.asymmetricKeyType)}); use Ed25519, P-256/384/521 or RSA.`);
}
