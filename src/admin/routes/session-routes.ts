import { randomBytes } from 'node:crypto';
import { type RequestContext, SESSION_COOKIE, SIGN_IN_COOKIE } from '../admin-context';
import { SIGN_IN_NOTICES, type SignInReason, readCheckedForm } from '../admin-guard';
import { checkCredential, credentialCost } from '../admin-principal';
import { readText } from '../forms/form-fields';
import { messagePage } from '../pages/message-page';
import { signInPage } from '../pages/sign-in-page';
import { csrfToken } from '../session/csrf';

const NONCE = /^[A-Za-z0-9_-]{22}$/;

/** The sign-in form's nonce cookie: the one the browser has, or a new one. */
function signInNonce(request: RequestContext): string {
  const existing = request.cookie(SIGN_IN_COOKIE);
  if (existing !== undefined && NONCE.test(existing)) return existing;
  const nonce = randomBytes(16).toString('base64url');
  request.setCookie(SIGN_IN_COOKIE, nonce);
  return nonce;
}

function showSignIn(request: RequestContext, status: number, extra: { error?: string; notice?: string }, headers?: Record<string, string>): void {
  const nonce = signInNonce(request);
  request.page(
    status,
    signInPage(request.frame('Sign in'), {
      csrfToken: csrfToken(request.secret, `sign-in:${nonce}`),
      acceptsJwt: request.config.jwt !== undefined,
      adminScope: request.config.adminScope,
      ...extra,
    }),
    headers,
  );
}

function isSignInReason(value: string | null): value is SignInReason {
  return value !== null && Object.hasOwn(SIGN_IN_NOTICES, value);
}

/** GET /sign-in: the form (or, with `getUser`, straight to the keys). */
export async function getSignIn(request: RequestContext): Promise<void> {
  if (request.config.getUser !== undefined) return request.redirect('/keys');
  const reason = request.location.query.get('reason');
  showSignIn(request, 200, isSignInReason(reason) ? { notice: SIGN_IN_NOTICES[reason] } : {});
}

/**
 * POST /sign-in: checks the form's CSRF token, counts the attempt against
 * the throttle (costly attempts only against its shared budget), verifies the credential through the API's verifiers, and
 * starts a fresh session (a new random id, whatever cookie came in).
 */
export async function postSignIn(request: RequestContext): Promise<void> {
  const { config } = request;
  if (config.getUser !== undefined) return request.redirect('/keys');
  const nonce = request.cookie(SIGN_IN_COOKIE);
  const form = await readCheckedForm(request, nonce !== undefined && NONCE.test(nonce) ? `sign-in:${nonce}` : undefined);
  if (form === undefined) return;

  const credential = readText(form, 'credential');
  const verdict = await config.throttle.attempt(config.getClientId(request.req), credential.ok ? credentialCost(config, credential.value) : 'free');
  if (!verdict.allowed) {
    const error =
      verdict.status === 429
        ? `Too many sign-in attempts. Try again in ${verdict.retryAfterSec} seconds.`
        : 'Sign-in is unavailable for a moment (its attempt counts could not be read). Try again shortly.';
    return showSignIn(request, verdict.status, { error }, { 'retry-after': String(verdict.retryAfterSec) });
  }
  if (!credential.ok || credential.value.trim() === '') {
    return showSignIn(request, 400, { error: credential.ok ? 'Paste an API key.' : credential.error });
  }
  const check = await checkCredential(config, credential.value);
  if (!check.ok && check.reason === 'invalid') {
    return showSignIn(request, 401, { error: 'This key is not valid: it is unknown, mistyped, revoked or expired.' });
  }
  if (!check.ok) {
    return request.page(
      403,
      messagePage(
        request.frame('Not allowed'),
        `This key is valid, but it does not hold the scope ${config.adminScope} (or a wildcard that covers it, such as *), which the admin page needs.`,
        { href: `${request.base}/sign-in`, label: 'Sign in with another key' },
      ),
    );
  }
  await config.sessions.delete(request.cookie(SESSION_COOKIE));
  const { id } = await config.sessions.create({ credential: credential.value.trim() });
  request.setCookie(SESSION_COOKIE, id);
  request.setCookie(SIGN_IN_COOKIE, '', 0);
  request.redirect('/keys');
}

/** POST /sign-out: ends the session. */
export async function postSignOut(request: RequestContext): Promise<void> {
  const { config } = request;
  const cookie = request.cookie(SESSION_COOKIE);
  const session = await config.sessions.get(cookie);
  if (cookie === undefined || session === undefined) return request.redirect('/sign-in?reason=signed-out');
  const form = await readCheckedForm(request, `session:${cookie}`);
  if (form === undefined) return;
  await config.sessions.delete(cookie);
  request.setCookie(SESSION_COOKIE, '', 0);
  if (config.getUser !== undefined) {
    return request.page(200, messagePage(request.frame('Signed out'), 'The admin session ended. Your application login is unchanged.'));
  }
  request.redirect('/sign-in?reason=signed-out');
}
