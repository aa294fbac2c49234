import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { MAX_GRACE_PERIOD_MS } from '../store/store-input';

/** Milliseconds per unit of a relative expiry. */
const UNIT_MS: Readonly<Record<string, number>> = Object.freeze({
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
});

const RELATIVE = /^(\d{1,6})([dhm])$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

function invalid(value: string, rule: string, option = 'expires'): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `Invalid --${option} ${JSON.stringify(value.slice(0, 40))}: ${rule}.`, {
    details: { option },
  });
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function parseAbsolute(value: string): Date | null {
  const dateOnly = ISO_DATE.exec(value);
  const dateTime = dateOnly === null ? ISO_DATE_TIME.exec(value) : null;
  const match = dateOnly ?? dateTime;
  if (match === null) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', offsetHour = '0', offsetMinute = '0'] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(offsetHour) > 23 || Number(offsetMinute) > 59) return null;
  // A date alone is midnight UTC (ECMAScript's rule for date-only ISO strings).
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Parses the `--expires` option of `keys create` into the moment the key
 * stops working:
 *
 * - a duration from `now`: `90d` (days), `12h` (hours) or `30m` (minutes),
 *   at most six digits;
 * - an ISO 8601 date, `2026-01-31` (midnight UTC), or a date-time with an
 *   explicit offset, `2026-01-31T12:00:00Z` or `2026-01-31T12:00+02:00`.
 *
 * @param now - The current time; durations count from it.
 * @example
 * ```ts
 * parseExpiry('90d', new Date('2025-01-01T00:00:00Z')); // 2025-04-01T00:00:00.000Z
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for anything
 *   else, a zero duration, an impossible date (`2025-02-30`), or a moment
 *   that is not after `now`.
 */
export function parseExpiry(value: string, now: Date): Date {
  const trimmed = value.trim();
  const relative = RELATIVE.exec(trimmed);
  let expiresAt: Date | null;
  if (relative !== null) {
    const [, amount = '0', unit = 'd'] = relative;
    if (Number(amount) === 0) throw invalid(value, 'a duration must be at least 1');
    expiresAt = new Date(now.getTime() + Number(amount) * (UNIT_MS[unit] ?? 0));
  } else {
    expiresAt = parseAbsolute(trimmed);
  }
  if (expiresAt === null) {
    throw invalid(value, 'use a duration such as 90d, 12h or 30m, or an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z');
  }
  if (expiresAt.getTime() <= now.getTime()) throw invalid(value, 'the expiry must be in the future');
  return expiresAt;
}

/**
 * Parses the `--grace` option of `keys rotate` into milliseconds: `0` (the
 * old key stops at once), or a duration `24h`, `7d`, `30m` (at most six
 * digits, at most 365 days).
 *
 * @example
 * ```ts
 * parseGracePeriod('24h'); // 86400000
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` (`details.option` is `'grace'`) for anything else.
 */
export function parseGracePeriod(value: string): number {
  const trimmed = value.trim();
  if (/^0+$/.test(trimmed)) return 0;
  const relative = RELATIVE.exec(trimmed);
  const [, amount = '', unit = ''] = relative ?? [];
  const ms = Number(amount) * (UNIT_MS[unit] ?? Number.NaN);
  if (relative === null || !Number.isSafeInteger(ms)) throw invalid(value, 'use 0, or a duration such as 24h, 7d or 30m', 'grace');
  if (ms > MAX_GRACE_PERIOD_MS) throw invalid(value, 'a grace period is at most 365 days', 'grace');
  return ms;
}

/**
 * Parses the `--since` option of `audit` into a moment in the past: a
 * duration back from `now` (`7d`, `12h`, `30m`), or an ISO date or
 * date-time as `--expires` takes them.
 *
 * @example
 * ```ts
 * parseSince('7d', new Date('2025-01-08T00:00:00Z')); // 2025-01-01T00:00:00.000Z
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` (`details.option` is `'since'`) for anything else, or a moment after `now`.
 */
export function parseSince(value: string, now: Date): Date {
  const trimmed = value.trim();
  const relative = RELATIVE.exec(trimmed);
  const [, amount = '', unit = ''] = relative ?? [];
  const since = relative === null ? parseAbsolute(trimmed) : new Date(now.getTime() - Number(amount) * (UNIT_MS[unit] ?? Number.NaN));
  if (since === null || Number.isNaN(since.getTime())) {
    throw invalid(value, 'use a duration such as 7d, 12h or 30m, or an ISO date such as 2026-01-31', 'since');
  }
  if (since.getTime() > now.getTime()) throw invalid(value, 'the start must not be in the future', 'since');
  return since;
}
