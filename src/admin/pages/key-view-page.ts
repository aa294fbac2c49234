import { maskApiKey } from '../../keys/api-key-format';
import type { ApiKeyRecord } from '../../store/scope-store';
import { formatTime } from '../forms/dates';
import { type SafeHtml, html } from '../html';
import { summarizeScopes } from '../scopes/scope-summary';
import { expiryField } from './expiry-field';
import { keyStatus } from './keys-list-page';
import { type PageFrame, csrfField, layout } from './layout';
import { showRateLimit } from './rate-limit-field';

/** What the read-only page of a revoked or expired key shows. */
export interface KeyViewView {
  readonly key: ApiKeyRecord;
  readonly csrfToken: string;
  readonly nowMs: number;
  readonly history: SafeHtml;
  /** The "Extend expiry" form's date as typed, and its error. */
  readonly extend?: { readonly expires: string; readonly error?: string };
  readonly notice?: string;
}

/**
 * A revoked or expired key, read-only: its details and its history. A
 * revoked key has no action (it cannot be brought back); an expired key
 * has one, "Extend expiry", which is recorded in its history.
 */
export function keyViewPage(frame: PageFrame, view: KeyViewView): SafeHtml {
  const { base } = frame;
  const { key } = view;
  const status = keyStatus(key, view.nowMs);
  const explanation =
    status === 'revoked'
      ? html`<p class="warning" role="note">This key is revoked. It is read-only: a revoked key cannot be edited or brought back. Create a new key instead.</p>`
      : html`<p class="warning" role="note">This key expired on ${formatTime(key.expiresAt, '—')}. It is read-only; to use it again, extend its expiry below. The extension is recorded in its history.</p>`;
  const extend =
    status === 'expired'
      ? html`<h2>Extend expiry</h2>
<form method="post" action="${base}/keys/${key.id}/extend" class="panel">
  ${csrfField(view.csrfToken)}
  ${expiryField(view.extend?.expires ?? '', view.extend?.error, 'New expiry')}
  <div class="actions"><button type="submit" class="primary">Extend expiry</button></div>
</form>`
      : '';
  return layout(
    frame,
    html`<h1>Key “${key.name}”</h1>
${view.notice === undefined ? '' : html`<p class="notice" role="status">${view.notice}</p>`}
${explanation}
<dl class="panel key-details">
  <dt>Key</dt><dd class="mono">${maskApiKey(key.prefix, key.id)}</dd>
  <dt>Status</dt><dd><span class="status status-${status}">${status}</span></dd>
  <dt>Name</dt><dd>${key.name}</dd>
  <dt>Scopes</dt><dd>${summarizeScopes(key.scopes)}</dd>
  <dt>Owner</dt><dd>${key.ownerId ?? '—'}</dd>
  <dt>Rate limit</dt><dd class="mono">${showRateLimit(key.rateLimit)}</dd>
  <dt>Created</dt><dd>${formatTime(key.createdAt, '—')}</dd>
  <dt>Expires</dt><dd>${formatTime(key.expiresAt, 'never')}</dd>
  <dt>Revoked</dt><dd>${formatTime(key.revokedAt, '—')}</dd>
  <dt>Last used</dt><dd>${formatTime(key.lastUsedAt, '—')}</dd>
  ${key.rotatedFrom === null ? '' : html`<dt>Replaces</dt><dd><a class="mono" href="${base}/keys/${key.rotatedFrom}">${key.rotatedFrom}</a></dd>`}
</dl>
${extend}
<p class="actions"><a class="button" href="${base}/keys">Back to the keys</a></p>
${view.history}`,
  );
}
