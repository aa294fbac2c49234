import type { GraphQLResolveInfo } from 'graphql';
import { describeRequired, forbiddenError, UNAUTHENTICATED, unauthenticatedError } from '../errors/graphql-errors';
import { checkExecutingOperation, type DeniedSelection } from '../operation/check-operation';
import { clauseOfKey } from '../requirements/scope-expression';
import type { Principal } from '../principal/principal';
import { ReadOnlyScopeSet } from '../principal/read-only-set';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import type { PrincipalJudge } from './guard-subscription';

/** The key of a denial's clause: its scope, or its alternatives joined with `|` (`clauseKey`). */
function deniedKey(denied: DeniedSelection): string {
  return denied.requiredScope ?? (denied.anyOf ?? []).join('|');
}

/** An authenticated principal without a scope: every clause a selection needs is denied to it. */
const HOLDS_NOTHING: Principal = Object.freeze({ kind: 'apiKey', scopes: new ReadOnlyScopeSet([]) });

/**
 * The per-event judge of a field-mode subscription's whole selection. The
 * field guards judge each event with the principal in the context, the one
 * from subscribe time, so without this a key narrowed or revoked since kept
 * receiving the fields below the root. It refuses an event when the caller's
 * current credential is gone, or lacks a scope that the selection needs and
 * that the caller held when it subscribed (ending the stream: a field cannot
 * be made `null` after the fact). Scopes the caller never held stay partial
 * results, as in any field-mode response.
 *
 * Returns `null` when the selection needs no scope the subscriber held, so
 * nothing can be lost. Each event costs a cached plan lookup, and nothing
 * while the credential's principal is unchanged.
 *
 * @param subscriber - The principal in the context at subscribe time.
 */
export function lostScopeJudge(
  enforcements: readonly ScopeEnforcement[],
  info: GraphQLResolveInfo,
  context: unknown,
  subscriber: Principal | null | undefined,
): PrincipalJudge | null {
  const check = (principal: Principal | null | undefined) =>
    checkExecutingOperation(info, enforcements, principal, context);
  const initial = check(subscriber);
  // Clauses by key (`clauseKey`): a scope, or `a|b` for a choice.
  const missing = new Set(initial.denied.map(deniedKey));
  let [held] = [...initial.required, ...initial.anyOf.map((choice) => choice.join('|'))].filter((key) => !missing.has(key));
  // `anyOf` leaves out a choice that a sure scope meets: with that scope missing, the subscriber may still meet the
  // choice through another of its scopes. Every clause the selection needs is denied to a principal that holds nothing.
  if (held === undefined && missing.size > 0) held = check(HOLDS_NOTHING).denied.map(deniedKey).find((key) => !missing.has(key));
  if (held === undefined) return null;
  const heldClause = clauseOfKey(held);
  return (current) => {
    if (current === null) return unauthenticatedError(`The credential of this subscription is no longer valid; its selection needs ${describeRequired(heldClause)}.`, heldClause);
    if (current === subscriber) return null;
    const lost = check(current).denied.find((denied) => !missing.has(deniedKey(denied)));
    if (lost === undefined) return null;
    const lostClause = clauseOfKey(deniedKey(lost));
    return lost.code === UNAUTHENTICATED ? unauthenticatedError(`Authentication required: this subscription needs ${describeRequired(lostClause)}.`, lostClause) : forbiddenError(lostClause);
  };
}
