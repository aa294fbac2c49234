import { type SafeHtml, html } from '../html';
import { type PageFrame, layout } from './layout';

/** A plain page with a heading, a message and an optional link: errors, refusals and notices. */
export function messagePage(frame: PageFrame, message: string, link?: { readonly href: string; readonly label: string }): SafeHtml {
  return layout(
    frame,
    html`<h1>${frame.title}</h1>
<div class="panel"><p>${message}</p>${link === undefined ? '' : html`<p><a href="${link.href}">${link.label}</a></p>`}</div>`,
  );
}
