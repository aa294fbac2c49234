import { type AdminContext, type RequestContext, SESSION_COOKIE } from './admin-context';
import { type AdminCheck, checkCredential, checkUser } from './admin-principal';
import { readFormBody } from './http/form-body';
import { messagePage } from './pages/message-page';
import { CSRF_FIELD, crossSiteReason, csrfToken, isCsrfToken } from './session/csrf';
import type { AdminSession } from './session/session-store';

/** Why the sign-in page is shown instead of the page asked for; shown as a notice. */
export type SignInReason = 'session-ended' | 'credential-invalid' | 'signed-out';

/** The sign-in page's notice for each {@link SignInReason}. */
export const SIGN_IN_NOTICES: Readonly<Record<SignInReason, string>> = Object.freeze({
  'session-ended': 'Your session ended. Sign in again.',
  'credential-invalid': 'You were signed out: the key or token you signed in with is no longer valid (revoked, expired or unknown).',
  'signed-out': 'You are signed out.',
});

function adminContext(request: RequestContext, sessionId: string, session: AdminSession, check: AdminCheck & { ok: true }): AdminContext {
  const token = csrfToken(request.secret, `session:${sessionId}`);
  const signOutToken = request.config.getUser === undefined ? token : undefined;
  return {
    request,
    sessionId,
    session,
    identity: check.identity,
    csrfToken: token,
    frame: (title, section) => ({
      ...request.frame(title),
      admin: { label: check.identity.label, signOutToken, ...(section === undefined ? {} : { section }) },
    }),
  };
}

function refuseNotAdmin(request: RequestContext): void {
  request.page(
    403,
    messagePage(
      request.frame('Not allowed'),
      `This admin page needs the scope ${request.config.adminScope} (or a wildcard that covers it, such as *). The credential you used does not hold it.`,
    ),
  );
}

/**
 * Makes sure the request comes from a signed-in admin, re-verifying the
 * session's credential (or asking `getUser`) on every request: a revoked
 * key, an expired token or a removed scope ends the session at once.
 *
 * @returns The admin's context, or `undefined` when it has already answered
 *   (303 to the sign-in page, 401 or 403).
 */
export async function authenticate(request: RequestContext): Promise<AdminContext | undefined> {
  const { config } = request;
  const cookie = request.cookie(SESSION_COOKIE);

  if (config.getUser !== undefined) {
    const user = await config.getUser(request.req);
    if (user === null || user === undefined) {
      request.page(401, messagePage(request.frame('Not signed in'), 'Sign in to the application first, then come back to this page.'));
      return undefined;
    }
    const check = await checkUser(config, user);
    if (!check.ok) {
      if (check.reason === 'not-admin') refuseNotAdmin(request);
      else request.page(401, messagePage(request.frame('Not signed in'), 'The application did not give a valid user id.'));
      return undefined;
    }
    let sessionId = cookie;
    let session = await config.sessions.get(sessionId);
    if (sessionId === undefined || session === undefined || session.userId !== check.identity.principal.id) {
      await config.sessions.delete(sessionId);
      const created = await config.sessions.create({ userId: check.identity.principal.id ?? '' });
      sessionId = created.id;
      session = created.session;
      request.setCookie(SESSION_COOKIE, sessionId);
    }
    return adminContext(request, sessionId, session, check);
  }

  const session = await config.sessions.get(cookie);
  if (cookie === undefined || session === undefined || session.credential === undefined) {
    request.redirect(cookie === undefined ? '/sign-in' : '/sign-in?reason=session-ended');
    return undefined;
  }
  const check = await checkCredential(config, session.credential);
  if (!check.ok) {
    await config.sessions.delete(cookie);
    request.setCookie(SESSION_COOKIE, '', 0);
    if (check.reason === 'not-admin') refuseNotAdmin(request);
    else request.redirect('/sign-in?reason=credential-invalid');
    return undefined;
  }
  return adminContext(request, cookie, session, check);
}

/**
 * Reads the form of a state-changing request after the Fetch Metadata and
 * Origin rule and the CSRF token bound to `binding` (`session:<id>`,
 * `sign-in:<nonce>`). A failure answers 403 (or 413/415) with a plain page,
 * before anything changes.
 *
 * @returns The form, or `undefined` when it has already answered.
 */
export async function readCheckedForm(request: RequestContext, binding: string | undefined): Promise<URLSearchParams | undefined> {
  const refuse = (status: number, title: string, message: string) => {
    request.page(status, messagePage(request.frame(title), message, { href: `${request.base}/keys`, label: 'Back to the admin page' }));
    return undefined;
  };
  if (crossSiteReason(request.req, request.secure) !== null) {
    return refuse(403, 'Refused', 'This request came from another site, so it was refused. Nothing was changed.');
  }
  const body = await readFormBody(request.req);
  if (!body.ok) {
    if (body.problem === 'too-large') return refuse(413, 'Too large', 'The form was too large. Nothing was changed.');
    if (body.problem === 'unsupported-media-type') return refuse(415, 'Refused', 'Send the form as application/x-www-form-urlencoded. Nothing was changed.');
    return refuse(400, 'Bad request', 'The form could not be read. Nothing was changed.');
  }
  const tokens = body.form.getAll(CSRF_FIELD);
  if (binding === undefined || tokens.length !== 1 || !isCsrfToken(request.secret, binding, tokens[0])) {
    return refuse(403, 'Refused', 'The form was missing its security token or it had expired. Reload the page and try again. Nothing was changed.');
  }
  return body.form;
}
