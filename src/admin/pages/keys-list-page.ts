import { maskApiKey } from '../../keys/api-key-format';
import type { ApiKeyRecord } from '../../store/scope-store';
import { formatTime } from '../forms/dates';
import { type SafeHtml, html } from '../html';
import { summarizeScopes } from '../scopes/scope-summary';
import { type PageFrame, describedBy, fieldError, layout } from './layout';
import { showRateLimit } from './rate-limit-field';

/** A key's status at a given time. */
export type KeyStatus = 'active' | 'expired' | 'revoked';

/** Whether a key is revoked, expired (at `nowMs`) or active. */
export function keyStatus(key: ApiKeyRecord, nowMs: number): KeyStatus {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && !(nowMs < key.expiresAt.getTime())) return 'expired';
  return 'active';
}

/** What the keys list shows. */
export interface KeysListView {
  /** The keys of this page, newest first. */
  readonly keys: readonly ApiKeyRecord[];
  /** The search text, as typed. */
  readonly search: string;
  /** An error next to the search box. */
  readonly searchError?: string;
  /** Whether this is not the first page. */
  readonly paged: boolean;
  /** The id to start the next page after, when there is one. */
  readonly nextAfter?: string;
  /** `Date.now()` for the status column. */
  readonly nowMs: number;
  /** A notice above the table (a revoked key, a saved change). */
  readonly notice?: string;
}

function pageLink(base: string, search: string, after?: string): string {
  const query = new URLSearchParams();
  if (search !== '') query.set('search', search);
  if (after !== undefined) query.set('after', after);
  const text = query.toString();
  return `${base}/keys${text === '' ? '' : `?${text}`}`;
}

function row(base: string, key: ApiKeyRecord, nowMs: number): SafeHtml {
  const status = keyStatus(key, nowMs);
  const owner = key.ownerId === null ? '' : html` <span class="badge owner" title="Owner-bound: never exceeds the scopes of ${key.ownerId}">owner: ${key.ownerId}</span>`;
  return html`<tr>
  <td data-label="Key" class="mono">${maskApiKey(key.prefix, key.id)}</td>
  <td data-label="Name">${key.name}${owner}</td>
  <td data-label="Scopes">${summarizeScopes(key.scopes)}</td>
  <td data-label="Rate limit" class="mono">${showRateLimit(key.rateLimit)}</td>
  <td data-label="Created">${formatTime(key.createdAt, '—')}</td>
  <td data-label="Expires">${formatTime(key.expiresAt, 'never')}</td>
  <td data-label="Last used">${formatTime(key.lastUsedAt, '—')}</td>
  <td data-label="Status"><span class="status status-${status}">${status}</span></td>
  <td data-label="Actions"><a href="${base}/keys/${key.id}">${status === 'active' ? 'Edit' : 'View'}</a></td>
</tr>`;
}

/** The keys list: Django admin's `list_display` columns, a search box, and pages. */
export function keysListPage(frame: PageFrame, view: KeysListView): SafeHtml {
  const { base } = frame;
  const body =
    view.keys.length === 0
      ? html`<tr><td class="empty" colspan="9">${view.search === '' ? 'No keys yet.' : 'No key matches this search.'}</td></tr>`
      : view.keys.map((key) => row(base, key, view.nowMs));
  const pages =
    view.paged || view.nextAfter !== undefined
      ? html`<nav class="pages" aria-label="Pages">${view.paged ? html`<a href="${pageLink(base, view.search)}">First page</a>` : ''}${
          view.nextAfter === undefined ? '' : html`<a href="${pageLink(base, view.search, view.nextAfter)}">Next page</a>`
        }</nav>`
      : '';
  return layout(
    frame,
    html`<h1>API keys</h1>
${view.notice === undefined ? '' : html`<p class="notice" role="status">${view.notice}</p>`}
<div class="toolbar">
  <form method="get" action="${base}/keys" role="search">
    <div>
      <label class="label" for="search">Search</label>
      <input type="search" id="search" name="search" value="${view.search}" maxlength="200" placeholder="Name or id prefix"${describedBy('search', view.searchError)}>
      ${fieldError('search', view.searchError)}
    </div>
    <button type="submit">Search</button>
  </form>
  <a class="button primary" href="${base}/keys/new">New key</a>
</div>
<table class="stack">
  <thead><tr><th scope="col">Key</th><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Rate limit</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
${body}
  </tbody>
</table>
${pages}`,
  );
}
