import type { GraphQLFieldConfig, GraphQLFieldResolver } from 'graphql';
import { dynamicScope } from '../requirements/dynamic-scope';
import { GUARD_PROBE } from './guard-marks';
import type { FieldRequirement } from '../requirements/field-requirement';
import type { RequiredScopeResolver } from '../requirements/scope-enforcement';
import { dynamicGuardResolver, guardResolver, type PrincipalGetter } from './guard-resolver';
import { guardSubscribe, guardSubscriptionField, liveScopeCheck, type SelectionJudgeFor, throwIfRefused } from './guard-subscription';
import { singleScope } from '../requirements/scope-expression';

/**
 * The `subscribe` and `resolve` of a scoped subscription field whose scope a
 * dynamic `requiredScope` may replace: `subscribe` works the scope out from
 * the subscription's arguments and context, checks it, and re-checks it for
 * the caller's current credential before every event (as
 * `guardSubscriptionField` does for a static scope); `resolve` checks each
 * event's payload as any dynamic field does. `selectionJudge` adds a
 * per-event judge of the fields below the root (field mode's `lostScopeJudge`).
 */
export function dynamicSubscriptionField<TSource, TContext, TArgs>(
  fieldConfig: GraphQLFieldConfig<TSource, TContext, TArgs>,
  requirement: FieldRequirement,
  requiredScope: RequiredScopeResolver,
  getPrincipal: PrincipalGetter,
  selectionJudge: SelectionJudgeFor = () => null,
): { subscribe: GraphQLFieldResolver<TSource, TContext, TArgs>; resolve: GraphQLFieldResolver<TSource, TContext, TArgs> } {
  // An expression is static: `requiredScope` replaces single scopes only.
  const directiveScope = requirement.scope;
  if (directiveScope === undefined) return guardSubscriptionField(fieldConfig, requirement, getPrincipal, selectionJudge);
  const resolve = dynamicGuardResolver(fieldConfig.resolve, requirement, requiredScope, getPrincipal);
  return {
    subscribe: function scopedSubscribe(source, args, context, info) {
      const input = { coordinate: requirement.coordinate, scope: directiveScope, args: args as Record<string, unknown>, context };
      const scope = dynamicScope(requirement, directiveScope, requiredScope(input));
      const subscribe = guardResolver(fieldConfig.subscribe, scope, getPrincipal);
      return guardSubscribe(subscribe, () => liveScopeCheck(() => getPrincipal(context), singleScope(scope), selectionJudge(context, info)))(source, args, context, info);
    },
    resolve: function scopedResolver(source, args, context, info) {
      if (context === GUARD_PROBE) return scopedResolver;
      throwIfRefused(source);
      return resolve(source, args, context, info);
    },
  };
}
