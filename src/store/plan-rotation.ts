import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { PreparedApiKey } from './prepare-api-key';
import type { ApiKeyRecord, CreateApiKeyInput } from './scope-store';
import type { RotationInput } from './store-input';

/** What a store writes to rotate a key, worked out by {@link planRotation}. */
export interface RotationPlan {
  /** The new key: the old key's name, scopes and owner, and the chosen expiry. */
  readonly input: CreateApiKeyInput;
  /** The old key's id, recorded as the new key's `rotatedFrom`. */
  readonly rotatedFrom: string;
  /** The old key's new expiry: the end of the grace period, or its own expiry when that comes first. */
  readonly oldExpiresAt: Date;
}

/**
 * The store-independent half of `rotateApiKey`, so that both stores rotate
 * alike. A revoked or expired key is refused: a new key would bring its
 * access back. Rotation never lengthens the old key's life.
 *
 * @param old - The key to rotate, as the store holds it now.
 * @param now - The time of the rotation.
 * @throws {@link ScopedPermissionsError} `ERR_KEY_INACTIVE` when `old` is revoked or expired at `now`.
 */
export function planRotation(old: ApiKeyRecord, input: RotationInput, now: Date): RotationPlan {
  const nowMs = now.getTime();
  const expired = old.expiresAt !== null && !(nowMs < old.expiresAt.getTime());
  if (old.revokedAt !== null || expired) {
    throw new ScopedPermissionsError('ERR_KEY_INACTIVE', `API key ${JSON.stringify(old.id)} is ${old.revokedAt !== null ? 'revoked' : 'expired'}; create a new key instead.`, {
      details: { id: old.id, state: old.revokedAt !== null ? 'revoked' : 'expired' },
    });
  }
  const graceEndMs = nowMs + input.gracePeriodMs;
  const oldExpiresAt = new Date(old.expiresAt === null ? graceEndMs : Math.min(old.expiresAt.getTime(), graceEndMs));
  return {
    input: {
      name: old.name,
      scopes: [...old.scopes],
      ownerId: old.ownerId,
      rateLimit: old.rateLimit ?? null,
      expiresAt: input.expiresAt === undefined ? old.expiresAt : input.expiresAt,
    },
    rotatedFrom: old.id,
    oldExpiresAt,
  };
}

/**
 * The successor of a rotation: the id, secret and hash of `prepared` (made
 * before the rotation was planned, since hashing takes tens of
 * milliseconds), with the name, scopes, owner and expiry that `plan` took
 * from the old key as the store holds it at commit time.
 *
 * @param now - The rotation's time, recorded as the successor's `createdAt`.
 */
export function rotationSuccessor(prepared: PreparedApiKey, plan: RotationPlan, now: Date): PreparedApiKey {
  const { input } = plan;
  return {
    key: prepared.key,
    hash: prepared.hash,
    record: {
      ...prepared.record,
      name: input.name,
      scopes: [...(input.scopes ?? [])],
      ownerId: input.ownerId ?? null,
      rateLimit: input.rateLimit ?? null,
      expiresAt: input.expiresAt ?? null,
      createdAt: new Date(now.getTime()),
      rotatedFrom: plan.rotatedFrom,
    },
  };
}
