import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { exportedKeyLine } from '../store/import/exported-key-line';
import { IMPORT_FORMATS, type ImportFormat, type ImportReport, importApiKeys } from '../store/import/import-api-keys';
import type { ApiKeyImportStore, ScopeStore } from '../store/scope-store';
import { cliActor } from './acting-store';
import type { CommandResult } from './cli-io';
import { printable } from './format-table';

/** Checks `--format`. @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` naming the formats. */
export function parseImportFormat(value: string): ImportFormat {
  if (!(IMPORT_FORMATS as readonly string[]).includes(value)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `--format must be one of ${IMPORT_FORMATS.join(', ')}.`, { details: { option: 'format' } });
  }
  return value as ImportFormat;
}

function isImportStore(store: ScopeStore): store is ScopeStore & ApiKeyImportStore {
  return typeof (store as Partial<ApiKeyImportStore>).importApiKey === 'function';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The report as text: one line per key or refused line (ids and names only), then the totals. */
export function formatImportReport(report: ImportReport): string {
  const verb = report.dryRun ? 'WOULD IMPORT' : 'IMPORTED';
  const lines = [
    ...(report.dryRun ? ['DRY RUN: nothing was written.'] : []),
    ...report.imported.map((entry) => `  ${verb}: line ${entry.line}, ${entry.id} (${JSON.stringify(printable(entry.name))})`),
    ...report.duplicates.map((entry) => `  SKIP: line ${entry.line}, ${entry.id} (${JSON.stringify(printable(entry.name))}) already exists`),
    ...report.refused.map((entry) => `  REFUSED: line ${entry.line}: ${printable(entry.reason)}`),
    '',
    `${report.dryRun ? 'Would import' : 'Imported'} ${plural(report.imported.length, 'key')}, skipped ${plural(report.duplicates.length, 'duplicate')}, refused ${plural(report.refused.length, 'line')}.`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `keys import <file>`: imports keys with their hashes from `text` (one JSON
 * object per line) and reports, per line, what was (or in a dry run would
 * be) imported, skipped as a duplicate, or refused. Nothing of a secret or
 * a hash is printed.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a store that cannot import; the store's outage errors.
 */
export async function keysImportCommand(store: ScopeStore, text: string, options: { readonly format: ImportFormat; readonly dryRun: boolean }): Promise<CommandResult> {
  if (!isImportStore(store)) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'This store cannot import keys (it has no importApiKey).');
  const report = await importApiKeys(store, text.split('\n'), { format: options.format, dryRun: options.dryRun, actor: cliActor() });
  const note =
    options.format === 'drf-api-key' && report.imported.length > 0
      ? 'drf keys keep their <prefix>.<secret> form. Clients that send "Authorization: Api-Key <key>" need authSchemes: [\'Bearer\', \'Api-Key\'] in createScopedContext.\n'
      : '';
  return { stdout: formatImportReport(report), stderr: note };
}

/**
 * `keys export --out <file>`: every key with its hash, one JSON line each,
 * for `keys import --format json` into another store. The lines hold
 * hashes: the program writes them to a new file readable by its owner only,
 * never to the terminal.
 *
 * @returns The file's text and a summary for `stderr`.
 */
export async function keysExportCommand(store: ScopeStore): Promise<{ readonly text: string; readonly count: number }> {
  const lines: string[] = [];
  for (const apiKey of await store.listApiKeys()) {
    const credential = await store.findApiKeyCredential(apiKey.id);
    if (credential !== null) lines.push(exportedKeyLine(credential));
  }
  return { text: lines.length === 0 ? '' : `${lines.join('\n')}\n`, count: lines.length };
}
