import type { ScopeCatalog } from './scope-catalog';

/**
 * Renders a catalogue as the seed's `list_scopes` prints it:
 *
 * ```
 * Available API Scopes:
 *
 * posts:
 *   - posts.read
 *   - posts.write
 *   - posts.delete
 *   - posts.publish
 * ```
 *
 * Resources are separated by a blank line. The text ends with a newline.
 */
export function formatScopes(catalog: ScopeCatalog): string {
  const blocks = catalog.resources.map(
    ({ resource, scopes }) => `${resource}:\n${scopes.map(({ scope }) => `  - ${scope}`).join('\n')}\n`,
  );
  return `Available API Scopes:\n\n${blocks.join('\n')}`;
}
