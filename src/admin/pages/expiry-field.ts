import { EXPIRY_PRESETS } from '../forms/expiry-choice';
import { type SafeHtml, html } from '../html';
import { describedBy, fieldError } from './layout';

/**
 * The "Expires" date field with its presets beside it (30, 90, 365 days,
 * never): radio buttons, so they work without JavaScript. "On the date
 * above" is chosen by default, and an empty date means never.
 */
export function expiryField(expires: string, error: string | undefined, label = 'Expires'): SafeHtml {
  return html`<fieldset class="expiry">
    <legend>${label}</legend>
    <div class="expiry-row">
      <div class="field">
        <label for="expires">Date</label>
        <input type="date" id="expires" name="expires" value="${expires}"${describedBy('expires', error)}>
      </div>
      <div class="presets" role="radiogroup" aria-label="Expiry presets">
        ${EXPIRY_PRESETS.map(
          ([value, text]) =>
            html`<span class="choice"><input type="radio" id="expiresIn-${value}" name="expiresIn" value="${value}"${value === 'date' ? html` checked` : ''}><label for="expiresIn-${value}">${text}</label></span>`,
        )}
      </div>
    </div>
    <p class="hint">A UTC date: the key stops working at 00:00 UTC that day. Leave it empty for a key that never expires, or pick a preset.</p>
    ${fieldError('expires', error)}
  </fieldset>`;
}
