import { defaultFieldResolver, type GraphQLError, type GraphQLFieldConfig, type GraphQLFieldResolver, type GraphQLResolveInfo } from 'graphql';
import { describeRequired, forbiddenError, internalError, overloadedError, storeUnavailableError, unauthenticatedError } from '../errors/graphql-errors';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { currentPrincipal } from '../principal/principal-liveness';
import type { Principal } from '../principal/principal';
import type { FieldRequirement } from '../requirements/field-requirement';
import type { ScopeClauses } from '../requirements/scope-expression';
import { GUARD_PROBE } from './guard-marks';
import { isAuthenticated, type PreparedClause, prepareClauses, type PrincipalGetter, requirementGuard, unmetClause } from './guard-resolver';

// graphql-js 16 maps each event of a subscription's source stream through
// `execute`, and an error thrown by the field's `resolve` only becomes an
// error in that one payload: the stream goes on. So the per-event check runs
// on the source stream itself. When it fails, the stream yields one last
// event, a refusal, whose `resolve` throws the typed error, and then ends
// (the source's `return()` is called, so its resources are freed).

/** The last event of a refused subscription: `resolve` throws its error. */
class SubscriptionRefusal {
  constructor(readonly error: GraphQLError) {
    Object.freeze(this);
  }
}

/** Checks the caller before an event; `null` lets the event through. Never throws. */
export type EventCheck = () => Promise<GraphQLError | null>;

/**
 * Turns a failure to re-check the caller into the error that ends the
 * stream: a store outage or overload as our 503s, anything else as a
 * generic 500. Never a pass.
 */
function checkFailure(error: unknown): GraphQLError {
  if (error instanceof ScopedPermissionsError && error.code === 'ERR_STORE_UNAVAILABLE') return storeUnavailableError();
  if (error instanceof ScopedPermissionsError && error.code === 'ERR_OVERLOADED') return overloadedError();
  return internalError();
}

/**
 * Judges the principal of a subscription as its credential stands now
 * (`null` once it is expired, revoked or deleted): the error that ends the
 * stream, or `null` to let the event through.
 */
export type PrincipalJudge = (current: Principal | null) => GraphQLError | null;

/** What judges the events of one subscription beyond its root field, from its context and `info` at subscribe time; `null` for nothing. */
export type SelectionJudgeFor = (context: unknown, info: GraphQLResolveInfo) => PrincipalJudge | null;

/**
 * A check to run before each event on the principal as its credential
 * stands NOW (see `currentPrincipal`): `judge` gets that principal, or
 * `null` once the credential is expired, revoked or deleted, and returns the
 * error that ends the stream, or `null` to let the event through. A store
 * that cannot answer gives `ERR_STORE_UNAVAILABLE`. The field guards and the
 * operation guards both build their per-event checks on it.
 *
 * @param readPrincipal - Reads the principal (from the subscription's context).
 */
export function liveCheck(readPrincipal: () => Principal | null | undefined, judge: PrincipalJudge): EventCheck {
  return async () => {
    let current: Principal | null;
    try {
      const principal = readPrincipal();
      current = principal == null ? null : await currentPrincipal(principal);
    } catch (error) {
      return checkFailure(error);
    }
    return judge(current);
  };
}

/**
 * The check a scoped subscription runs before each event, with the same
 * rules as the guard, on the principal as its credential stands NOW (see
 * {@link liveCheck}): an expired, revoked or deleted credential gives
 * `UNAUTHENTICATED`, narrowed scopes give `FORBIDDEN` (naming the first
 * clause no longer met), and a store that cannot answer gives
 * `ERR_STORE_UNAVAILABLE`.
 *
 * @param readPrincipal - Reads the principal (from the subscription's context).
 * @param allOf - The field's requirement (`[[scope]]` for one scope).
 * @param selection - Also judges the rest of the subscription's selection (field mode's `lostScopeJudge`).
 */
export function liveScopeCheck(readPrincipal: () => Principal | null | undefined, allOf: ScopeClauses, selection: PrincipalJudge | null = null): EventCheck {
  const clauses = prepareClauses(allOf);
  const first = (clauses[0] as PreparedClause).scopes;
  return liveCheck(readPrincipal, (current) => {
    if (current === null) return unauthenticatedError(`The credential of this subscription is no longer valid; the field needs ${describeRequired(first)}.`, first);
    if (!isAuthenticated(current)) return unauthenticatedError(`Authentication required: this field needs ${describeRequired(first)}.`, first);
    const unmet = unmetClause(current, clauses);
    if (unmet !== null) return forbiddenError(unmet.scopes);
    return selection === null ? null : selection(current);
  });
}

/**
 * Wraps a subscription's source stream so that `check` runs before every
 * event. A refused event is replaced by a refusal that
 * {@link throwIfRefused} turns into the typed error, after which the stream
 * ends and the source's `return()` has been called. `return()` and
 * `throw()` reach the source at once, even while it waits for an event.
 */
export function guardEventStream(stream: AsyncIterable<unknown>, check: EventCheck): AsyncIterableIterator<unknown> {
  const source = stream[Symbol.asyncIterator]();
  let finished = false;
  const end = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });

  async function closeSource(): Promise<void> {
    finished = true;
    try {
      await source.return?.();
    } catch {
      // The stream ends either way.
    }
  }

  return {
    async next(): Promise<IteratorResult<unknown>> {
      if (finished) return end();
      const result = await source.next();
      if (result.done === true) {
        finished = true;
        return result;
      }
      if (finished) return end(); // returned while this event was on its way
      let refusal: GraphQLError | null;
      try {
        refusal = await check();
      } catch (error) {
        refusal = checkFailure(error);
      }
      if (finished) return end();
      if (refusal === null) return result;
      await closeSource();
      return { done: false, value: new SubscriptionRefusal(refusal) };
    },
    async return(value?: unknown): Promise<IteratorResult<unknown>> {
      finished = true;
      return typeof source.return === 'function' ? source.return(value) : { done: true, value };
    },
    async throw(error?: unknown): Promise<IteratorResult<unknown>> {
      finished = true;
      if (typeof source.throw === 'function') return source.throw(error);
      await closeSource();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Throws the typed error of a refused subscription's last event; does nothing for any other source. */
export function throwIfRefused(source: unknown): void {
  if (source instanceof SubscriptionRefusal) throw source.error;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as Partial<AsyncIterable<unknown>> | null | undefined)?.[Symbol.asyncIterator] === 'function';
}

/**
 * Makes `subscribe` hand out a stream guarded by `checkFor(context, info)`,
 * or the stream as it is when that is `null`. What the original `subscribe`
 * returns is otherwise kept as it is (an error, a promise), so graphql-js
 * reports it as before.
 */
export function guardSubscribe<TSource, TContext, TArgs>(
  subscribe: GraphQLFieldResolver<TSource, TContext, TArgs>,
  checkFor: (context: TContext, info: GraphQLResolveInfo) => EventCheck | null,
): GraphQLFieldResolver<TSource, TContext, TArgs> {
  const guard = (result: unknown, context: TContext, info: GraphQLResolveInfo): unknown => {
    if (!isAsyncIterable(result)) return result;
    const check = checkFor(context, info);
    return check === null ? result : guardEventStream(result, check);
  };
  return function guardedSubscribe(source, args, context, info) {
    const result: unknown = subscribe(source, args, context, info);
    return result instanceof Promise ? result.then((resolved: unknown) => guard(resolved, context, info)) : guard(result, context, info);
  };
}

/**
 * The `subscribe` and `resolve` of a scoped subscription field:
 *
 * - `subscribe` checks the caller before the stream starts (as every guard
 *   does), then checks the caller's CURRENT credential before every event
 *   ({@link liveScopeCheck}): expiry, and for API keys revocation and
 *   narrowed scopes through the verifier's cache;
 * - the first refused event ends the stream with `UNAUTHENTICATED`,
 *   `FORBIDDEN` or `ERR_STORE_UNAVAILABLE` in its last payload;
 * - `resolve` also checks the principal in the context, as for any field.
 *
 * `selectionJudge` adds a per-event judge of the fields below the root
 * (field mode's `lostScopeJudge`).
 */
export function guardSubscriptionField<TSource, TContext, TArgs>(
  fieldConfig: GraphQLFieldConfig<TSource, TContext, TArgs>,
  requirement: FieldRequirement,
  getPrincipal: PrincipalGetter,
  selectionJudge: SelectionJudgeFor = () => null,
): { subscribe: GraphQLFieldResolver<TSource, TContext, TArgs>; resolve: GraphQLFieldResolver<TSource, TContext, TArgs> } {
  const subscribe = requirementGuard(fieldConfig.subscribe, requirement, getPrincipal);
  const resolve = requirementGuard(fieldConfig.resolve, requirement, getPrincipal);
  return {
    subscribe: guardSubscribe(subscribe, (context, info) => liveScopeCheck(() => getPrincipal(context), requirement.allOf, selectionJudge(context, info))),
    resolve: function scopedResolver(source, args, context, info) {
      if (context === GUARD_PROBE) return scopedResolver;
      throwIfRefused(source);
      return resolve(source, args, context, info);
    },
  };
}

/**
 * The `subscribe` and `resolve` of a Subscription root field without a
 * requirement, in field mode: the stream is handed out as it is, unless
 * `selectionJudge` finds scoped fields below the root that the caller holds;
 * then the caller's current credential is judged before every event, as for
 * a scoped root field, so a revoked or narrowed key stops receiving them.
 */
export function unscopedSubscriptionField<TSource, TContext, TArgs>(
  fieldConfig: GraphQLFieldConfig<TSource, TContext, TArgs>,
  getPrincipal: PrincipalGetter,
  selectionJudge: SelectionJudgeFor,
): { subscribe: GraphQLFieldResolver<TSource, TContext, TArgs>; resolve: GraphQLFieldResolver<TSource, TContext, TArgs> } {
  const subscribe = (fieldConfig.subscribe ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  const resolve = (fieldConfig.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<TSource, TContext, TArgs>;
  return {
    subscribe: guardSubscribe(subscribe, (context, info) => {
      const judge = selectionJudge(context, info);
      return judge === null ? null : liveCheck(() => getPrincipal(context), judge);
    }),
    resolve: function unscopedResolver(source, args, context, info) {
      if (context === GUARD_PROBE) return unscopedResolver;
      throwIfRefused(source);
      return resolve(source, args, context, info);
    },
  };
}
