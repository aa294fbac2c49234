import { defaultFieldResolver, type GraphQLFieldResolver } from 'graphql';
import type { Principal } from '../principal/principal';
import { forbiddenError, unauthenticatedError } from '../errors/graphql-errors';
import { dynamicScope } from '../requirements/dynamic-scope';
import type { FieldRequirement } from '../requirements/field-requirement';
import type { RequiredScopeResolver } from '../requirements/scope-enforcement';
import { satisfyingGrants } from '../scopes/match-scope';

/** Reads the principal out of a GraphQL context. */
export type PrincipalGetter = (context: unknown) => Principal | null | undefined;

/** The default {@link PrincipalGetter}: `context.principal`. */
export const principalFromContext: PrincipalGetter = (context) =>
  context != null && typeof context === 'object' ? (context as { principal?: Principal | null }).principal : undefined;

/**
 * Wraps a resolver so that it runs only for a principal holding `scope`.
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
  const [exact, anyAction, anyResource, everything] = satisfyingGrants(scope);
  return function scopedResolver(source, args, context, info) {
    const principal = getPrincipal(context);
    // Absent, anonymous, or of a kind we never issue: not authenticated (fail closed).
    if (principal == null || (principal.kind !== 'apiKey' && principal.kind !== 'user' && principal.kind !== 'jwt')) {
      throw unauthenticatedError(`Authentication required: this field needs scope "${scope}".`, scope);
    }
    // `unrestricted` marks a legacy API key; on any other kind it grants nothing.
    if (principal.unrestricted !== true || principal.kind !== 'apiKey') {
      const granted = principal.scopes;
      // A principal whose scopes are not a Set (a plain array, say) holds nothing: fail closed.
      if (
        typeof granted?.has !== 'function' ||
        !(granted.has(exact) || granted.has(anyAction) || granted.has(anyResource) || granted.has(everything))
      ) {
        throw forbiddenError(scope);
      }
    }
    return inner(source, args, context, info);
  };
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
    const scope = dynamicScope(requirement, requiredScope({ coordinate, scope: requirement.scope, args: args as Record<string, unknown>, context }));
    const [exact, anyAction, anyResource, everything] = scope === requirement.scope ? staticGrants : satisfyingGrants(scope);
    const principal = getPrincipal(context);
    if (principal == null || (principal.kind !== 'apiKey' && principal.kind !== 'user' && principal.kind !== 'jwt')) {
      throw unauthenticatedError(`Authentication required: this field needs scope "${scope}".`, scope);
    }
    if (principal.unrestricted !== true || principal.kind !== 'apiKey') {
      const granted = principal.scopes;
      if (
        typeof granted?.has !== 'function' ||
        !(granted.has(exact) || granted.has(anyAction) || granted.has(anyResource) || granted.has(everything))
      ) {
        throw forbiddenError(scope);
      }
    }
    return inner(source, args, context, info);
  };
}
