import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** The mutation-name words that make a mutation default to the `delete` action. */
export const DEFAULT_DELETE_VERBS: readonly string[] = Object.freeze(['delete', 'remove', 'destroy']);

// camelCase, PascalCase, snake_case, SCREAMING_CASE and acronyms:
// "bulkDeletePosts" → bulk Delete Posts, "HTTPDelete" → HTTP Delete, "POST_DELETE" → POST DELETE.
const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** The words of a GraphQL name, lower-cased: `bulkDeletePosts` → `['bulk', 'delete', 'posts']`. */
export function nameWords(name: string): string[] {
  return (name.match(WORD) ?? []).map((word) => word.toLowerCase());
}

/**
 * Checks `deleteVerbs` and splits each verb into its words, so a verb may
 * itself be several words (`hardDelete`).
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a verb with no word in it.
 */
export function deleteVerbWords(verbs: readonly string[]): readonly (readonly string[])[] {
  if (!Array.isArray(verbs)) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'deleteVerbs must be an array of words.', { details: { option: 'deleteVerbs' } });
  return verbs.map((verb) => {
    const words = typeof verb === 'string' ? nameWords(verb) : [];
    if (words.length === 0) {
      throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `deleteVerbs: ${JSON.stringify(String(verb).slice(0, 40))} holds no word.`, {
        details: { option: 'deleteVerbs' },
      });
    }
    return words;
  });
}

/**
 * Whether a mutation named `fieldName` defaults to `delete`: one of its
 * camel-case or snake-case words, in any position and any case, is a
 * delete verb (`deletePost`, `postDelete`, `bulkDeletePosts`, `DeletePost`,
 * `remove_comment`, `POST_DESTROY`). Longer words never count (`deleted`,
 * `undelete`, `removable`).
 *
 * @param verbs - Delete verbs as {@link deleteVerbWords} splits them; a
 *   multi-word verb matches the same words in a row.
 */
export function isDeleteName(fieldName: string, verbs: readonly (readonly string[])[]): boolean {
  const words = nameWords(fieldName);
  return verbs.some((verb) => words.some((_, start) => verb.every((word, offset) => words[start + offset] === word)));
}
