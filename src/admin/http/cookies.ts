import type { IncomingMessage } from 'node:http';

/** Cookie values the admin page sets: base64url only, so no quoting or escaping is ever needed. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The value of cookie `name` in the request, or `undefined` when it is
 * absent, sent twice, or not a base64url string of at most 128 characters
 * (a value the admin page never sets is ignored, not parsed).
 */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return undefined;
  let found: string | undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    // Two cookies of one name (one set for a parent path by someone else): trust neither.
    if (found !== undefined) return undefined;
    found = part.slice(separator + 1).trim();
  }
  return found !== undefined && COOKIE_VALUE.test(found) ? found : undefined;
}

/** Attributes of a cookie the admin page sets. */
export interface CookieAttributes {
  /** The mount path of the admin page. */
  readonly path: string;
  /** Adds `Secure`: set it when the request came over HTTPS. */
  readonly secure: boolean;
  /** Seconds until the browser drops it; `0` deletes it. Default: a browser-session cookie. */
  readonly maxAgeSec?: number;
}

/**
 * A `Set-Cookie` value: always `HttpOnly` and `SameSite=Strict`, scoped to
 * the admin page's path, `Secure` over HTTPS.
 */
export function serializeCookie(name: string, value: string, { path, secure, maxAgeSec }: CookieAttributes): string {
  if (value !== '' && !COOKIE_VALUE.test(value)) throw new TypeError('cookie values are base64url');
  const parts = [`${name}=${value}`, `Path=${path}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (maxAgeSec !== undefined) parts.push(`Max-Age=${maxAgeSec}`);
  return parts.join('; ');
}

/** Adds a `Set-Cookie` header, keeping those already set for other cookies (one for the same cookie is replaced). */
export function appendSetCookie(res: { getHeader(name: string): unknown; setHeader(name: string, value: string[]): unknown }, cookie: string): void {
  const existing = res.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing.map(String) : typeof existing === 'string' ? [existing] : [];
  const name = cookie.slice(0, cookie.indexOf('=') + 1);
  res.setHeader('set-cookie', [...list.filter((entry) => !entry.startsWith(name)), cookie]);
}
