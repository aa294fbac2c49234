import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Where a request points inside the admin page. */
export interface AdminLocation {
  /** The mount path, without a trailing slash: `/admin`, or `''` at the root. Links and redirects start with it. */
  readonly base: string;
  /** The path below the mount, starting with `/` (`/keys/abc`), undecoded. */
  readonly path: string;
  /** The query string's parameters. */
  readonly query: URLSearchParams;
}

/** What Express adds to a request, read without depending on Express. */
interface ExpressFields {
  readonly baseUrl?: unknown;
  readonly secure?: unknown;
}

const URL_BASE = 'http://admin.invalid';

/**
 * A mount path made of URL path characters only (RFC 3986 `pchar`, with
 * `%`-escapes). Links and redirects start with it, so a raw `\` (which
 * browsers read as `/`, making `/\host` a link to another site), a quote
 * or a space must never be in it.
 */
const SAFE_BASE = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*$/;

/**
 * Finds the mount path and the path below it.
 *
 * - Under Express (`app.use('/admin', handler)`), `req.baseUrl` is the mount
 *   path and `req.url` is already relative to it.
 * - Under `node:http`, `req.url` is the full path and must start with
 *   `mountPath`.
 *
 * @returns `null` when the request is not below `mountPath` (node:http), or
 *   when Express's `baseUrl` holds characters a link cannot carry (a raw `\`).
 */
export function locateRequest(req: IncomingMessage, mountPath: string): AdminLocation | null {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', URL_BASE);
  } catch {
    return null;
  }
  if (url.origin !== URL_BASE) return null;
  const { baseUrl } = req as IncomingMessage & ExpressFields;
  if (typeof baseUrl === 'string') {
    // One leading slash at most: a base of `//host` would make every redirect leave the site.
    const base = baseUrl.replace(/\/+$/, '').replace(/^\/+/, '/');
    // A mount with parameters (`app.use('/:tenant/admin', …)`) takes them from the request: refuse what links cannot carry.
    if (!SAFE_BASE.test(base)) return null;
    return { base, path: url.pathname, query: url.searchParams };
  }
  const base = mountPath.replace(/\/+$/, '');
  if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return null;
  return { base, path: url.pathname.slice(base.length) || '/', query: url.searchParams };
}

/**
 * Whether the request came over HTTPS: a TLS socket, or Express's
 * `req.secure` (which honours its `trust proxy` setting).
 */
export function isHttps(req: IncomingMessage): boolean {
  const { secure } = req as IncomingMessage & ExpressFields;
  return secure === true || (req.socket as Partial<TLSSocket>).encrypted === true;
}

/** The socket's remote address, the default key of the sign-in throttle. */
export function remoteAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
