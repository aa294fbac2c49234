// Control (Cc), format (Cf: zero-width, bidi overrides), lone surrogate (Cs)
// and line/paragraph separator characters: shown as `?` so that a stored
// value can never move the cursor, recolour or reorder a terminal.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** A cell value safe for a terminal: unprintable characters become `?`. */
export function printable(value: string): string {
  return value.replace(UNPRINTABLE, '?');
}

/**
 * A timestamp for tables and messages: ISO 8601 in UTC to the second
 * (`2025-01-31T12:00:00Z`), or `empty` for `null`.
 */
export function formatTimestamp(date: Date | null, empty: string): string {
  return date === null ? empty : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Renders rows as a plain-text table: a header line, then one line per row,
 * columns left-aligned and separated by two spaces, no trailing spaces.
 * Cells go through {@link printable}. The text ends with a newline.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [headers, ...rows].map((row) => headers.map((_, column) => printable(row[column] ?? '')));
  const widths = headers.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  return lines
    .map((line) => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd())
    .join('\n')
    .concat('\n');
}
