import type { ServerResponse } from 'node:http';

/**
 * The admin page's Content-Security-Policy: nothing but its own script and
 * stylesheet, no inline script or style, no plugins, no framing, forms that
 * post only to itself, and Trusted Types so that no script can write markup.
 */
export const ADMIN_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** The headers every admin response carries, whatever its status. */
export const ADMIN_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': ADMIN_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // For browsers older than CSP's frame-ancestors.
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

/** Sets {@link ADMIN_SECURITY_HEADERS} on a response. */
export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(ADMIN_SECURITY_HEADERS)) res.setHeader(name, value);
}
