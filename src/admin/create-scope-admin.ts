import type { IncomingMessage, ServerResponse } from 'node:http';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { type AdminConfig, resolveAdminConfig } from './admin-config';
import { KEY_SHOWN_COOKIE, RequestContext } from './admin-context';
import type { ScopeAdminOptions } from './admin-options';
import { ADMIN_ASSETS, type AdminAsset } from './assets/assets';
import { locateRequest } from './http/admin-request';
import { applySecurityHeaders } from './http/security-headers';
import { messagePage } from './pages/message-page';
import { noSuchPage } from './routes/not-found';
import { matchRoute } from './routes/route-table';

/**
 * A request handler for `node:http` and Express 5. It answers every path
 * below its mount (404 for those it does not have). A request outside
 * `mountPath` (`node:http` only: Express never routes one here) goes to
 * `next()` when there is one, else answers 404.
 */
export type ScopeAdminHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/** What {@link createScopeAdmin} returns. */
export interface ScopeAdmin {
  /** Mount it: `app.use('/admin', admin.handler)`, or call it from a `node:http` server for paths under `mountPath`. */
  readonly handler: ScopeAdminHandler;
  /** Ends every session, and disposes of the verifier when it was built here. */
  close(): Promise<void>;
}

const ASSETS: readonly AdminAsset[] = [ADMIN_ASSETS.script, ADMIN_ASSETS.style];

function serveAsset(res: ServerResponse, asset: AdminAsset, head: boolean): void {
  res.statusCode = 200;
  res.setHeader('content-type', asset.contentType);
  res.setHeader('content-length', asset.body.length);
  // The path carries a hash of the content, so it never changes under the same URL.
  res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  res.end(head ? undefined : asset.body);
}

/** Reports an error that escaped a route to `onError`, then answers 503 for an unavailable store, else a plain 500 page. */
function answerFailure(config: AdminConfig, request: RequestContext, error: unknown): void {
  if (request.res.headersSent) {
    request.res.destroy();
    return;
  }
  try {
    config.onError?.(error instanceof Error ? error : new Error(String(error)));
  } catch {
    // A logging hook must not change the response.
  }
  if (error instanceof ScopedPermissionsError && (error.code === 'ERR_STORE_UNAVAILABLE' || error.code === 'ERR_OVERLOADED')) {
    request.page(503, messagePage(request.frame('Unavailable'), 'The key store is not answering. Nothing was changed. Try again in a moment.'), { 'retry-after': '5' });
    return;
  }
  request.page(500, messagePage(request.frame('Error'), 'Something went wrong on the server. Nothing may have been changed; check before you retry.'));
}

/**
 * Creates the admin page: keys and groups managed in a browser, with scope
 * checkboxes discovered from the schema. Server-rendered HTML with no
 * framework, no build step and no CDN; it works with JavaScript off.
 *
 * - **Sign-in** with an API key (or a JWT, with `jwt`) that holds
 *   `adminScope` (default `scopes.admin`; `*` holds it), verified by the same
 *   verifier as the API and again on every request, so a revoked key is
 *   signed out at once. Or your own login, through `getUser`.
 * - **Sessions** with idle and absolute timeouts, in the store's database
 *   (a `MongooseScopeStore`: shared by every replica) or in a bounded
 *   in-memory LRU (`sessions: 'memory'`); the cookie (`HttpOnly`, `SameSite=Strict`, `Secure` over
 *   HTTPS) holds a random id, never the key.
 * - **Forms** are POSTs with a CSRF token, refused (403) when
 *   `Sec-Fetch-Site` is not `same-origin` or, without it, when `Origin` is
 *   another host. Every success answers 303.
 * - **Headers**: a strict CSP (scripts and styles from the handler only),
 *   `nosniff`, `Referrer-Policy: no-referrer`, `frame-ancestors 'none'`.
 * - **Sign-in throttling** per client, and a shared budget for costly
 *   attempts that cannot lock out a client's first attempt of the minute
 *   (429); shared by replicas with store sessions.
 * - **A new key is shown once**, on a GET page after the 303, with
 *   `Cache-Control: no-store`; a reload or going back shows it no more.
 *
 * Every write passes the admin's principal as the store's `actor`
 * (`apiKey:<id>`, `jwt:<sub>`, `user:<id>`), so `store.onChange` listeners
 * can keep an audit log.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for bad options.
 * @example
 * ```ts
 * const admin = createScopeAdmin({ store, schema });
 * app.use('/admin', admin.handler); // Express 5
 * // node:http: if (req.url?.startsWith('/admin')) return admin.handler(req, res);
 * ```
 */
export function createScopeAdmin(options: ScopeAdminOptions): ScopeAdmin {
  const config = resolveAdminConfig(options);

  async function handler(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> {
    const location = locateRequest(req, config.mountPath);
    if (location === null) {
      if (typeof next === 'function') return next();
      res.statusCode = 404;
      res.end();
      return;
    }
    applySecurityHeaders(res);
    let secret: Uint8Array;
    try {
      secret = await config.secret();
    } catch (error) {
      // No page here checks a token: the failure page only.
      return answerFailure(config, new RequestContext(config, req, res, location, new Uint8Array(32)), error);
    }
    const request = new RequestContext(config, req, res, location, secret);
    try {
      const method = req.method ?? 'GET';
      if (method === 'GET' || method === 'HEAD') {
        const asset = ASSETS.find((candidate) => candidate.path === location.path);
        if (asset !== undefined) return serveAsset(res, asset, method === 'HEAD');
      }
      // The page that showed a new key leaves the back/forward cache at this cookie change (see KEY_SHOWN_COOKIE).
      if (request.cookie(KEY_SHOWN_COOKIE) !== undefined) request.setCookie(KEY_SHOWN_COOKIE, '', 0);
      const match = matchRoute(method, location.path);
      if (match.kind === 'not-found') return noSuchPage(request);
      if (match.kind === 'method-not-allowed') {
        return request.page(405, messagePage(request.frame('Method not allowed'), 'This page does not accept that method.'), { allow: match.allow });
      }
      await match.run(request, match.params);
    } catch (error) {
      answerFailure(config, request, error);
    }
  }

  return { handler, close: () => config.close() };
}
