import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { checkResolvedOperation, type OperationCheck } from '../operation/check-operation';
import { operationDeniedError } from '../operation/operation-denied-error';
import type { Principal } from '../principal/principal';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';

/** One operation's check, remembered for the root fields that follow. */
interface Checked {
  readonly operation: OperationDefinitionNode;
  readonly principal: Principal | null | undefined;
  readonly check: OperationCheck;
}

/** The per-operation memo of one enforcement: context → the execution's coerced variables object → check. */
type OperationMemo = WeakMap<object, WeakMap<object, Checked>>;

/** Creates the memo that the root-field guards of one transform share. */
export function createOperationMemo(): OperationMemo {
  return new WeakMap();
}

/**
 * The check of the operation `info` belongs to, run once and remembered per
 * context and execution, so every root field after the first costs two
 * `WeakMap` lookups. graphql-js coerces the variables into a fresh object for
 * each execution (and for each event of a subscription), so that object tells
 * executions apart even when they share a context. A context that is not an
 * object is checked at every root field.
 */
function checkOnce(memo: OperationMemo, enforcement: ScopeEnforcement, context: unknown, info: GraphQLResolveInfo): OperationCheck {
  const principal = enforcement.getPrincipal(context);
  const executions = context != null && typeof context === 'object' ? memo.get(context) : undefined;
  const remembered = executions?.get(info.variableValues);
  if (remembered !== undefined && remembered.operation === info.operation && remembered.principal === principal) return remembered.check;
  const check = checkResolvedOperation({
    schema: info.schema,
    operation: info.operation,
    fragments: info.fragments,
    variables: info.variableValues,
    enforcements: [enforcement],
    principal,
    contextValue: context,
  });
  if (context != null && typeof context === 'object') {
    let byExecution = executions;
    if (byExecution === undefined) {
      byExecution = new WeakMap();
      memo.set(context, byExecution);
    }
    byExecution.set(info.variableValues, { operation: info.operation, principal, check });
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
 */
export function operationGuard<TSource, TContext, TArgs>(
  resolve: GraphQLFieldResolver<TSource, TContext, TArgs> | undefined,
  enforcement: ScopeEnforcement,
  memo: OperationMemo,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  const inner = (resolve ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  return function operationScopedResolver(source, args, context, info) {
    const check = checkOnce(memo, enforcement, context, info);
    if (!check.allowed) throw operationDeniedError(check);
    return inner(source, args, context, info);
  };
}
