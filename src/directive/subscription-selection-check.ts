import type { GraphQLResolveInfo } from 'graphql';
import { forbiddenError, UNAUTHENTICATED, unauthenticatedError } from '../errors/graphql-errors';
import { checkExecutingOperation } from '../operation/check-operation';
import type { Principal } from '../principal/principal';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import type { PrincipalJudge } from './guard-subscription';

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
  const missing = new Set(initial.denied.map((denied) => denied.requiredScope));
  const [held] = initial.required.filter((scope) => !missing.has(scope));
  if (held === undefined) return null;
  return (current) => {
    if (current === null) return unauthenticatedError(`The credential of this subscription is no longer valid; its selection needs scope "${held}".`, held);
    if (current === subscriber) return null;
    const lost = check(current).denied.find((denied) => !missing.has(denied.requiredScope));
    if (lost === undefined) return null;
    return lost.code === UNAUTHENTICATED ? unauthenticatedError(`Authentication required: this subscription needs scope "${lost.requiredScope}".`, lost.requiredScope) : forbiddenError(lost.requiredScope);
  };
}
