import { maskApiKey } from '../../keys/api-key-format';
import type { ScopeCatalog } from '../../scopes/scope-catalog';
import type { ApiKeyRecord } from '../../store/scope-store';
import { formatTime } from '../forms/dates';
import { type SafeHtml, html } from '../html';
import { expiryField } from './expiry-field';
import { keyStatus } from './keys-list-page';
import { rateLimitField } from './rate-limit-field';
import { type PageFrame, csrfField, describedBy, fieldError, layout } from './layout';
import { scopeFieldsets } from './scope-fieldsets';

/** The values a key form shows: as stored, or as submitted when re-shown with errors. */
export interface KeyFormValues {
  readonly name: string;
  readonly grants: ReadonlySet<string>;
  /** `YYYY-MM-DD`, or `''` for never. */
  readonly expires: string;
  /** The owner's user id, or `''` for none. */
  readonly owner: string;
  /** The rate limit (`1000/hour`), or `''` for none. */
  readonly rateLimit: string;
}

/** Errors next to the fields of a key form. */
export interface KeyFormErrors {
  readonly name?: string;
  readonly scopes?: string;
  readonly expires?: string;
  readonly owner?: string;
  readonly rateLimit?: string;
}

/** What the new-key and edit-key pages show. */
export interface KeyFormView {
  readonly csrfToken: string;
  readonly catalog: ScopeCatalog;
  /** The admin page's own scope. */
  readonly adminScope: string;
  /** The key being edited; absent on the new-key page. */
  readonly key?: ApiKeyRecord;
  /** Grants the key has that the catalogue does not offer, kept unless unticked. */
  readonly kept: readonly string[];
  readonly values: KeyFormValues;
  readonly errors: KeyFormErrors;
  readonly nowMs: number;
  /** A notice above the form (saved). */
  readonly notice?: string;
  /** The key's "History" section; absent on the new-key page. */
  readonly history?: SafeHtml;
}

/**
 * The new-key form ("Name", the scope checkboxes, "Expires", "Owner",
 * "Rate limit", "Create key")
 * and the edit form (the same, with "Save", and a "Revoke" button).
 */
export function keyFormPage(frame: PageFrame, view: KeyFormView): SafeHtml {
  const { base } = frame;
  const { key, values, errors } = view;
  const action = key === undefined ? `${base}/keys/new` : `${base}/keys/${key.id}`;
  const status = key === undefined ? undefined : keyStatus(key, view.nowMs);
  const summary =
    key === undefined
      ? ''
      : html`<p class="mono">${maskApiKey(key.prefix, key.id)} · <span class="status status-${status ?? ''}">${status ?? ''}</span> · created ${formatTime(key.createdAt, '—')}${
          key.revokedAt === null ? '' : html` · revoked ${formatTime(key.revokedAt, '—')}`
        }</p>${
          key.scopes.length === 0
            ? html`<p class="warning">This key has no scopes: it is an unrestricted legacy key, whose access the verifier's <code>unscopedKeys</code> option decides. Tick scopes to restrict it.</p>`
            : ''
        }`;
  return layout(
    frame,
    html`<h1>${key === undefined ? 'New key' : html`Edit key “${key.name}”`}</h1>
${view.notice === undefined ? '' : html`<p class="notice" role="status">${view.notice}</p>`}
${summary}
<form method="post" action="${action}">
  ${csrfField(view.csrfToken)}
  <div class="field">
    <label for="name">Name</label>
    <input type="text" id="name" name="name" value="${values.name}" required maxlength="200" autocomplete="off"${describedBy('name', errors.name)}>
    ${fieldError('name', errors.name)}
  </div>
  ${scopeFieldsets({ catalog: view.catalog, adminScope: view.adminScope, checked: values.grants, kept: view.kept, ...(errors.scopes === undefined ? {} : { error: errors.scopes }) })}
  ${expiryField(values.expires, errors.expires)}
  <div class="field">
    <label for="owner">Owner</label>
    <input type="text" id="owner" name="owner" value="${values.owner}" maxlength="200" autocomplete="off" aria-describedby="owner-hint${errors.owner === undefined ? '' : ' owner-error'}"${errors.owner === undefined ? '' : html` aria-invalid="true"`}>
    <p class="hint" id="owner-hint">Optional: the user id of the person or service account the key acts for. An owner-bound key can never exceed its owner's scopes: with the verifier's <code>ownerScopes: 'intersect'</code>, it only keeps the scopes its owner's groups also grant, and loses them when the owner does.</p>
    ${fieldError('owner', errors.owner)}
  </div>
  ${rateLimitField(values.rateLimit, errors.rateLimit)}
  <div class="actions">
    <button type="submit" class="primary">${key === undefined ? 'Create key' : 'Save'}</button>
    <a href="${base}/keys">Cancel</a>
  </div>
</form>
${
  key !== undefined && status === 'active'
    ? html`<h2>Roll key</h2>
<form method="get" action="${base}/keys/${key.id}/roll" class="panel">
  <p>Rolling replaces the key with a new one with the same name, scopes, owner and rate limit. The old key keeps working for a grace period you choose.</p>
  <button type="submit">Roll key</button>
</form>
<h2>Revoke</h2>
<form method="get" action="${base}/keys/${key.id}/revoke" class="panel">
  <p>Revoking stops the key at once. It cannot be undone.</p>
  <button type="submit" class="danger">Revoke</button>
</form>`
    : ''
}
${view.history ?? ''}`,
  );
}
