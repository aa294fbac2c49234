/** The mutation-name words that make a mutation default to the `delete` action. */
export const DEFAULT_DELETE_VERBS: readonly string[] = Object.freeze(['delete', 'remove', 'destroy']);

/**
 * Whether a mutation named `fieldName` defaults to `delete`: its name starts
 * with one of `verbs`, followed by the end of the name, `_`, a capital or a
 * digit.
 */
export function isDeleteName(fieldName: string, verbs: readonly string[]): boolean {
  return verbs.some((verb) => {
    if (!fieldName.startsWith(verb)) return false;
    const next = fieldName.charAt(verb.length);
    return next === '' || next === '_' || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9');
  });
}
