import { type SafeHtml, html } from '../html';
import { type PageFrame, csrfField, describedBy, fieldError, layout } from './layout';

/** What the sign-in page shows. */
export interface SignInView {
  /** The sign-in form's CSRF token. */
  readonly csrfToken: string;
  /** Whether a JWT is accepted too. */
  readonly acceptsJwt: boolean;
  /** The scope a credential needs, shown in the hint. */
  readonly adminScope: string;
  /** An error next to the field. */
  readonly error?: string;
  /** A notice above the form (signed out, session ended). */
  readonly notice?: string;
}

/** The sign-in page: one "API key" field and a "Sign in" button. The field is never filled back in. */
export function signInPage(frame: PageFrame, view: SignInView): SafeHtml {
  return layout(
    frame,
    html`<h1>Sign in</h1>
${view.notice === undefined ? '' : html`<p class="notice" role="status">${view.notice}</p>`}
<form class="panel" method="post" action="${frame.base}/sign-in">
  ${csrfField(view.csrfToken)}
  <div class="field">
    <label for="credential">API key</label>
    <input type="password" id="credential" name="credential" required maxlength="4096" autocomplete="off" spellcheck="false"${describedBy('credential', view.error)}>
    <p class="hint">Paste an API key${view.acceptsJwt ? ' or a JWT' : ''} that holds <code>${view.adminScope}</code> (or <code>*</code>).</p>
    ${fieldError('credential', view.error)}
  </div>
  <button type="submit" class="primary">Sign in</button>
</form>`,
  );
}
