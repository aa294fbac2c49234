import { maskApiKey } from '../../keys/api-key-format';
import type { ApiKeyRecord } from '../../store/scope-store';
import { type SafeHtml, html } from '../html';
import { summarizeScopes } from '../scopes/scope-summary';
import { type PageFrame, layout } from './layout';
import { showRateLimit } from './rate-limit-field';

/**
 * The page that shows a new key, once: a read-only "New API key" field, a
 * copy button (shown by the script) and a warning. `key` is `undefined`
 * when it was shown already: then the page says so and shows no key.
 */
export function newKeyPage(frame: PageFrame, record: ApiKeyRecord, key: string | undefined): SafeHtml {
  const { base } = frame;
  const shown =
    key === undefined
      ? html`<p class="notice" role="status">This key was shown once, when it was created, and cannot be shown again. If it was lost, revoke it and create another.</p>`
      : html`<p class="warning" role="alert"><strong>Copy the key now.</strong> It won't be shown again: only a hash of it is stored.</p>
<div class="field panel">
  <label for="new-key">New API key</label>
  <input type="text" class="key" id="new-key" value="${key}" readonly autocomplete="off" spellcheck="false" data-one-time>
  <button type="button" data-copy="new-key" hidden>Copy</button>
</div>`;
  return layout(
    frame,
    html`<h1>Key “${record.name}” created</h1>
${shown}
<dl class="panel">
  <dt>Key</dt><dd class="mono">${maskApiKey(record.prefix, record.id)}</dd>
  <dt>Scopes</dt><dd>${summarizeScopes(record.scopes)}</dd>
  <dt>Rate limit</dt><dd class="mono">${showRateLimit(record.rateLimit)}</dd>
</dl>
<p class="actions"><a class="button" href="${base}/keys">Back to the keys</a> <a href="${base}/keys/${record.id}">Edit this key</a></p>`,
  );
}
