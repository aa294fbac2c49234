import { parseExpiryDate } from './dates';
import { readText } from './form-fields';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The expiry presets beside the date field: the `expiresIn` radio values, and their labels. */
export const EXPIRY_PRESETS: ReadonlyArray<readonly [value: string, label: string]> = [
  ['date', 'On the date'],
  ['30d', 'In 30 days'],
  ['90d', 'In 90 days'],
  ['365d', 'In 365 days'],
  ['never', 'Never'],
];

const PRESET_DAYS: Readonly<Record<string, number>> = { '30d': 30, '90d': 90, '365d': 365 };

/** What a form's expiry fields ask for. */
export type ExpiryChoice =
  /** The date field as it is: `expires` is compared with the stored expiry by the caller. */
  | { readonly kind: 'date'; readonly expires: string }
  /** A preset: the new expiry (`null` for never). */
  | { readonly kind: 'preset'; readonly expiresAt: Date | null }
  | { readonly kind: 'error'; readonly expires: string; readonly error: string };

/**
 * Reads the "Expires" date field and the preset radios (`expiresIn`: `date`,
 * `30d`, `90d`, `365d`, `never`). A form without the radios (a script, an
 * older page) means `date`. Any other value is refused.
 */
export function readExpiryChoice(form: URLSearchParams, nowMs: number): ExpiryChoice {
  const expires = readText(form, 'expires');
  const preset = readText(form, 'expiresIn');
  const typed = expires.ok ? expires.value : '';
  if (!expires.ok) return { kind: 'error', expires: typed, error: expires.error };
  if (!preset.ok) return { kind: 'error', expires: typed, error: preset.error };
  const choice = preset.value === '' ? 'date' : preset.value;
  if (choice === 'date') return { kind: 'date', expires: typed };
  if (choice === 'never') return { kind: 'preset', expiresAt: null };
  const days = Object.hasOwn(PRESET_DAYS, choice) ? PRESET_DAYS[choice] : undefined;
  if (days === undefined) return { kind: 'error', expires: typed, error: 'Pick one of the offered expiries.' };
  return { kind: 'preset', expiresAt: new Date(nowMs + days * DAY_MS) };
}

/**
 * The expiry a form asks for: a preset's, or the date field's (`null` when
 * empty), or an error message.
 */
export function chosenExpiry(choice: ExpiryChoice, nowMs: number): Date | null | { readonly error: string } {
  if (choice.kind === 'error') return { error: choice.error };
  if (choice.kind === 'preset') return choice.expiresAt;
  return parseExpiryDate(choice.expires, nowMs);
}
