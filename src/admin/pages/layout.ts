import { ADMIN_ASSETS } from '../assets/assets';
import { CSRF_FIELD } from '../session/csrf';
import { type SafeHtml, html } from '../html';

/** The navigation sections. */
export type AdminSection = 'keys' | 'groups' | 'activity';

/** Who is signed in, for the page header. */
export interface SignedInFrame {
  /** How the admin is shown: the key's name, the user's name or id. */
  readonly label: string;
  /** The session's CSRF token, for the sign-out form; `undefined` when the app's own login owns signing out (`getUser`). */
  readonly signOutToken: string | undefined;
  /** The section to mark as current. */
  readonly section?: AdminSection;
}

/** What every page is framed with. */
export interface PageFrame {
  /** The mount path, without a trailing slash. */
  readonly base: string;
  /** The page title, before the product name. */
  readonly title: string;
  /** The product name in the header and title. */
  readonly brand: string;
  /** The signed-in admin; absent on the sign-in page and plain error pages. */
  readonly admin?: SignedInFrame;
}

/** The hidden CSRF field every POST form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

function navLink(frame: PageFrame, section: AdminSection, path: string, label: string): SafeHtml {
  const current = frame.admin?.section === section;
  return html`<a href="${frame.base}${path}"${current ? html` aria-current="page"` : ''}>${label}</a>`;
}

/** The page around `content`: the document head with the served stylesheet and script, and the header. */
export function layout(frame: PageFrame, content: SafeHtml): SafeHtml {
  const { base, admin } = frame;
  const header =
    admin === undefined
      ? html`<header class="top"><span class="brand">${frame.brand}</span></header>`
      : html`<header class="top">
  <a class="brand" href="${base}/keys">${frame.brand}</a>
  <nav aria-label="Sections">${navLink(frame, 'keys', '/keys', 'API keys')} ${navLink(frame, 'groups', '/groups', 'Groups')} ${navLink(frame, 'activity', '/activity', 'Activity')}</nav>
  ${
    admin.signOutToken === undefined
      ? html`<span class="who">${admin.label}</span>`
      : html`<form method="post" action="${base}/sign-out"><span class="who">${admin.label}</span>${csrfField(admin.signOutToken)}<button type="submit">Sign out</button></form>`
  }
</header>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${frame.title} · ${frame.brand}</title>
<link rel="stylesheet" href="${base}${ADMIN_ASSETS.style.path}">
<script src="${base}${ADMIN_ASSETS.script.path}" defer></script>
</head>
<body>
${header}
<main>
${content}
</main>
</body>
</html>
`;
}

/** A field's error, linked to its input by `aria-describedby` (`<id>-error`). */
export function fieldError(id: string, error: string | undefined): SafeHtml {
  return error === undefined ? html`` : html`<p class="error" id="${id}-error" role="alert">${error}</p>`;
}

/** The `aria-describedby` and `aria-invalid` attributes of an input with an error. */
export function describedBy(id: string, error: string | undefined): SafeHtml {
  return error === undefined ? html`` : html` aria-invalid="true" aria-describedby="${id}-error"`;
}
