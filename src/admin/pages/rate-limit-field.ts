import { RATE_UNITS } from '../../rate-limit/parse-rate';
import { RATE_LIMIT_MAX_LENGTH } from '../forms/rate-limit';
import { type SafeHtml, html } from '../html';
import { fieldError } from './layout';

/** How a key's rate limit reads on its pages and in the keys list. */
export function showRateLimit(rateLimit: string | null | undefined): string {
  return rateLimit ?? 'none';
}

/**
 * The optional "Rate limit" field of the key form: `<count>/<unit>` as
 * Django REST framework's throttles write it, with the units `parseRate`
 * accepts named in the hint. Blank means no limit.
 */
export function rateLimitField(value: string, error: string | undefined): SafeHtml {
  return html`<div class="field">
    <label for="rate-limit">Rate limit</label>
    <input type="text" id="rate-limit" name="rateLimit" value="${value}" maxlength="${String(RATE_LIMIT_MAX_LENGTH)}" placeholder="1000/hour" autocomplete="off" spellcheck="false" aria-describedby="rate-limit-hint${error === undefined ? '' : ' rate-limit-error'}"${error === undefined ? '' : html` aria-invalid="true"`}>
    <p class="hint" id="rate-limit-hint">Optional: how many requests the key may make per window, as <code>&lt;count&gt;/&lt;unit&gt;</code> (for example <code>1000/hour</code>), counted over every request of the key. Units: ${Object.keys(RATE_UNITS).join(', ')}. Leave it empty for no limit.</p>
    ${fieldError('rate-limit', error)}
  </div>`;
}
