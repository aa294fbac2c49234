import { STANDARD_ACTIONS } from '../../scopes/discover-scopes';

/** What the keys list shows for a key without scopes: a legacy key whose access `unscopedKeys` decides. */
export const UNRESTRICTED_LEGACY = 'Unrestricted (legacy)';

function actionRank(action: string): number {
  if (action === '*') return -1;
  const index = STANDARD_ACTIONS.indexOf(action);
  return index === -1 ? STANDARD_ACTIONS.length : index;
}

/**
 * Summarises grants per resource, as Django admin's list column would:
 * `['comments.read', 'posts.read', 'posts.write']` reads
 * `comments (read), posts (read, write)`. `posts.*` reads `posts (*)`, `*`
 * reads `* (all scopes)`, `*.read` reads `* (read)`, and no grants at all
 * read `Unrestricted (legacy)`.
 */
export function summarizeScopes(grants: readonly string[]): string {
  if (grants.length === 0) return UNRESTRICTED_LEGACY;
  const byResource = new Map<string, string[]>();
  let all = false;
  for (const grant of grants) {
    if (grant === '*') {
      all = true;
      continue;
    }
    const dot = grant.indexOf('.');
    const resource = dot === -1 ? grant : grant.slice(0, dot);
    const action = dot === -1 ? '' : grant.slice(dot + 1);
    const actions = byResource.get(resource) ?? [];
    actions.push(action);
    byResource.set(resource, actions);
  }
  const parts = [...byResource.keys()]
    .sort((a, b) => (a === '*' ? -1 : b === '*' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map((resource) => {
      const actions = (byResource.get(resource) ?? []).sort((a, b) => actionRank(a) - actionRank(b) || (a < b ? -1 : a > b ? 1 : 0));
      return `${resource} (${actions.join(', ')})`;
    });
  return [...(all ? ['* (all scopes)'] : []), ...parts].join(', ');
}
