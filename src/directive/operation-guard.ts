import {
  defaultFieldResolver,
  getNamedType,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { checkExecutingOperation, judgedAlike, type OperationCheck, refusedExecutingCheck } from '../operation/check-operation';
import { operationDeniedError } from '../operation/operation-denied-error';
import type { Principal } from '../principal/principal';
import { chargedScopes } from '../rate-limit/charged-scopes';
import { rateLimitOf, type RequestRateLimit } from '../rate-limit/scope-rate-limits';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { GUARD_PROBE } from './guard-marks';
import { guardSubscribe, liveCheck, throwIfRefused } from './guard-subscription';

/**
 * One execution's outcome, remembered for every root field that follows: the
 * error that refuses the operation (a denial, or what the check threw), or
 * `null` when the operation is allowed. A field of a nested root type
 * (`viewer: Query`, a payload's `query: Query`) is a root field too, and is
 * served from here as well.
 */
interface Checked {
  readonly context: unknown;
  readonly operation: OperationDefinitionNode;
  /** The principal judged; `undefined` with `threw`, which no principal changes. */
  readonly principal: Principal | null | undefined;
  /** Whether the check threw rather than judged. */
  readonly threw: boolean;
  readonly refusal: unknown;
  /** The scopes the operation uses units of (`chargedOf`): read from the check's plan when a request has rate limits. */
  required: readonly string[] | undefined;
  /** Whether a root field has thrown the refusal (or the rate limits' refusal). */
  reported: boolean;
}

/**
 * The per-operation memo of one transform, keyed by the execution's coerced
 * variables object: graphql-js builds a fresh one for each execution (and
 * for each event of a subscription), and every field of an execution sees
 * the same one. An entry serves only the same context and operation, so
 * executions that share a context are still told apart. A judgement serves
 * only a principal it judges alike; a check that threw serves any, since the
 * walk that threw never read the principal.
 */
export type OperationMemo = WeakMap<object, Checked>;

/** Creates the memo that the root-field guards of one transform share. */
export function createOperationMemo(): OperationMemo {
  return new WeakMap();
}

/**
 * The outcome of the operation `info` belongs to. The check runs at the
 * first root field of an execution and its outcome, whatever it is, is
 * remembered for the others: one walk per execution, however many root
 * fields (or nested root-type fields) the document selects, even when the
 * walk throws (a document past the walk's bounds, a dynamic `requiredScope`
 * that fails) or the plan is not cached (a dynamic `requiredScope`).
 */
function outcomeOf(memo: OperationMemo, enforcements: readonly [ScopeEnforcement], context: unknown, info: GraphQLResolveInfo): Checked {
  const principal = enforcements[0].getPrincipal(context);
  const remembered = memo.get(info.variableValues);
  if (remembered !== undefined && remembered.context === context && remembered.operation === info.operation && (remembered.threw || judgedAlike(remembered.principal, principal))) {
    return remembered;
  }
  let checked: Checked;
  try {
    // From a cached plan, or one walk of a small new document that allocates and caches nothing.
    const refused = refusedExecutingCheck(info, enforcements, principal, context);
    checked = { context, operation: info.operation, principal, threw: false, refusal: refused === null ? null : operationDeniedError(refused), required: undefined, reported: false };
  } catch (error) {
    checked = { context, operation: info.operation, principal: undefined, threw: true, refusal: error, required: undefined, reported: false };
  }
  // Only the guard of this one root field will ask (no other root field, no field of a root type below):
  // nothing to remember, which spares each such execution a `WeakMap` entry.
  if (!isSingleRootField(info)) memo.set(info.variableValues, checked);
  return checked;
}

/** The scopes an allowed operation uses units of: those it needs for sure, and the limited scope each of its choices is met with (`chargedScopes`). */
function chargedOf(limit: RequestRateLimit, check: OperationCheck, principal: Principal | null | undefined): readonly string[] {
  return principal == null || check.anyOf.length === 0 ? check.required : chargedScopes(limit, check.required, check.anyOf, principal);
}

/** Whether the schema has a field whose type is a root operation type (`viewer: Query`), by schema. */
const nestedRoots = new WeakMap<GraphQLSchema, boolean>();

function hasNestedRoots(schema: GraphQLSchema): boolean {
  let found = nestedRoots.get(schema);
  if (found === undefined) {
    const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((root) => root != null));
    found = Object.values(schema.getTypeMap()).some(
      (type) => (isObjectType(type) || isInterfaceType(type)) && Object.values(type.getFields()).some((field) => roots.has(getNamedType(field.type) as GraphQLObjectType)),
    );
    nestedRoots.set(schema, found);
  }
  return found;
}

/** Whether the execution's guards are asked once: the operation selects one root field, plainly, and no root type is reachable below it. */
function isSingleRootField(info: GraphQLResolveInfo): boolean {
  const { selections } = info.operation.selectionSet;
  return selections.length === 1 && selections[0]?.kind === Kind.FIELD && !hasNestedRoots(info.schema);
}

/**
 * Wraps a root field's `resolve` or `subscribe` for `'operation'` mode: the
 * first root field resolved in an operation checks the whole operation
 * (`checkOperation`). If anything is denied, that field throws one error
 * listing every missing scope, and every other root field of the execution
 * resolves to `null` without running its resolver (a non-null one throws the
 * same error, which ends the execution). One error per refused execution,
 * not one per root field: graphql-js spends tens of microseconds on each
 * error, and scans the document from its start to locate it, which for a
 * document of thousands of root fields would cost far more than the check.
 * Allowed calls return the resolver's value untouched.
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
    if (context === GUARD_PROBE) return operationScopedResolver;
    const outcome = outcomeOf(memo, enforcements, context, info);
    // `threw` first: a check may throw anything, `null` included, and that is never a pass.
    if (!outcome.threw && outcome.refusal === null) {
      const limit = rateLimitOf(context);
      if (limit === undefined) return inner(source, args, context, info);
      const required = (outcome.required ??= chargedOf(limit, checkExecutingOperation(info, enforcements, outcome.principal, context), outcome.principal));
      if (!limit.limitsAny(required)) return inner(source, args, context, info);
      // Rate limits: every root field waits for the units of the whole operation, so none runs over a limit;
      // a refusal is reported once, as a denial is.
      return limit.consume(required, info).then(
        () => inner(source, args, context, info),
        (error: unknown) => {
          if (outcome.reported && !isNonNullType(info.returnType)) return null;
          outcome.reported = true;
          throw error;
        },
      );
    }
    if (outcome.reported && !isNonNullType(info.returnType)) return null;
    outcome.reported = true;
    throw outcome.refusal;
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
      if (context === GUARD_PROBE) return operationScopedResolver;
      throwIfRefused(source);
      return resolve(source, args, context, info);
    },
  };
}
