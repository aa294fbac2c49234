import type { ImportApiKeyInput } from '../scope-store';

/** What one line of an import file gives: a key to import, or why the line is refused (never quoting a hash). */
export type ImportLine = { readonly ok: true; readonly input: ImportApiKeyInput } | { readonly ok: false; readonly reason: string };

// ISO 8601 with a time zone, as Django's `isoformat()` and `Date.toJSON()` write it (up to microseconds).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether the date and time fields name a real moment: `Date` rolls `02-31` over to March, `24:00` to the next day. */
function isCalendarDate(value: string): boolean {
  const fields = [value.slice(0, 4), value.slice(5, 7), value.slice(8, 10), value.slice(11, 13), value.slice(14, 16), value.slice(17, 19)].map(Number);
  const [year = NaN, month = NaN, day = NaN, hours = NaN, minutes = NaN, seconds = NaN] = fields;
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads the years 0–99 as 1900–1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hours, minutes, seconds);
  const back = [utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()];
  return back.every((field, index) => field === fields[index]);
}

/** The longest line an import file may have, in characters. */
export const MAX_IMPORT_LINE_LENGTH = 64 * 1024;

/** A date field: an ISO 8601 string with a time zone, or (when `nullable`) `null`/absent. */
export function readDate(record: Readonly<Record<string, unknown>>, field: string, nullable: boolean): Date | null | string {
  const value = record[field];
  if ((value === null || value === undefined) && nullable) return null;
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return `${field} must be an ISO 8601 date with a time zone${nullable ? ', or null' : ''}`;
  const date = new Date(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) || !isCalendarDate(value) ? `${field} is not a valid date` : date;
}

/** Parses a JSON line into an object, or says why it is not one. */
export function readObject(line: string): Readonly<Record<string, unknown>> | string {
  if (line.length > MAX_IMPORT_LINE_LENGTH) return `the line is longer than ${MAX_IMPORT_LINE_LENGTH} characters`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : 'not a JSON object';
}
