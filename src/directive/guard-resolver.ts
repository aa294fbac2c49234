import { defaultFieldResolver, type GraphQLFieldResolver } from 'graphql';
import type { Principal } from '../principal/principal';
import { describeRequired, forbiddenError, unauthenticatedError } from '../errors/graphql-errors';
import { dynamicScope } from '../requirements/dynamic-scope';
import type { FieldRequirement } from '../requirements/field-requirement';
import type { RequiredScopeResolver } from '../requirements/scope-enforcement';
import { chargedScopes } from '../rate-limit/charged-scopes';
import { rateLimitOf } from '../rate-limit/scope-rate-limits';
import type { ScopeClauses } from '../requirements/scope-expression';
import { clauseGrants, satisfyingGrants } from '../scopes/match-scope';
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

/** One clause of a requirement with the grants that meet it, worked out once at transform time. */
export interface PreparedClause {
  readonly scopes: readonly string[];
  readonly grants: readonly string[];
}

/** The clauses of a requirement, each with its grants ({@link clauseGrants}). */
export function prepareClauses(allOf: ScopeClauses): readonly PreparedClause[] {
  return Object.freeze(allOf.map((scopes) => Object.freeze({ scopes, grants: clauseGrants(scopes) })));
}

/**
 * The first clause `principal` does not meet, `null` when it meets them
 * all, by the rules of the single-scope guard. Never called for an
 * unauthenticated principal.
 */
export function unmetClause(principal: Principal, clauses: readonly PreparedClause[]): PreparedClause | null {
  if (principal.unrestricted === true && principal.kind === 'apiKey') return null;
  const granted = principal.scopes;
  if (typeof granted?.has !== 'function') return clauses[0] ?? null;
  for (let index = 0; index < clauses.length; index += 1) {
    const clause = clauses[index] as PreparedClause;
    const { grants } = clause;
    let met = false;
    for (let at = 0; at < grants.length && !met; at += 1) met = granted.has(grants[at] as string);
    if (!met) return clause;
  }
  return null;
}

/** Whether `principal` is one we issue and authenticated (not absent, not anonymous). */
export function isAuthenticated(principal: Principal | null | undefined): principal is Principal {
  return principal != null && (principal.kind === 'apiKey' || principal.kind === 'user' || principal.kind === 'jwt');
}

/**
 * Wraps a resolver so that it runs only for a principal that meets every
 * clause of `allOf` (an expression: `@scope` repeated, or `anyOf`). Each
 * clause costs one `Set.has` per grant that meets it (four for one scope,
 * six for `posts.read | posts.moderate`), and no allocation. A single-scope
 * requirement should use {@link guardResolver}, whose check is unrolled.
 * A denial names the first unmet clause: `requiredScope` for one scope,
 * `anyOf` for alternatives.
 */
export function expressionGuardResolver<TSource, TContext, TArgs>(
  resolve: GraphQLFieldResolver<TSource, TContext, TArgs> | undefined,
  allOf: ScopeClauses,
  getPrincipal: PrincipalGetter,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  const inner = (resolve ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  const clauses = prepareClauses(allOf);
  const sureScopes = allOf.filter((clause) => clause.length === 1).map((clause) => clause[0] as string);
  const choices = allOf.filter((clause) => clause.length > 1);
  return function scopedResolver(source, args, context, info) {
    if (context === GUARD_PROBE) return scopedResolver;
    const principal = getPrincipal(context);
    if (!isAuthenticated(principal)) {
      const first = clauses[0] as PreparedClause;
      throw unauthenticatedError(`Authentication required: this field needs ${describeRequired(first.scopes)}.`, first.scopes);
    }
    const unmet = unmetClause(principal, clauses);
    if (unmet !== null) throw forbiddenError(unmet.scopes);
    // Rate limits: the scopes the expression needs for sure, and the limited scope each choice is met with (`chargedScopes`).
    const limit = rateLimitOf(context);
    if (limit === undefined) return inner(source, args, context, info);
    const charged = choices.length === 0 ? sureScopes : chargedScopes(limit, sureScopes, choices, principal);
    if (limit.limitsAny(charged)) return limit.consume(charged, info).then(() => inner(source, args, context, info));
    return inner(source, args, context, info);
  };
}

/** The guard of a static requirement: {@link guardResolver} for one scope, {@link expressionGuardResolver} for an expression. */
export function requirementGuard<TSource, TContext, TArgs>(
  resolve: GraphQLFieldResolver<TSource, TContext, TArgs> | undefined,
  requirement: FieldRequirement,
  getPrincipal: PrincipalGetter,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  return requirement.scope !== undefined ? guardResolver(resolve, requirement.scope, getPrincipal) : expressionGuardResolver(resolve, requirement.allOf, getPrincipal);
}

/**
 * Like {@link guardResolver}, for a field whose scope `requiredScope` may
 * replace from the call's arguments and context (a single-scope
 * requirement; an expression is static, {@link expressionGuardResolver}). It costs one call of
 * `requiredScope` per resolved field, plus parsing the scope when it differs
 * from the directive's.
 */
export function dynamicGuardResolver<TSource, TContext, TArgs>(
  resolve: GraphQLFieldResolver<TSource, TContext, TArgs> | undefined,
  requirement: FieldRequirement,
  requiredScope: RequiredScopeResolver,
  getPrincipal: PrincipalGetter,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  // An expression is static: `requiredScope` replaces single scopes only.
  if (requirement.scope === undefined) return expressionGuardResolver(resolve, requirement.allOf, getPrincipal);
  const inner = (resolve ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  const directiveScope = requirement.scope;
  const staticGrants = satisfyingGrants(directiveScope);
  const { coordinate } = requirement;
  return function scopedResolver(source, args, context, info) {
    if (context === GUARD_PROBE) return scopedResolver;
    const scope = dynamicScope(requirement, directiveScope, requiredScope({ coordinate, scope: directiveScope, args: args as Record<string, unknown>, context }));
    assertAllowed(getPrincipal(context), scope, scope === directiveScope ? staticGrants : satisfyingGrants(scope));
    const limit = rateLimitOf(context);
    if (limit !== undefined && limit.limits(scope)) return limit.consume([scope], info).then(() => inner(source, args, context, info));
    return inner(source, args, context, info);
  };
}
