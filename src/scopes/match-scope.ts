import type { Principal } from '../principal/principal';
import { parseScope } from './scope-grammar';

/**
 * The four grants that satisfy a required scope, most specific first:
 * `posts.read` is satisfied by `posts.read`, `posts.*`, `*.read` and `*`.
 *
 * The transformer computes this once per field at transform time, so the
 * per-call check is four `Set.has` lookups with no string work.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` when `required` is not `resource.action`.
 */
export function satisfyingGrants(required: string): readonly [string, string, string, string] {
  const { resource, action } = parseScope(required);
  return [required, `${resource}.*`, `*.${action}`, '*'];
}

/**
 * The grants that satisfy any one of `scopes` (an `anyOf` clause), without
 * repeats: `posts.read | posts.moderate` gives `posts.read`, `posts.*`,
 * `*.read`, `*`, `posts.moderate`, `*.moderate`. One scope gives its
 * {@link satisfyingGrants}. Checking a clause is then one `Set.has` per grant.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` when a scope is not `resource.action`.
 */
export function clauseGrants(scopes: readonly string[]): readonly string[] {
  if (scopes.length === 1) return satisfyingGrants(scopes[0] as string);
  return Object.freeze([...new Set(scopes.flatMap((scope) => satisfyingGrants(scope)))]);
}

/** Whether a set of grants contains one of `candidates` (see {@link satisfyingGrants} and {@link clauseGrants}). */
export function grantsInclude(granted: ReadonlySet<string>, candidates: readonly string[]): boolean {
  if (candidates.length === 4) return granted.has(candidates[0] as string) || granted.has(candidates[1] as string) || granted.has(candidates[2] as string) || granted.has(candidates[3] as string);
  for (let index = 0; index < candidates.length; index += 1) if (granted.has(candidates[index] as string)) return true;
  return false;
}

/**
 * Whether one grant satisfies one required scope. Pure.
 *
 * - `posts.read` grants `posts.read`.
 * - `posts.*` grants every action on `posts`.
 * - `*.read` grants `read` on every resource.
 * - `*` grants everything.
 *
 * An invalid grant grants nothing.
 *
 * @example
 * ```ts
 * matchScope('posts.*', 'posts.publish'); // true
 * matchScope('*.read', 'posts.write');    // false
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` when `required` is not `resource.action` (wildcards are never requirements).
 */
export function matchScope(granted: string, required: string): boolean {
  return satisfyingGrants(required).includes(granted);
}

/**
 * Whether a principal holds `scope`, directly or through a wildcard, or is a
 * legacy unrestricted API key. Anonymous principals, and principals of any
 * kind other than `apiKey`, `user` and `jwt`, hold nothing.
 *
 * Pass the `Scope` type that `scopes --format ts` generates to make a typo
 * a compile error: `hasScope<Scope>(principal, 'posts.read')`.
 *
 * @typeParam Scope - The scopes accepted: any string by default.
 * @example
 * ```ts
 * if (!hasScope(context.principal, 'posts.publish')) throw forbidden();
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` when `scope` is not `resource.action`.
 */
export function hasScope<Scope extends string = string>(principal: Principal | null | undefined, scope: Scope): boolean {
  return principalAccess(principal, satisfyingGrants(scope)) === 'granted';
}

/**
 * What a principal may do with a required scope, given its satisfying
 * grants (see {@link satisfyingGrants}, {@link clauseGrants}), by the rules the guard applies:
 * `'unauthenticated'` for no principal, an anonymous one or one of a kind we
 * never issue; `'granted'` for a legacy unrestricted API key or a matching
 * grant; `'forbidden'` otherwise, including scopes that are not a set.
 */
export function principalAccess(
  principal: Principal | null | undefined,
  candidates: readonly string[],
): 'granted' | 'forbidden' | 'unauthenticated' {
  if (!principal || (principal.kind !== 'apiKey' && principal.kind !== 'user' && principal.kind !== 'jwt')) return 'unauthenticated';
  if (principal.unrestricted === true && principal.kind === 'apiKey') return 'granted';
  // Scopes that are not a Set (a plain array, say) grant nothing: fail closed, as the directive does.
  return typeof principal.scopes?.has === 'function' && grantsInclude(principal.scopes, candidates) ? 'granted' : 'forbidden';
}
