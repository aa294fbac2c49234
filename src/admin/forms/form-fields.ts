/** A text field's value, or the error to show next to it. */
export type FieldResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * The one value of a text field: `''` when absent, an error when sent more
 * than once (no browser does that; a forged form might).
 */
export function readText(form: URLSearchParams, name: string): FieldResult<string> {
  const values = form.getAll(name);
  if (values.length > 1) return { ok: false, error: 'This field was sent more than once.' };
  return { ok: true, value: values[0] ?? '' };
}

/** Runs a store validator (`assertKeyName`, `assertUserId`, …) and turns its error into a field error. */
export function validate<T>(check: () => T): FieldResult<T> {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'Invalid value.' };
  }
}
