import type { AuditEntry } from '../../store/audit/audit-entry';
import { type SafeHtml, html } from '../html';
import { auditTable } from './history-section';
import { type PageFrame, describedBy, fieldError, layout } from './layout';

/** The Activity page's filters, as typed. */
export interface ActivityFilters {
  readonly actor: string;
  readonly key: string;
  readonly group: string;
}

/** What the Activity page shows. */
export interface ActivityView {
  readonly entries: readonly AuditEntry[];
  readonly filters: ActivityFilters;
  /** Errors next to the filter fields. */
  readonly errors: Partial<Record<keyof ActivityFilters, string>>;
  /** Whether this is not the first page. */
  readonly paged: boolean;
  /** The entry id to start the next page after, when there is one. */
  readonly nextAfter?: string;
}

/** The Activity page's URL for `filters` (and a page). */
export function activityLink(base: string, filters: ActivityFilters, after?: string): string {
  const query = new URLSearchParams();
  for (const field of ['actor', 'key', 'group'] as const) if (filters[field] !== '') query.set(field, filters[field]);
  if (after !== undefined) query.set('after', after);
  const text = query.toString();
  return `${base}/activity${text === '' ? '' : `?${text}`}`;
}

function filterField(id: keyof ActivityFilters, label: string, value: string, placeholder: string, error: string | undefined): SafeHtml {
  return html`<div>
      <label class="label" for="${id}">${label}</label>
      <input type="search" id="${id}" name="${id}" value="${value}" maxlength="200" placeholder="${placeholder}"${describedBy(id, error)}>
      ${fieldError(id, error)}
    </div>`;
}

/** The Activity page: every audit entry, newest first, filtered by actor and target, in pages. */
export function activityPage(frame: PageFrame, view: ActivityView): SafeHtml {
  const { base } = frame;
  const { filters, errors } = view;
  const pages =
    view.paged || view.nextAfter !== undefined
      ? html`<nav class="pages" aria-label="Pages">${view.paged ? html`<a href="${activityLink(base, filters)}">Newest</a>` : ''}${
          view.nextAfter === undefined ? '' : html`<a href="${activityLink(base, filters, view.nextAfter)}">Older</a>`
        }</nav>`
      : '';
  return layout(
    frame,
    html`<h1>Activity</h1>
<p class="hint">Every change made through the store (this page, the CLI, your code), newest first. Entries are kept for the store's audit retention (365 days by default) and cannot be edited.</p>
<div class="toolbar">
  <form method="get" action="${base}/activity" role="search" class="filters">
    ${filterField('actor', 'Actor', filters.actor, 'apiKey:… or cli:alice', errors.actor)}
    ${filterField('key', 'Key id', filters.key, '12 characters', errors.key)}
    ${filterField('group', 'Group', filters.group, 'Group name', errors.group)}
    <button type="submit">Filter</button>
  </form>
</div>
${auditTable(base, view.entries, true)}
${pages}`,
  );
}
