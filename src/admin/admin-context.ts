import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminConfig } from './admin-config';
import type { AdminIdentity } from './admin-principal';
import { type AdminLocation, isHttps } from './http/admin-request';
import { appendSetCookie, readCookie, serializeCookie } from './http/cookies';
import { redirect, sendPage } from './http/respond';
import type { SafeHtml } from './html';
import type { AdminSection, PageFrame } from './pages/layout';
import type { AdminSession } from './session/session-store';

/** The cookie that holds the session id. */
export const SESSION_COOKIE = 'gsp_admin';

/** The cookie that binds the sign-in form's CSRF token (a random nonce, before any session). */
export const SIGN_IN_COOKIE = 'gsp_admin_signin';

/**
 * Set when a new key is shown, deleted by the next page of the admin: the
 * cookie change evicts the one-time page from Chromium's back/forward cache,
 * which keeps `Cache-Control: no-store` pages (without JavaScript, nothing
 * else would empty its "New API key" field before going back).
 */
export const KEY_SHOWN_COOKIE = 'gsp_admin_shown';

/** One request to the admin page, with the helpers every route uses. */
export class RequestContext {
  constructor(
    readonly config: AdminConfig,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly location: AdminLocation,
    /** The CSRF token key (`AdminConfig.secret`), resolved for this request. */
    readonly secret: Uint8Array,
  ) {}

  /** The mount path, without a trailing slash. */
  get base(): string {
    return this.location.base;
  }

  /** Whether cookies get `Secure`: the `secureCookies` option, else whether the request came over HTTPS. */
  get secure(): boolean {
    return this.config.secureCookies ?? isHttps(this.req);
  }

  /** The frame of a page shown to someone not signed in. */
  frame(title: string): PageFrame {
    return { base: this.base, title, brand: this.config.brand };
  }

  /** Sends a page. */
  page(status: number, page: SafeHtml, headers?: Readonly<Record<string, string>>): void {
    sendPage(this.res, status, page, headers);
  }

  /** Answers 303 to a path below the mount (`/keys`). */
  redirect(path: string): void {
    redirect(this.res, `${this.base}${path}`);
  }

  /** A cookie of the admin page, or `undefined`. */
  cookie(name: string): string | undefined {
    return readCookie(this.req, name);
  }

  /** Sets a cookie of the admin page (`''` with `maxAgeSec: 0` deletes it). */
  setCookie(name: string, value: string, maxAgeSec?: number): void {
    const path = this.base === '' ? '/' : this.base;
    appendSetCookie(this.res, serializeCookie(name, value, { path, secure: this.secure, ...(maxAgeSec === undefined ? {} : { maxAgeSec }) }));
  }
}

/** A request from a signed-in admin. */
export interface AdminContext {
  readonly request: RequestContext;
  readonly sessionId: string;
  readonly session: AdminSession;
  readonly identity: AdminIdentity;
  /** The session's CSRF token, for the page's forms. */
  readonly csrfToken: string;
  /** The frame of an admin page, with the header's navigation and sign-out form. */
  frame(title: string, section?: AdminSection): PageFrame;
}
