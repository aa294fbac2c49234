import type { Summary } from './stats';

/** One cell of a printed table. */
export type Cell = string | number;

function formatCell(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell) || Number.isInteger(cell)) return String(cell);
  const magnitude = Math.abs(cell);
  if (magnitude >= 1000) return cell.toFixed(0);
  if (magnitude >= 100) return cell.toFixed(1);
  if (magnitude >= 1) return cell.toFixed(2);
  return cell.toFixed(4);
}

/** Prints a left-aligned text table with a header row and a rule under it. */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const text = [header, ...rows.map((row) => row.map(formatCell))];
  const widths = header.map((_, column) => Math.max(...text.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header as string[]));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of text.slice(1)) console.log(line(row));
}

/** `median [p25..p75] (min..max)` of a summary, for a table cell. */
export function spread(summary: Summary): string {
  return `${formatCell(summary.median)} [${formatCell(summary.p25)}..${formatCell(summary.p75)}] (${formatCell(summary.min)}..${formatCell(summary.max)})`;
}

/** Rounds every number in a summary to `digits` significant digits, for the JSON line. */
export function roundSummary(summary: Summary, digits = 4): Summary {
  const round = (value: number): number => Number(value.toPrecision(digits));
  return {
    median: round(summary.median),
    p25: round(summary.p25),
    p75: round(summary.p75),
    min: round(summary.min),
    max: round(summary.max),
    n: summary.n,
  };
}

/**
 * Prints the script's result as ONE line of JSON. Call it last: the final
 * line of stdout is the machine-readable result (`run-all.ts` reads it).
 */
export function printResultLine(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}
