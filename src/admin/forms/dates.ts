/** The `YYYY-MM-DD` of a time, in UTC. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A time as the admin page shows it: `2026-11-26 01:51 UTC`, or `fallback` for none. */
export function formatTime(date: Date | null, fallback: string): string {
  if (date === null || Number.isNaN(date.getTime())) return fallback;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads an "Expires" date (`YYYY-MM-DD`, as `<input type="date">` sends it).
 * A key expires at 00:00 UTC of that day.
 *
 * @returns `null` for an empty field (never expires), the time, or an error message.
 */
export function parseExpiryDate(value: string, nowMs: number): Date | null | { readonly error: string } {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const match = DATE.exec(trimmed);
  if (match === null) return { error: 'Enter a date as YYYY-MM-DD, or leave the field empty for a key that never expires.' };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { error: `${trimmed} is not a date.` };
  }
  if (!(date.getTime() > nowMs)) return { error: 'Pick a date after today (UTC): a key with a past expiry would not work.' };
  return date;
}
