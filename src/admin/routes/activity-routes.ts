import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import type { AuditEntry, ListAuditOptions } from '../../store/audit/audit-entry';
import type { AdminContext } from '../admin-context';
import { type ActivityFilters, activityPage } from '../pages/activity-page';
import { historySection } from '../pages/history-section';
import type { SafeHtml } from '../html';
import { isNotFound } from './store-errors';

/** How many entries a key's or group's "History" section shows. */
export const HISTORY_LENGTH = 20;

const FILTER_OF_FIELD: Readonly<Record<string, keyof ActivityFilters>> = { actor: 'actor', id: 'key', group: 'group', target: 'key' };

function readFilters(query: URLSearchParams): ActivityFilters {
  return { actor: query.get('actor')?.trim() ?? '', key: query.get('key')?.trim() ?? '', group: query.get('group')?.trim() ?? '' };
}

/** GET /activity: every audit entry, newest first, filtered by actor, key or group, in pages. */
export async function listActivity(admin: AdminContext): Promise<void> {
  const { request } = admin;
  const { store, pageSize } = request.config;
  const query = request.location.query;
  const filters = readFilters(query);
  const after = query.get('after') ?? undefined;
  const frame = admin.frame('Activity', 'activity');
  const show = (status: number, entries: readonly AuditEntry[], errors: Partial<Record<keyof ActivityFilters, string>>, nextAfter?: string): void =>
    request.page(status, activityPage(frame, { entries, filters, errors, paged: after !== undefined, ...(nextAfter === undefined ? {} : { nextAfter }) }));
  if (filters.key !== '' && filters.group !== '') return show(400, [], { group: 'Filter by a key or by a group, not both.' });
  const options: ListAuditOptions = {
    limit: pageSize + 1,
    ...(filters.actor === '' ? {} : { actor: filters.actor }),
    ...(filters.key === '' ? {} : { target: { type: 'apiKey', id: filters.key } }),
    ...(filters.group === '' ? {} : { target: { type: 'group', name: filters.group } }),
    ...(after === undefined ? {} : { after }),
  };
  let entries: AuditEntry[];
  try {
    entries = await store.listAuditEntries(options);
  } catch (error) {
    if (isNotFound(error)) return show(400, [], { actor: 'This page of activity no longer exists: start again from the newest.' });
    if (error instanceof ScopedPermissionsError && error.code === 'ERR_INVALID_INPUT') {
      const field = error.details?.field;
      const filter = typeof field === 'string' && Object.hasOwn(FILTER_OF_FIELD, field) ? FILTER_OF_FIELD[field] : undefined;
      // A bad cursor is no field of the form: start again from the newest.
      if (filter === undefined) return show(400, [], { actor: 'This page of activity does not exist: start again from the newest.' });
      return show(400, [], { [filter === 'key' && filters.group !== '' ? 'group' : filter]: error.message });
    }
    throw error;
  }
  const page = entries.slice(0, pageSize);
  const last = page[page.length - 1];
  show(200, page, {}, entries.length > pageSize && last !== undefined ? last.id : undefined);
}

/** The "History" section of a key's page. */
export async function keyHistory(admin: AdminContext, id: string): Promise<SafeHtml> {
  const entries = await admin.request.config.store.listAuditEntries({ target: { type: 'apiKey', id }, limit: HISTORY_LENGTH });
  return historySection(admin.request.base, entries, `key=${encodeURIComponent(id)}`);
}

/** The "History" section of a group's page. */
export async function groupHistory(admin: AdminContext, name: string): Promise<SafeHtml> {
  const entries = await admin.request.config.store.listAuditEntries({ target: { type: 'group', name }, limit: HISTORY_LENGTH });
  return historySection(admin.request.base, entries, `group=${encodeURIComponent(name)}`);
}
