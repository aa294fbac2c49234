import { EXPIRY_PRESETS } from '../forms/expiry-choice';
import { type SafeHtml, html } from '../html';
import { describedBy, fieldError } from './layout';

/**
 * The "Expires" date field with its presets beside it (30, 90, 365 days,
 * never): radio buttons, so they work without JavaScript. "On the date"
 * is chosen by default, and an empty date means never.
 */
export function expiryField(expires: string, error: string | undefined, label = 'Expires'): SafeHtml {
  return html`<div class="field expiry">
    <label for="expires">${label}</label>
    <div class="expiry-row">
      <input type="date" id="expires" name="expires" value="${expires}"${describedBy('expires', error)}>
      <fieldset class="presets">
        <legend class="visually-hidden">Expiry presets</legend>
        ${EXPIRY_PRESETS.map(
          ([value, text]) =>
            html`<span class="choice"><input type="radio" id="expiresIn-${value}" name="expiresIn" value="${value}"${value === 'date' ? html` checked` : ''}><label for="expiresIn-${value}">${text}</label></span>`,
        )}
      </fieldset>
    </div>
    <p class="hint">A UTC date: the key stops working at 00:00 UTC that day. Leave it empty for a key that never expires, or pick a preset.</p>
    ${fieldError('expires', error)}
  </div>`;
}
