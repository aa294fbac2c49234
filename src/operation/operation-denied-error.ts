import { GraphQLError } from 'graphql';
import { FORBIDDEN, UNAUTHENTICATED } from '../errors/graphql-errors';
import type { OperationCheck } from './check-operation';

/** What a check's denials lack: scopes needed for sure, and choices of which none is held. */
export interface MissingScopes {
  /** The missing scopes, without duplicates, in the order the denied selections come. */
  readonly scopes: readonly string[];
  /**
   * The unmet choices (`anyOf`): any one scope of each would do, so none is
   * claimed to be needed. A choice that a missing scope meets is left out.
   */
  readonly anyOf: readonly (readonly string[])[];
}

/** The missing scopes of a check, and its unmet choices. */
export function missingScopesOf(check: OperationCheck): MissingScopes {
  const scopes = new Set<string>();
  const choices = new Map<string, readonly string[]>();
  for (const denied of check.denied) {
    if (denied.requiredScope !== undefined) scopes.add(denied.requiredScope);
    else if (denied.anyOf !== undefined) choices.set(denied.anyOf.join('|'), denied.anyOf);
  }
  const anyOf = [...choices.values()].filter((choice) => !choice.some((scope) => scopes.has(scope)));
  return { scopes: [...scopes], anyOf };
}

/** The missing scopes of a check, without duplicates, in the order the denied selections come (unmet choices left out: see {@link missingScopesOf}). */
export function missingScopes(check: OperationCheck): string[] {
  return [...missingScopesOf(check).scopes];
}

/** How the missing part reads: `scopes "a", "b" and one of "c", "d"`. */
function describeMissing({ scopes, anyOf }: MissingScopes): string {
  const parts: string[] = [];
  if (scopes.length > 0) parts.push(`scope${scopes.length === 1 ? '' : 's'} ${scopes.map((scope) => `"${scope}"`).join(', ')}`);
  for (const choice of anyOf) parts.push(`one of the scopes ${choice.map((scope) => `"${scope}"`).join(', ')}`);
  return parts.join(' and ');
}

/**
 * The one error that refuses a whole operation: `UNAUTHENTICATED` (401) when
 * any denial is for want of a principal, else `FORBIDDEN` (403).
 * `extensions.missingScopes` lists every missing scope and
 * `extensions.requiredScope` is the first, as a field error names its one.
 * Unmet choices (`@scope(anyOf: …)`) are in `extensions.missingAnyOf`, each
 * a list of alternatives of which any one would do; it is absent when there
 * are none.
 */
export function operationDeniedError(check: OperationCheck): GraphQLError {
  const missing = missingScopesOf(check);
  const unauthenticated = check.denied.some((denied) => denied.code === UNAUTHENTICATED);
  const message = unauthenticated ? `Authentication required: this operation needs ${describeMissing(missing)}.` : `Missing required ${describeMissing(missing)}.`;
  return new GraphQLError(message, {
    extensions: {
      code: unauthenticated ? UNAUTHENTICATED : FORBIDDEN,
      ...(missing.scopes.length > 0 ? { requiredScope: missing.scopes[0] } : {}),
      missingScopes: [...missing.scopes],
      ...(missing.anyOf.length > 0 ? { missingAnyOf: missing.anyOf.map((choice) => [...choice]) } : {}),
      http: { status: unauthenticated ? 401 : 403 },
    },
  });
}
