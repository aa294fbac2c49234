import type { AuditEntry, AuditLogSource, AuditTarget, AuditValue } from '../store/audit/audit-entry';
import type { CommandResult } from './cli-io';
import { formatTable, formatTimestamp, printable } from './format-table';

/** Options of {@link auditCommand}; every filter is checked by the store before any query. */
export interface AuditCommandOptions {
  readonly actor?: string;
  readonly target?: AuditTarget;
  readonly since?: Date;
  /** The most entries printed, 1–1000. Default 50. */
  readonly limit?: number;
  /** Print JSON lines (one entry per line) instead of a table. */
  readonly json?: boolean;
}

function showValue(value: AuditValue): string {
  if (value === null) return '-';
  return typeof value === 'string' ? value : `[${value.join(', ')}]`;
}

function describeChanges(entry: AuditEntry): string {
  const parts = entry.changes.map((change) => `${change.field}: ${showValue(change.before)} -> ${showValue(change.after)}`);
  if (entry.rotatedTo !== undefined) parts.push(`new key: ${entry.rotatedTo}`);
  return parts.length === 0 ? '-' : parts.join('; ');
}

function describeTarget(target: AuditTarget): string {
  return target.type === 'apiKey' ? `key ${target.id}` : `group ${target.name}`;
}

/**
 * `audit`: the audit history, newest first, as a table or as JSON lines.
 * Entries never hold a secret or a hash; every stored text is printed
 * through `printable` (no control characters reach the terminal).
 *
 * @throws The store's `ERR_INVALID_INPUT` for a bad filter.
 */
export async function auditCommand(store: AuditLogSource, options: AuditCommandOptions): Promise<CommandResult> {
  const entries = await store.listAuditEntries({
    limit: options.limit ?? 50,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.since === undefined ? {} : { since: options.since }),
  });
  if (options.json === true) {
    // JSON.stringify escapes control characters, so the lines are safe as they are.
    return { stdout: entries.map((entry) => `${JSON.stringify({ ...entry, at: entry.at.toISOString() })}\n`).join(''), stderr: '' };
  }
  if (entries.length === 0) return { stdout: 'No audit entries.\n', stderr: '' };
  const rows = entries.map((entry) => [formatTimestamp(entry.at, '-'), printable(entry.actor), entry.action, printable(describeTarget(entry.target)), printable(describeChanges(entry))]);
  return { stdout: formatTable(['WHEN', 'ACTOR', 'ACTION', 'TARGET', 'CHANGES'], rows), stderr: '' };
}
