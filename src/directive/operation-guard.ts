import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLFieldResolver, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { checkExecutingOperation, type OperationCheck } from '../operation/check-operation';
import { operationDeniedError } from '../operation/operation-denied-error';
import type { Principal } from '../principal/principal';
import { rateLimitOf } from '../rate-limit/scope-rate-limits';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { guardSubscribe, liveCheck, throwIfRefused } from './guard-subscription';

/** One execution's check, remembered for the root fields that follow. */
interface Checked {
  readonly context: unknown;
  readonly operation: OperationDefinitionNode;
  readonly principal: Principal | null | undefined;
  readonly check: OperationCheck;
}

/**
 * The per-operation memo of one transform, keyed by the execution's coerced
 * variables object: graphql-js builds a fresh one for each execution (and
 * for each event of a subscription), and every root field of an execution
 * sees the same one. An entry serves only the same context, operation and
 * principal, so executions that share a context are still told apart.
 */
export type OperationMemo = WeakMap<object, Checked>;

/** Creates the memo that the root-field guards of one transform share. */
export function createOperationMemo(): OperationMemo {
  return new WeakMap();
}

/**
 * The check of the operation `info` belongs to, run at the first root field
 * of an execution and remembered for the others. The operation's plan is
 * cached per document (see `planOperation`), so even the first root field
 * costs only a few lookups once a document has been seen.
 */
function checkOnce(memo: OperationMemo, enforcements: readonly [ScopeEnforcement], context: unknown, info: GraphQLResolveInfo): OperationCheck {
  const principal = enforcements[0].getPrincipal(context);
  const remembered = memo.get(info.variableValues);
  if (remembered !== undefined && remembered.context === context && remembered.operation === info.operation && remembered.principal === principal) {
    return remembered.check;
  }
  const check = checkExecutingOperation(info, enforcements, principal, context);
  // One root field (the common case, and always a subscription): nothing to remember.
  if (info.operation.selectionSet.selections.length > 1 || info.operation.selectionSet.selections[0]?.kind !== 'Field') {
    memo.set(info.variableValues, { context, operation: info.operation, principal, check });
  }
  return check;
}

/**
 * Wraps a root field's `resolve` or `subscribe` for `'operation'` mode: the
 * first root field resolved in an operation checks the whole operation
 * (`checkOperation`), and if anything is denied every root field throws one
 * error listing every missing scope, before its resolver runs. Allowed calls
 * return the resolver's value untouched.
 *
 * @param resolve - The field's resolver. Default `defaultFieldResolver`.
 * @param enforcements - The transform's enforcement, in an array shared by all its guards.
 */
export function operationGuard<TSource, TContext, TArgs>(
  resolve: GraphQLFieldResolver<TSource, TContext, TArgs> | undefined,
  enforcements: readonly [ScopeEnforcement],
  memo: OperationMemo,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  const inner = (resolve ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  return function operationScopedResolver(source, args, context, info) {
    const check = checkOnce(memo, enforcements, context, info);
    if (!check.allowed) throw operationDeniedError(check);
    const limit = rateLimitOf(context);
    // Rate limits: every root field waits for the units of the whole operation, so none runs over a limit.
    if (limit !== undefined && limit.limitsAny(check.required)) return limit.consume(check.required, info).then(() => inner(source, args, context, info));
    return inner(source, args, context, info);
  };
}

/**
 * The `subscribe` and `resolve` of a Subscription root field in
 * `'operation'` mode:
 *
 * - `subscribe` checks the whole operation before the stream starts, then,
 *   before every event, checks it again for the caller's CURRENT credential
 *   (expiry; API keys revoked or narrowed, through the verifier's cache), the
 *   same per-event mechanism field mode uses (`liveCheck`); the first refused
 *   event ends the stream with one error listing every missing scope;
 * - `resolve` runs each event's check as any root field does.
 */
export function operationSubscriptionField<TSource, TContext, TArgs>(
  fieldConfig: GraphQLFieldConfig<TSource, TContext, TArgs>,
  enforcements: readonly [ScopeEnforcement],
  memo: OperationMemo,
): { subscribe: GraphQLFieldResolver<TSource, TContext, TArgs>; resolve: GraphQLFieldResolver<TSource, TContext, TArgs> } {
  const subscribe = operationGuard(fieldConfig.subscribe, enforcements, memo);
  const resolve = operationGuard(fieldConfig.resolve, enforcements, memo);
  return {
    subscribe: function operationScopedSubscribe(source, args, context, info) {
      const recheck = liveCheck(
        () => enforcements[0].getPrincipal(context),
        (current) => {
          const check = checkExecutingOperation(info, enforcements, current, context);
          return check.allowed ? null : operationDeniedError(check);
        },
      );
      return guardSubscribe(subscribe, () => recheck)(source, args, context, info);
    },
    resolve: function operationScopedResolver(source, args, context, info) {
      throwIfRefused(source);
      return resolve(source, args, context, info);
    },
  };
}
