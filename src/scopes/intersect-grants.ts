import { isGrant } from './scope-grammar';

/** One part of a grant: a name, or `*` for any. */
function intersectPart(a: string, b: string): string | null {
  if (a === '*') return b;
  if (b === '*' || a === b) return a;
  return null;
}

/** The parts of a grant (`*` alone is `*.*`), or `null` for what is not a valid grant. */
function partsOf(grant: string): readonly [string, string] | null {
  if (!isGrant(grant)) return null;
  if (grant === '*') return ['*', '*'];
  const dot = grant.indexOf('.');
  return [grant.slice(0, dot), grant.slice(dot + 1)];
}

function formatGrant(resource: string, action: string): string {
  return resource === '*' && action === '*' ? '*' : `${resource}.${action}`;
}

/** Whether grant `a` covers grant `b` (everything `b` grants, `a` grants too). */
function covers(a: readonly [string, string], b: readonly [string, string]): boolean {
  return (a[0] === '*' || a[0] === b[0]) && (a[1] === '*' || a[1] === b[1]);
}

/**
 * The grants held by both sets: a scope is granted by the result exactly
 * when some grant of `a` and some grant of `b` both grant it. Wildcards are
 * resolved part by part (`posts.*` ∩ `posts.read` = `posts.read`,
 * `posts.*` ∩ `*.read` = `posts.read`, `*` ∩ x = x), and a grant covered
 * by another result (`posts.read` beside `posts.*`) is left out.
 *
 * This is how an owner-bound API key is limited to its owner's scopes.
 * Entries that are not valid grants grant nothing and are dropped.
 *
 * @returns The grants, sorted.
 * @example
 * ```ts
 * intersectGrants(['posts.*', 'comments.read'], ['posts.read', '*.read']); // ['comments.read', 'posts.read']
 * ```
 */
export function intersectGrants(a: Iterable<string>, b: Iterable<string>): string[] {
  const left = [...a].map(partsOf).filter((parts) => parts !== null);
  const right = [...b].map(partsOf).filter((parts) => parts !== null);
  const found = new Map<string, readonly [string, string]>();
  for (const [resourceA, actionA] of left) {
    for (const [resourceB, actionB] of right) {
      const resource = intersectPart(resourceA, resourceB);
      const action = resource === null ? null : intersectPart(actionA, actionB);
      if (resource !== null && action !== null) found.set(formatGrant(resource, action), [resource, action]);
    }
  }
  const kept = [...found].filter(([grant, parts]) => ![...found].some(([other, wider]) => other !== grant && covers(wider, parts)));
  return kept.map(([grant]) => grant).sort();
}
