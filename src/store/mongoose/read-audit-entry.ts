import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { AUDIT_ACTIONS, AUDIT_FIELDS } from '../audit/audit-entry';
import type { AuditAction, AuditEntry, AuditField, AuditFieldChange, AuditValue } from '../audit/audit-entry';
import type { ScopedAuditFields } from './audit-schema';

/** An audit document as `lean()` returns it, before it is trusted. */
export type AuditDocument = Partial<Record<keyof ScopedAuditFields, unknown>>;

function malformed(id: string, field: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `listAuditEntries: audit entry ${id} has a malformed ${field}; repair or delete it.`, {
    details: { operation: 'listAuditEntries', id, field },
  });
}

function isValue(value: unknown): value is AuditValue {
  return value === null || typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function readChange(value: unknown, id: string): AuditFieldChange {
  if (typeof value !== 'object' || value === null) throw malformed(id, 'changes');
  const { field, before, after } = value as Record<string, unknown>;
  if (!AUDIT_FIELDS.includes(field as AuditField) || !isValue(before ?? null) || !isValue(after ?? null)) throw malformed(id, 'changes');
  return { field: field as AuditField, before: (before ?? null) as AuditValue, after: (after ?? null) as AuditValue };
}

/**
 * An {@link AuditEntry} from a stored document, checked field by field (a
 * document written by another tool can hold anything).
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` naming the first malformed field (never its value).
 */
export function readAuditEntry(doc: AuditDocument): AuditEntry {
  const id = typeof doc._id === 'object' && doc._id !== null ? String(doc._id) : '?';
  if (!(doc.at instanceof Date) || Number.isNaN(doc.at.getTime())) throw malformed(id, 'at');
  if (typeof doc.actor !== 'string') throw malformed(id, 'actor');
  if (!AUDIT_ACTIONS.includes(doc.action as AuditAction)) throw malformed(id, 'action');
  if (typeof doc.target !== 'string' || (doc.targetType !== 'apiKey' && doc.targetType !== 'group')) throw malformed(id, 'target');
  if (!Array.isArray(doc.changes)) throw malformed(id, 'changes');
  if (doc.rotatedTo !== undefined && doc.rotatedTo !== null && typeof doc.rotatedTo !== 'string') throw malformed(id, 'rotatedTo');
  return {
    id,
    at: new Date(doc.at.getTime()),
    actor: doc.actor,
    action: doc.action as AuditAction,
    target: doc.targetType === 'apiKey' ? { type: 'apiKey', id: doc.target } : { type: 'group', name: doc.target },
    changes: doc.changes.map((change) => readChange(change, id)),
    ...(typeof doc.rotatedTo === 'string' ? { rotatedTo: doc.rotatedTo } : {}),
  };
}
