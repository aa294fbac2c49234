import type { DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { principalFromContext } from '../directive/guard-resolver';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { checkResolvedOperation, type OperationCheck } from '../operation/check-operation';
import { operationDeniedError } from '../operation/operation-denied-error';
import { coerceVariables, enforcementsOf, fragmentsOf, selectOperation } from '../operation/operation-source';
import type { Principal } from '../principal/principal';

/** `reject` refuses a denied operation before execution; `report` only reports it (a dry run). */
export type OperationCheckMode = 'reject' | 'report';

/** What a server adapter knows of an operation about to run. */
export interface OperationAtEdge<TContext> {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  /** The operation the server already picked, when it did (Apollo); else it is picked by `operationName`. */
  readonly operation?: OperationDefinitionNode | undefined;
  /** The fragments of `document`, when the server has them indexed. */
  readonly fragments?: Readonly<Record<string, FragmentDefinitionNode>> | undefined;
  readonly operationName?: string | null | undefined;
  /** The variables as the client sent them (not yet coerced). */
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  readonly contextValue: TContext;
}

/** A denied operation: the full check, the caller, and the one error that refuses it. */
export interface OperationDenial {
  /** The operation's name, `null` for an anonymous one. */
  readonly operationName: string | null;
  readonly check: OperationCheck;
  readonly principal: Principal | null | undefined;
  /** `UNAUTHENTICATED` (401) or `FORBIDDEN` (403), with every missing scope in `extensions.missingScopes`. */
  readonly error: GraphQLError;
}

/**
 * Decides whether a whole operation may run, before any resolver does: the
 * one decision behind `operationScopePlugin` (Apollo Server) and
 * `useScopedPermissions` (Envelop, Yoga, Hive Gateway).
 *
 * Returns `null` when the operation is allowed, or when the decision is
 * left to execution: variables that do not coerce (execution refuses them
 * before any resolver runs), and, in `report` mode, any check that throws
 * (a dry run never changes an answer). In `reject` mode such a failure is
 * thrown, so the adapter's server answers it.
 *
 * @param getPrincipal - Reads the caller from the context. Default: the
 *   schema's own (`scopeDirective`'s `getPrincipal`), else `context.principal`.
 */
export function decideOperation<TContext>(
  input: OperationAtEdge<TContext>,
  mode: OperationCheckMode,
  getPrincipal?: (context: TContext) => Principal | null | undefined,
): OperationDenial | null {
  const { schema, document, contextValue } = input;
  const enforcements = enforcementsOf(schema);
  let principal: Principal | null | undefined;
  let check: OperationCheck;
  let operation: OperationDefinitionNode;
  try {
    const selected =
      input.operation === undefined ? selectOperation(document, input.operationName) : { operation: input.operation, fragments: input.fragments ?? fragmentsOf(document) };
    operation = selected.operation;
    principal = (getPrincipal ?? (enforcements[0]?.getPrincipal as typeof getPrincipal) ?? principalFromContext)(contextValue);
    let variables: Readonly<Record<string, unknown>>;
    try {
      variables = coerceVariables(schema, operation, input.variables ?? {});
    } catch (error) {
      // Execution refuses these variables itself, before any resolver runs.
      if (error instanceof ScopedPermissionsError && error.code === 'ERR_INVALID_OPERATION') return null;
      throw error;
    }
    check = checkResolvedOperation({ schema, operation, fragments: selected.fragments, variables, enforcements, principal, contextValue });
  } catch (error) {
    // A dry run never changes an answer: execution meets the same failure where it matters.
    if (mode === 'report') return null;
    throw error;
  }
  if (check.allowed) return null;
  return { operationName: operation.name?.value ?? null, check, principal, error: operationDeniedError(check) };
}

/**
 * Calls a denial listener (`onDenied`). What it throws goes to
 * `process.emitWarning`: it neither replaces a refusal nor reaches the client.
 */
export function reportDenial<TEvent>(listener: ((event: TEvent) => void) | undefined, event: TEvent, plugin: string): void {
  try {
    listener?.(event);
  } catch (error) {
    if (error instanceof Error) {
      try {
        process.emitWarning(error);
        return;
      } catch {
        // An Error of another realm (a vm context, Jest's sandbox), which Node refuses as a warning: its message then.
      }
    }
    const message = error instanceof Error ? `${plugin}: onDenied threw: ${error.message}` : `${plugin}: onDenied threw a value that is not an Error.`;
    process.emitWarning(message, { type: 'ScopedPermissionsWarning' });
  }
}
