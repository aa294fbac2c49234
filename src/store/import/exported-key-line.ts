import type { ApiKeyCredential } from '../scope-store';
import { type ImportLine, readDate, readObject } from './import-line';

/** The `format` field of every line `keys export` writes. */
export const EXPORT_FORMAT = 'graphql-scoped-permissions.api-key/1';

/**
 * One line of `keys export`: a key with its hash, for moving between stores.
 * The file holds hashes: keep it as private as the database.
 */
export function exportedKeyLine({ apiKey, hash }: ApiKeyCredential): string {
  return JSON.stringify({
    format: EXPORT_FORMAT,
    id: apiKey.id,
    prefix: apiKey.prefix,
    name: apiKey.name,
    scopes: apiKey.scopes,
    createdAt: apiKey.createdAt.toJSON(),
    expiresAt: apiKey.expiresAt?.toJSON() ?? null,
    revokedAt: apiKey.revokedAt?.toJSON() ?? null,
    ownerId: apiKey.ownerId,
    rateLimit: apiKey.rateLimit ?? null,
    hash,
  });
}

/** Reads one line of a `json` import file, as {@link exportedKeyLine} writes it. */
export function parseExportedKeyLine(line: string): ImportLine {
  const row = readObject(line);
  if (typeof row === 'string') return { ok: false, reason: row };
  if (row.format !== EXPORT_FORMAT) return { ok: false, reason: `format must be "${EXPORT_FORMAT}"` };
  const { id, prefix, name, scopes, ownerId, rateLimit, hash } = row;
  if (typeof id !== 'string' || typeof prefix !== 'string' || typeof name !== 'string' || typeof hash !== 'string') {
    return { ok: false, reason: 'id, prefix, name and hash must be strings' };
  }
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) return { ok: false, reason: 'scopes must be a list of strings' };
  if (ownerId !== null && ownerId !== undefined && typeof ownerId !== 'string') return { ok: false, reason: 'ownerId must be a string or null' };
  if (rateLimit !== null && rateLimit !== undefined && typeof rateLimit !== 'string') return { ok: false, reason: 'rateLimit must be a string or null' };
  const dates = [readDate(row, 'createdAt', false), readDate(row, 'expiresAt', true), readDate(row, 'revokedAt', true)];
  const problem = dates.find((date): date is string => typeof date === 'string');
  if (problem !== undefined) return { ok: false, reason: problem };
  const [createdAt, expiresAt, revokedAt] = dates as [Date, Date | null, Date | null];
  return { ok: true, input: { id, prefix, name, hash, scopes: scopes as string[], createdAt, expiresAt, revokedAt, ownerId: ownerId ?? null, rateLimit: rateLimit ?? null } };
}
