import type { ScopeCatalog } from './scope-catalog';

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Renders a catalogue as drf-scoped-permissions' `manage.py list_scopes`
 * prints it, ending with the same `Total:` line:
 *
 * ```
 * Available API Scopes:
 *
 * posts:
 *   - posts.read
 *   - posts.write
 *   - posts.delete
 *   - posts.publish
 *
 * Total: 1 resource, 4 scopes
 * ```
 *
 * Resources are separated by a blank line. The text ends with a newline.
 */
export function formatScopes(catalog: ScopeCatalog): string {
  const blocks = catalog.resources.map(
    ({ resource, scopes }) => `${resource}:\n${scopes.map(({ scope }) => `  - ${scope}`).join('\n')}\n`,
  );
  const scopeCount = catalog.resources.reduce((sum, { scopes }) => sum + scopes.length, 0);
  const total = `Total: ${count(catalog.resources.length, 'resource')}, ${count(scopeCount, 'scope')}\n`;
  return `Available API Scopes:\n\n${[...blocks, total].join('\n')}`;
}
