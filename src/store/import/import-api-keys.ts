import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { prepareImportedKey } from '../prepare-imported-key';
import type { ApiKeyImportStore, ApiKeyStore, ChangeOptions } from '../scope-store';
import { parseDrfApiKeyLine } from './drf-api-key-line';
import { parseExportedKeyLine } from './exported-key-line';
import type { ImportLine } from './import-line';

/** The formats `importApiKeys` reads: djangorestframework-api-key rows, or our own `keys export` lines. */
export type ImportFormat = 'drf-api-key' | 'json';

/** The import formats, for option checks and help texts. */
export const IMPORT_FORMATS: readonly ImportFormat[] = Object.freeze(['drf-api-key', 'json']);

/** Options of {@link importApiKeys}. */
export interface ImportApiKeysOptions {
  readonly format: ImportFormat;
  /** Report what would happen, write nothing. Default `false`. */
  readonly dryRun?: boolean;
  /** Who imports, for the audit history (`cli:<os user>`). Passed to every write. */
  readonly actor?: string;
  /** The time recorded as `revokedAt` of keys imported revoked. Default: now. */
  readonly now?: Date;
}

/** A key named in the report: its line, id and name (never a secret or a hash). */
export interface ImportedKeyEntry {
  /** The line number in the file, from 1. */
  readonly line: number;
  readonly id: string;
  readonly name: string;
}

/** What {@link importApiKeys} did, or would do in a dry run. */
export interface ImportReport {
  readonly format: ImportFormat;
  readonly dryRun: boolean;
  /** Imported keys (in a dry run: the keys that would be). */
  readonly imported: readonly ImportedKeyEntry[];
  /** Keys skipped because the store (or an earlier line) already has their id. */
  readonly duplicates: readonly ImportedKeyEntry[];
  /** Lines refused, with why: malformed JSON, a missing field, an unknown or absurd hash, a bad scope. Nothing was written for them. */
  readonly refused: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
}

function parseLine(format: ImportFormat, line: string, now: Date): ImportLine {
  return format === 'drf-api-key' ? parseDrfApiKeyLine(line, now) : parseExportedKeyLine(line);
}

/** The reason an input check gives, without its details (they may quote a name, never a hash). */
function refusalOf(error: unknown): string | undefined {
  if (!(error instanceof ScopedPermissionsError)) return undefined;
  if (error.code === 'ERR_INVALID_INPUT' || error.code === 'ERR_INVALID_SCOPE') return error.message.replace(/^importApiKey: /, '');
  return undefined;
}

/**
 * Imports API keys with their hashes, one JSON object per line, so their
 * clients keep working unchanged (drf keys keep their `<prefix>.<secret>`
 * form, and are rehashed to argon2id at their first successful verification).
 *
 * - Each line is checked in full (fields, dates, scopes, the hash's family
 *   and cost bounds) before anything is written; a refused line is
 *   reported with its number and skipped, never half-written.
 * - A key whose id the store (or an earlier line) already has is skipped and
 *   reported as a duplicate.
 * - Each import is one write, recorded with `actor` and the `imported` change action.
 * - A store failure stops the import (`ERR_STORE_UNAVAILABLE`): the lines
 *   before it are imported, none after; run it again, duplicates are skipped.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for an unknown format; the store's outage errors.
 */
export async function importApiKeys(store: ApiKeyStore & ApiKeyImportStore, lines: Iterable<string>, options: ImportApiKeysOptions): Promise<ImportReport> {
  if (!IMPORT_FORMATS.includes(options.format)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `Unknown import format: use one of ${IMPORT_FORMATS.join(', ')}.`, { details: { option: 'format' } });
  }
  const dryRun = options.dryRun === true;
  const now = options.now ?? new Date();
  const change: ChangeOptions = options.actor === undefined ? {} : { actor: options.actor };
  const report = { format: options.format, dryRun, imported: [] as ImportedKeyEntry[], duplicates: [] as ImportedKeyEntry[], refused: [] as Array<{ line: number; reason: string }> };
  const seen = new Set<string>();
  let number = 0;
  for (const raw of lines) {
    number += 1;
    const line = raw.trim();
    if (line === '') continue;
    const parsed = parseLine(options.format, line, now);
    if (!parsed.ok) {
      report.refused.push({ line: number, reason: parsed.reason });
      continue;
    }
    try {
      prepareImportedKey(parsed.input);
    } catch (error) {
      const reason = refusalOf(error);
      if (reason === undefined) throw error;
      report.refused.push({ line: number, reason });
      continue;
    }
    const entry: ImportedKeyEntry = { line: number, id: parsed.input.id, name: parsed.input.name };
    if (seen.has(entry.id) || (await store.getApiKey(entry.id)) !== null) {
      report.duplicates.push(entry);
      continue;
    }
    seen.add(entry.id);
    if (!dryRun) {
      try {
        await store.importApiKey(parsed.input, change);
      } catch (error) {
        if (!(error instanceof ScopedPermissionsError && error.code === 'ERR_DUPLICATE')) throw error;
        report.duplicates.push(entry);
        continue;
      }
    }
    report.imported.push(entry);
  }
  return report;
}
