import { maskApiKey } from '../../keys/api-key-format';
import type { ApiKeyRecord } from '../../store/scope-store';
import { type SafeHtml, html } from '../html';
import { type PageFrame, csrfField, layout } from './layout';

/** The confirmation step before revoking: a "Revoke key" button, or Cancel. */
export function revokeKeyPage(frame: PageFrame, key: ApiKeyRecord, csrfToken: string): SafeHtml {
  const { base } = frame;
  return layout(
    frame,
    html`<h1>Revoke key “${key.name}”?</h1>
<form method="post" action="${base}/keys/${key.id}/revoke" class="panel">
  ${csrfField(csrfToken)}
  <p>Requests with <span class="mono">${maskApiKey(key.prefix, key.id)}</span> will be refused from now on (HTTP 401). This cannot be undone.</p>
  <div class="actions">
    <button type="submit" class="danger">Revoke key</button>
    <a href="${base}/keys/${key.id}">Cancel</a>
  </div>
</form>`,
  );
}
