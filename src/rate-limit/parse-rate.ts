import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** A rate: `points` allowed per window of `durationMs` milliseconds. */
export interface Rate {
  /** How many consumptions one key may make per window: an integer from 1 to {@link MAX_RATE_POINTS}. */
  readonly points: number;
  /** The window's length in milliseconds: 1000, 60000, 3600000 or 86400000. */
  readonly durationMs: number;
}

/** The most points a rate string may name per window. */
export const MAX_RATE_POINTS = 1_000_000_000;

/**
 * The units a rate string may use, as Django REST framework's throttles
 * spell them (`'10/minute'`, `'5/s'`, `'1000/day'`), with their lengths in
 * milliseconds.
 */
export const RATE_UNITS: Readonly<Record<string, number>> = Object.freeze({
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
});

const RATE = /^([1-9][0-9]{0,9})\/([a-z]{1,6})$/;

/**
 * Parses a rate string `<count>/<unit>`: a positive integer, a slash and one
 * of {@link RATE_UNITS} (`s`, `sec`, `second`, `m`, `min`, `minute`, `h`,
 * `hour`, `d`, `day`). Nothing else is accepted: no spaces, no plural, no
 * zero, no sign, no fraction, no exponent.
 *
 * @example
 * ```ts
 * parseRate('10/hour'); // { points: 10, durationMs: 3600000 }
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for anything
 *   else (`'0/hour'`, `'-1/min'`, `'1.5/s'`, `'10/fortnight'`), naming the units.
 */
export function parseRate(rate: string): Rate {
  const match = typeof rate === 'string' ? RATE.exec(rate) : null;
  const count = match === null ? NaN : Number(match[1]);
  const durationMs = match === null ? undefined : RATE_UNITS[match[2] as string];
  if (durationMs === undefined || !Object.hasOwn(RATE_UNITS, match?.[2] as string) || !(count <= MAX_RATE_POINTS)) {
    const shown = typeof rate === 'string' ? JSON.stringify(rate.slice(0, 40)) : typeof rate;
    throw new ScopedPermissionsError(
      'ERR_INVALID_OPTIONS',
      `Invalid rate ${shown}: write <count>/<unit>, with a count from 1 to ${MAX_RATE_POINTS} and a unit among ${Object.keys(RATE_UNITS).join(', ')} (for example '10/minute').`,
      { details: { option: 'rate' } },
    );
  }
  return { points: count, durationMs };
}
