import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyOf(sessionId: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionId, 'graphql-scoped-permissions admin session', purpose, 32));
}

/**
 * Encrypts a secret of a session (its credential, a new key waiting to be
 * shown) for the database, with AES-256-GCM under a key derived (HKDF-SHA256)
 * from the session id. The database holds only the id's SHA-256, so what it
 * stores opens only for the holder of the cookie. `purpose` (`credential`,
 * `pending:<key id>`) binds the box to its place: a box moved elsewhere fails.
 *
 * @returns `base64url(iv ‖ ciphertext ‖ tag)`.
 */
export function sealForSession(sessionId: string, purpose: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(sessionId, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Opens a {@link sealForSession} box; `undefined` when it is malformed, tampered with, or sealed for another session or purpose. */
export function openForSession(sessionId: string, purpose: string, box: unknown): string | undefined {
  if (typeof box !== 'string' || box.length > 20_000) return undefined;
  const bytes = Buffer.from(box, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(sessionId, purpose), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
