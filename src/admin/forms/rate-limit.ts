import { assertRateLimit } from '../../store/store-input';
import { type FieldResult, readText, validate } from './form-fields';

/** The field's `maxlength`, in characters: a valid rate is at most 17 (a count up to 10 digits, `/` and a unit); the store keeps at most 32. A longer value sent anyway gets the parser's error. */
export const RATE_LIMIT_MAX_LENGTH = 32;

/** What the "Rate limit" field holds: the text as typed (re-shown on errors) and the checked rate, `null` for none. */
export interface RateLimitInput {
  /** The text as typed, trimmed. */
  readonly typed: string;
  /** The rate string to store (`'1000/hour'`), `null` for no limit; or the error to show next to the field. */
  readonly rateLimit: FieldResult<string | null>;
}

/**
 * Reads the optional "Rate limit" field (`rateLimit`): blank means no
 * limit; anything else must be a rate the store accepts (`assertRateLimit`,
 * which reads it with `parseRate`: `'1000/hour'`), else the parser's own
 * error, which names the accepted units. Surrounding spaces are dropped;
 * nothing else is corrected.
 */
export function readRateLimit(form: URLSearchParams): RateLimitInput {
  const field = readText(form, 'rateLimit');
  if (!field.ok) return { typed: '', rateLimit: field };
  const typed = field.value.trim();
  if (typed === '') return { typed, rateLimit: { ok: true, value: null } };
  return { typed, rateLimit: validate(() => assertRateLimit(typed)) };
}
