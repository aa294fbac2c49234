import { defaultFieldResolver, type GraphQLFieldResolver } from 'graphql';
import type { Principal } from '../principal/principal';
import { forbiddenError, unauthenticatedError } from '../errors/graphql-errors';
import { dynamicScope } from '../requirements/dynamic-scope';
import type { FieldRequirement } from '../requirements/field-requirement';
import type { RequiredScopeResolver } from '../requirements/scope-enforcement';
import { rateLimitOf } from '../rate-limit/scope-rate-limits';
import { satisfyingGrants } from '../scopes/match-scope';
import { GUARD_PROBE } from './guard-marks';

/** Reads the principal out of a GraphQL context. */
export type PrincipalGetter = (context: unknown) => Principal | null | undefined;

/** The default {@link PrincipalGetter}: `context.principal`. */
export const principalFromContext: PrincipalGetter = (context) =>
  context != null && typeof context === 'object' ? (context as { principal?: Principal | null }).principal : undefined;

/**
 * Wraps a resolver so that it runs only for a principal holding `scope`.
 * When the request's context carries rate limits (`createScopedContext`'s
 * `rateLimits`) and `scope` has one, the resolver runs once a unit of it is
 * used (one per operation), and the field is refused with `RATE_LIMITED` over
 * the limit, as it would be for a missing scope.
 *
 * The grants that satisfy `scope` are computed here, once, so each call is a
 * null check and at most four `Set.has` lookups. The wrapper returns the
 * resolver's value untouched (no promise of its own) and lets the
 * resolver's own errors through unchanged.
 *
 * @param resolve - The field's resolver. Default `defaultFieldResolver`.
 */
export function guardResolver<TSource, TContext, TArgs>(
  resolve: GraphQLFieldResolver<TSource, TContext, TArgs> | undefined,
  scope: string,
  getPrincipal: PrincipalGetter,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  const inner = (resolve ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  const grants = satisfyingGrants(scope);
  return function scopedResolver(source, args, context, info) {
    if (context === GUARD_PROBE) return scopedResolver;
    assertAllowed(getPrincipal(context), scope, grants);
    const limit = rateLimitOf(context);
    if (limit !== undefined && limit.limits(scope)) return limit.consume([scope], info).then(() => inner(source, args, context, info));
    return inner(source, args, context, info);
  };
}

/**
 * Throws unless `principal` may use a field that needs `scope`: `UNAUTHENTICATED`
 * when it is absent, anonymous or of a kind we never issue, `FORBIDDEN` when it
 * holds none of `grants` (the four grants that satisfy `scope`, from
 * `satisfyingGrants`). The one check of every field guard.
 */
function assertAllowed(principal: Principal | null | undefined, scope: string, grants: readonly [string, string, string, string]): void {
  // Absent, anonymous, or of a kind we never issue: not authenticated (fail closed).
  if (principal == null || (principal.kind !== 'apiKey' && principal.kind !== 'user' && principal.kind !== 'jwt')) {
    throw unauthenticatedError(`Authentication required: this field needs scope "${scope}".`, scope);
  }
  // `unrestricted` marks a legacy API key; on any other kind it grants nothing.
  if (principal.unrestricted === true && principal.kind === 'apiKey') return;
  const granted = principal.scopes;
  // A principal whose scopes are not a Set (a plain array, say) holds nothing: fail closed.
  if (typeof granted?.has !== 'function' || !(granted.has(grants[0]) || granted.has(grants[1]) || granted.has(grants[2]) || granted.has(grants[3]))) {
    throw forbiddenError(scope);
  }
}

/**
 * Like {@link guardResolver}, for a field whose scope `requiredScope` may
 * replace from the call's arguments and context. It costs one call of
 * `requiredScope` per resolved field, plus parsing the scope when it differs
 * from the directive's.
 */
export function dynamicGuardResolver<TSource, TContext, TArgs>(
  resolve: GraphQLFieldResolver<TSource, TContext, TArgs> | undefined,
  requirement: FieldRequirement,
  requiredScope: RequiredScopeResolver,
  getPrincipal: PrincipalGetter,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  const inner = (resolve ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  const staticGrants = satisfyingGrants(requirement.scope);
  const { coordinate } = requirement;
  return function scopedResolver(source, args, context, info) {
    if (context === GUARD_PROBE) return scopedResolver;
    const scope = dynamicScope(requirement, requiredScope({ coordinate, scope: requirement.scope, args: args as Record<string, unknown>, context }));
    assertAllowed(getPrincipal(context), scope, scope === requirement.scope ? staticGrants : satisfyingGrants(scope));
    const limit = rateLimitOf(context);
    if (limit !== undefined && limit.limits(scope)) return limit.consume([scope], info).then(() => inner(source, args, context, info));
    return inner(source, args, context, info);
  };
}
