const HOUR_MS = 60 * 60 * 1000;

/** The grace periods "Roll key" offers: the `grace` radio values and their labels, "none" first. */
export const GRACE_PERIODS: ReadonlyArray<readonly [value: string, label: string]> = [
  ['none', 'No grace period: the old key stops now'],
  ['1h', '1 hour'],
  ['24h', '24 hours'],
  ['7d', '7 days'],
];

const GRACE_MS: Readonly<Record<string, number>> = { none: 0, '1h': HOUR_MS, '24h': 24 * HOUR_MS, '7d': 7 * 24 * HOUR_MS };

/**
 * The grace period a "Roll key" form asks for, in milliseconds, or
 * `undefined` for anything but exactly one of the offered values.
 */
export function readGracePeriod(form: URLSearchParams): number | undefined {
  const values = form.getAll('grace');
  const value = values.length === 1 ? values[0] : undefined;
  return value !== undefined && Object.hasOwn(GRACE_MS, value) ? GRACE_MS[value] : undefined;
}
