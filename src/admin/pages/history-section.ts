import type { AuditEntry, AuditFieldChange, AuditValue } from '../../store/audit/audit-entry';
import { formatTime } from '../forms/dates';
import { type SafeHtml, html } from '../html';

const ACTION_LABELS: Readonly<Record<AuditEntry['action'], string>> = {
  created: 'created',
  imported: 'imported',
  updated: 'updated',
  rotated: 'rolled',
  revoked: 'revoked',
  'expiry-extended': 'expiry extended',
  'group-saved': 'group saved',
  'member-added': 'member added',
  'member-removed': 'member removed',
  deleted: 'deleted',
};

const FIELD_LABELS: Readonly<Record<AuditFieldChange['field'], string>> = {
  name: 'name',
  scopes: 'scopes',
  expiresAt: 'expires',
  ownerId: 'owner',
  rateLimit: 'rate limit',
  revokedAt: 'revoked',
  member: 'member',
  members: 'members',
};

function showValue(value: AuditValue): string {
  if (value === null) return '—';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(value) ? formatTime(new Date(value), value) : value;
  return value.length === 0 ? '(none: unrestricted)' : value.join(', ');
}

function changeList(entry: AuditEntry): SafeHtml {
  const rotated = entry.rotatedTo === undefined ? [] : [html`<li>new key <span class="mono">${entry.rotatedTo}</span></li>`];
  const items = [...entry.changes.map((change) => html`<li><span class="field-name">${FIELD_LABELS[change.field]}</span>: ${showValue(change.before)} → ${showValue(change.after)}</li>`), ...rotated];
  return items.length === 0 ? html`<span class="hint">no change</span>` : html`<ul class="changes">${items}</ul>`;
}

/** A link to a target's page, below the mount `base`. */
function targetLink(base: string, entry: AuditEntry): SafeHtml {
  return entry.target.type === 'apiKey'
    ? html`<a class="mono" href="${base}/keys/${entry.target.id}">key ${entry.target.id}</a>`
    : html`<a href="${base}/groups/${encodeURIComponent(entry.target.name)}/edit">group ${entry.target.name}</a>`;
}

/**
 * A table of audit entries, newest first: when, who, what, (the target,
 * with `showTarget`) and the changed fields before → after. It collapses
 * to stacked rows on narrow screens (`table.stack`).
 */
export function auditTable(base: string, entries: readonly AuditEntry[], showTarget: boolean): SafeHtml {
  if (entries.length === 0) return html`<p class="hint">No recorded changes.</p>`;
  return html`<table class="stack audit">
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th>${showTarget ? html`<th scope="col">Target</th>` : ''}<th scope="col">Changes</th></tr></thead>
  <tbody>
${entries.map(
  (entry) => html`<tr>
  <td data-label="When">${formatTime(entry.at, '—')}</td>
  <td data-label="Who" class="mono">${entry.actor}</td>
  <td data-label="Action"><span class="action action-${entry.action}">${ACTION_LABELS[entry.action]}</span></td>
  ${showTarget ? html`<td data-label="Target">${targetLink(base, entry)}</td>` : ''}
  <td data-label="Changes">${changeList(entry)}</td>
</tr>`,
)}
  </tbody>
</table>`;
}

/**
 * The "History" section of a key's or group's page: its newest entries,
 * and a link to all of them on the Activity page.
 *
 * @param activityQuery - The Activity page's filter for this target, for example `key=a1B2c3D4e5F6`.
 */
export function historySection(base: string, entries: readonly AuditEntry[], activityQuery: string): SafeHtml {
  return html`<section aria-labelledby="history"><h2 id="history">History</h2>
${auditTable(base, entries, false)}
<p><a href="${base}/activity?${activityQuery}">All activity</a></p>
</section>`;
}
