import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** The pattern every resource and action name matches. */
export const SCOPE_NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;

/** The longest scope or grant string accepted anywhere, in characters. */
export const MAX_SCOPE_LENGTH = 128;

/** A scope split into its two parts. */
export interface ParsedScope {
  readonly resource: string;
  readonly action: string;
}

/** Whether `name` is a valid resource or action name. */
export function isScopeName(name: string): boolean {
  return typeof name === 'string' && name.length <= MAX_SCOPE_LENGTH && SCOPE_NAME_PATTERN.test(name);
}

/** What an error may show of a bad value: a capped string, or only its type (never a conversion that could throw). */
function shown(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_SCOPE_LENGTH) : typeof value;
}

/**
 * Joins a resource and an action into a scope (`posts` + `read` → `posts.read`),
 * checking both names.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` when a name breaks the grammar.
 */
export function formatScope(resource: string, action: string): string {
  for (const [part, value] of [['resource', resource], ['action', action]] as const) {
    if (!isScopeName(value)) {
      throw new ScopedPermissionsError(
        'ERR_INVALID_SCOPE',
        `Invalid ${part} name ${JSON.stringify(shown(value))}: names match ${SCOPE_NAME_PATTERN}.`,
        { details: { [part]: shown(value) } },
      );
    }
  }
  return `${resource}.${action}`;
}

/**
 * Splits a required scope (`posts.read`) into its parts. Wildcards are not
 * allowed in requirements.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` for anything but `resource.action`.
 */
export function parseScope(scope: string): ParsedScope {
  const parts = typeof scope === 'string' && scope.length <= MAX_SCOPE_LENGTH ? scope.split('.') : [];
  const [resource, action] = parts;
  if (parts.length !== 2 || resource === undefined || action === undefined || !isScopeName(resource) || !isScopeName(action)) {
    throw new ScopedPermissionsError('ERR_INVALID_SCOPE', `Invalid scope ${JSON.stringify(shown(scope))}: scopes read "resource.action".`, {
      details: { scope: shown(scope) },
    });
  }
  return { resource, action };
}

/** Whether `grant` is a valid grant: `resource.action`, `resource.*`, `*.action` or `*`. */
export function isGrant(grant: unknown): grant is string {
  if (typeof grant !== 'string' || grant.length > MAX_SCOPE_LENGTH) return false;
  if (grant === '*') return true;
  const parts = grant.split('.');
  if (parts.length !== 2) return false;
  const [resource = '', action = ''] = parts;
  if (resource === '*' && action === '*') return false;
  return (resource === '*' || isScopeName(resource)) && (action === '*' || isScopeName(action));
}

/**
 * Validates grants and returns them de-duplicated and sorted, ready to store.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` naming the first invalid grant.
 */
export function normalizeGrants(grants: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const grant of grants) {
    if (!isGrant(grant)) {
      throw new ScopedPermissionsError(
        'ERR_INVALID_SCOPE',
        `Invalid scope ${JSON.stringify(shown(grant))}: grants read "resource.action", "resource.*", "*.action" or "*".`,
        { details: { scope: shown(grant) } },
      );
    }
    out.add(grant);
  }
  return [...out].sort();
}
