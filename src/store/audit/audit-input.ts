import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { assertActor, assertGroupName, assertKeyId } from '../store-input';
import type { AuditTarget, ListAuditOptions } from './audit-entry';

/** How long audit entries are kept by default, in milliseconds (365 days). */
export const DEFAULT_AUDIT_RETENTION_MS = 365 * 24 * 60 * 60 * 1000;

/** The shortest audit retention a store accepts, in milliseconds (1 day). */
export const MIN_AUDIT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The longest audit retention a store accepts, in milliseconds (10 years). */
export const MAX_AUDIT_RETENTION_MS = 10 * 365 * 24 * 60 * 60 * 1000;

/** The default page size of `listAuditEntries`. */
export const DEFAULT_AUDIT_PAGE = 50;

/** The largest page of `listAuditEntries`. */
export const MAX_AUDIT_PAGE = 1000;

/** Checked {@link ListAuditOptions}. */
export interface AuditQuery {
  readonly actor?: string;
  readonly target?: AuditTarget;
  readonly since?: Date;
  readonly limit: number;
  readonly after?: string;
}

function invalid(field: string, rule: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_INPUT', `Invalid ${field}: ${rule}.`, { details: { field } });
}

const ALLOWED = ['actor', 'target', 'since', 'limit', 'after'];

/** Checks an audit target: `{ type: 'apiKey', id }` or `{ type: 'group', name }`. */
export function assertAuditTarget(value: unknown): AuditTarget {
  if (typeof value !== 'object' || value === null) throw invalid('target', "must be { type: 'apiKey', id } or { type: 'group', name }");
  const { type, id, name } = value as { type?: unknown; id?: unknown; name?: unknown };
  if (type === 'apiKey' && name === undefined) return { type, id: assertKeyId(id) };
  if (type === 'group' && id === undefined) return { type, name: assertGroupName(name) };
  throw invalid('target', "must be { type: 'apiKey', id } or { type: 'group', name }");
}

/**
 * Checks the options of `listAuditEntries` before any query: a printable
 * `actor`, a valid `target`, a valid `since` date, an integer `limit` of
 * 1–{@link MAX_AUDIT_PAGE}, and an `after` cursor as `isCursor` accepts it.
 * Unknown fields are refused.
 *
 * @param isCursor - Whether a string is an entry id of this store.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` naming the field.
 */
export function assertAuditListOptions(options: unknown, isCursor: (value: string) => boolean): AuditQuery {
  if (options === undefined) return { limit: DEFAULT_AUDIT_PAGE };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalid('input', `listAuditEntries takes an object { ${ALLOWED.join(', ')} }`);
  const fields = options as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !ALLOWED.includes(key));
  if (unknown !== undefined) throw invalid(unknown.slice(0, 40), `listAuditEntries takes ${ALLOWED.join(', ')}`);
  const query: { actor?: string; target?: AuditTarget; since?: Date; limit: number; after?: string } = { limit: DEFAULT_AUDIT_PAGE };
  if (fields.actor !== undefined) query.actor = assertActor(fields.actor);
  if (fields.target !== undefined) query.target = assertAuditTarget(fields.target);
  if (fields.since !== undefined) {
    const since = fields.since;
    if (!(since instanceof Date) || Number.isNaN(since.getTime())) throw invalid('since', 'must be a valid Date');
    query.since = new Date(since.getTime());
  }
  if (fields.limit !== undefined) {
    const limit = fields.limit;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) throw invalid('limit', `must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
    query.limit = limit;
  }
  if (fields.after !== undefined) {
    if (typeof fields.after !== 'string' || !isCursor(fields.after)) throw invalid('after', 'must be the id of an audit entry');
    query.after = fields.after;
  }
  return query;
}
