import { maskApiKey } from '../../keys/api-key-format';
import type { ApiKeyRecord } from '../../store/scope-store';
import { GRACE_PERIODS } from '../forms/grace-period';
import { type SafeHtml, html } from '../html';
import { type PageFrame, csrfField, fieldError, layout } from './layout';

/**
 * The confirmation step of "Roll key": the grace period (none, 1 hour,
 * 24 hours, 7 days) during which the old key keeps working, and "Roll key".
 */
export function rollKeyPage(frame: PageFrame, key: ApiKeyRecord, csrfToken: string, error?: string): SafeHtml {
  const { base } = frame;
  return layout(
    frame,
    html`<h1>Roll key “${key.name}”?</h1>
<form method="post" action="${base}/keys/${key.id}/roll" class="panel">
  ${csrfField(csrfToken)}
  <p>A new key with the same name, scopes, owner and rate limit replaces <span class="mono">${maskApiKey(key.prefix, key.id)}</span>. The new key is shown once.</p>
  <fieldset>
    <legend>The old key keeps working for</legend>
    ${GRACE_PERIODS.map(
      ([value, label], index) =>
        html`<span class="choice"><input type="radio" id="grace-${value}" name="grace" value="${value}"${index === 0 ? html` checked` : ''}${error === undefined ? '' : html` aria-describedby="grace-error"`}><label for="grace-${value}">${label}</label></span>`,
    )}
    ${fieldError('grace', error)}
  </fieldset>
  <div class="actions">
    <button type="submit" class="primary">Roll key</button>
    <a href="${base}/keys/${key.id}">Cancel</a>
  </div>
</form>`,
  );
}
