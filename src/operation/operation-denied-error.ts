import { GraphQLError } from 'graphql';
import { FORBIDDEN, UNAUTHENTICATED } from '../errors/graphql-errors';
import type { OperationCheck } from './check-operation';

/** The missing scopes of a check, without duplicates, in the order the denied selections come. */
export function missingScopes(check: OperationCheck): string[] {
  return [...new Set(check.denied.map((denied) => denied.requiredScope))];
}

/**
 * The one error that refuses a whole operation: `UNAUTHENTICATED` (401) when
 * any denial is for want of a principal, else `FORBIDDEN` (403).
 * `extensions.missingScopes` lists every missing scope and
 * `extensions.requiredScope` is the first, as a field error names its one.
 */
export function operationDeniedError(check: OperationCheck): GraphQLError {
  const missing = missingScopes(check);
  const unauthenticated = check.denied.some((denied) => denied.code === UNAUTHENTICATED);
  const list = missing.map((scope) => `"${scope}"`).join(', ');
  const message = unauthenticated
    ? `Authentication required: this operation needs scope${missing.length === 1 ? '' : 's'} ${list}.`
    : `Missing required scope${missing.length === 1 ? '' : 's'} ${list}.`;
  return new GraphQLError(message, {
    extensions: {
      code: unauthenticated ? UNAUTHENTICATED : FORBIDDEN,
      requiredScope: missing[0],
      missingScopes: missing,
      http: { status: unauthenticated ? 401 : 403 },
    },
  });
}
