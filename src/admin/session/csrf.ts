import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The name of the hidden form field that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';

/**
 * The CSRF token for a session or a sign-in form: an HMAC-SHA256 of the
 * binding (`session:<id>`, `sign-in:<nonce>`) under a key that never leaves
 * the process. A token is useless without the cookie it is bound to, and
 * the cookie is `HttpOnly` and `SameSite=Strict`.
 */
export function csrfToken(secret: Uint8Array, binding: string): string {
  return createHmac('sha256', secret).update(binding).digest('base64url');
}

/** Whether `presented` is the token for `binding`, compared in constant time. */
export function isCsrfToken(secret: Uint8Array, binding: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length > 128) return false;
  const expected = Buffer.from(csrfToken(secret, binding));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Why a state-changing request was refused before its token was looked at. */
export type CrossSiteReason = 'cross-site-fetch' | 'cross-origin' | 'malformed-origin';

/**
 * The Fetch Metadata and Origin rule for state-changing requests:
 *
 * - `Sec-Fetch-Site` decides when present: only `same-origin` passes. It
 *   takes precedence because Chromium, under `Referrer-Policy: no-referrer`,
 *   sends `Origin: null` even on same-origin form posts.
 * - Without it (older clients), `Origin` must be absent or match the
 *   request's own host (and `https` when the request is HTTPS).
 *
 * The CSRF token is checked as well, after this.
 *
 * @returns `null` when the request may proceed, else why not.
 */
export function crossSiteReason(req: IncomingMessage, https: boolean): CrossSiteReason | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' ? null : 'cross-site-fetch';
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return 'malformed-origin';
  }
  if (parsed.origin !== origin || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return 'malformed-origin';
  if (https && parsed.protocol !== 'https:') return 'cross-origin';
  return parsed.host === normalizedHost(req.headers.host, parsed.protocol) ? null : 'cross-origin';
}

/** The Host header as `URL.host` spells it (lower case, default port dropped), or `undefined`. */
function normalizedHost(host: string | undefined, protocol: string): string | undefined {
  if (host === undefined || host.length > 255) return undefined;
  try {
    const url = new URL(`${protocol}//${host}`);
    return url.host === '' || url.pathname !== '/' || url.username !== '' ? undefined : url.host;
  } catch {
    return undefined;
  }
}
