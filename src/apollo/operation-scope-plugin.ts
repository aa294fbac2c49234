import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { assertScopesEnforced } from '../directive/assert-scopes-enforced';
import { assertServableSchema } from '../directive/assert-servable-schema';
import { principalFromContext } from '../directive/guard-resolver';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { checkResolvedOperation, type OperationCheck } from '../operation/check-operation';
import { operationDeniedError } from '../operation/operation-denied-error';
import { coerceVariables, enforcementsOf, fragmentsOf, selectOperation } from '../operation/operation-source';
import type { Principal } from '../principal/principal';

/** What {@link operationScopePlugin} reports about a denied operation. */
export interface OperationDeniedEvent<TContext extends BaseContext = BaseContext> {
  /** The operation's name, `null` for an anonymous one. */
  readonly operationName: string | null;
  /** The full check: required scopes and every denied selection. */
  readonly check: OperationCheck;
  /** The caller, as the directive reads it from the context. */
  readonly principal: Principal | null | undefined;
  /** The request's context. */
  readonly contextValue: TContext;
}

interface OperationScopePluginCommon<TContext extends BaseContext> {
  /** Reads the caller from the context. Default: the directive's `getPrincipal` (`context.principal`). */
  readonly getPrincipal?: (context: TContext) => Principal | null | undefined;
  /**
   * Run `assertScopesEnforced(schema)` when the server starts. Default `true`.
   * `assertServableSchema(schema)` runs either way.
   */
  readonly assertEnforced?: boolean;
}

/** `reject`: a denied operation answers 401/403 before execution starts. */
export interface OperationScopePluginRejectOptions<TContext extends BaseContext> extends OperationScopePluginCommon<TContext> {
  readonly mode: 'reject';
  /** Also told about each rejected operation, for logging. Default: none. */
  readonly onDenied?: (event: OperationDeniedEvent<TContext>) => void;
}

/** `report`: a dry run; a denied operation is only reported, and executes as it would without the plugin. */
export interface OperationScopePluginReportOptions<TContext extends BaseContext> extends OperationScopePluginCommon<TContext> {
  readonly mode: 'report';
  /** Told about each operation that `reject` would refuse. */
  readonly onDenied: (event: OperationDeniedEvent<TContext>) => void;
}

/** Options of {@link operationScopePlugin}, typed by `mode`. */
export type OperationScopePluginOptions<TContext extends BaseContext = BaseContext> =
  | OperationScopePluginRejectOptions<TContext>
  | OperationScopePluginReportOptions<TContext>;

/**
 * An Apollo Server plugin that checks each whole operation (`checkOperation`)
 * once Apollo has parsed, validated and resolved it, in
 * `didResolveOperation`, before any resolver runs. It is not a validation
 * rule, since those cannot see the context.
 *
 * - `mode: 'reject'` answers a denied operation with one error, HTTP 401
 *   (`UNAUTHENTICATED`) or 403 (`FORBIDDEN`), whose `extensions.missingScopes`
 *   lists every missing scope. Use it with either enforcement mode; with
 *   `'field'` mode it turns partial results into all-or-nothing at the edge.
 * - `mode: 'report'` only calls `onDenied` with what `reject` would refuse:
 *   a dry run for a team moving a `'field'` mode API to strict scopes.
 *
 * Enforcement never depends on this plugin: `'operation'` mode checks in the
 * root fields themselves. At start-up the plugin runs `assertScopesEnforced`
 * (unless `assertEnforced: false`). Variables that do not coerce are left to
 * execution, which refuses them before any resolver runs. In `report` mode
 * nothing the plugin meets changes an answer: a check that throws (a
 * dynamic `requiredScope`, `getPrincipal`, a document past the walk's
 * limits) is left to execution. An `onDenied` that throws goes to
 * `process.emitWarning`, never to the client, in either mode.
 *
 * @example
 * ```ts
 * new ApolloServer({ schema, plugins: [operationScopePlugin({ mode: 'report', onDenied: (event) => log(event.check.denied) })] });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad mode,
 *   or `report` without `onDenied`; at start-up, `ERR_UNGUARDED_FIELDS`.
 */
export function operationScopePlugin<TContext extends BaseContext = BaseContext>(options: OperationScopePluginOptions<TContext>): ApolloServerPlugin<TContext> {
  const { mode, onDenied } = options as { mode: unknown; onDenied?: unknown };
  if (mode !== 'reject' && mode !== 'report') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'operationScopePlugin: mode must be "reject" or "report".', { details: { option: 'mode' } });
  }
  if (onDenied !== undefined && typeof onDenied !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'operationScopePlugin: onDenied must be a function.', { details: { option: 'onDenied' } });
  }
  if (mode === 'report' && onDenied === undefined) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'operationScopePlugin: mode "report" needs onDenied, or it reports nothing.', {
      details: { option: 'onDenied' },
    });
  }
  const report = options.onDenied;
  return {
    async serverWillStart({ schema }) {
      assertServableSchema(schema);
      if (options.assertEnforced !== false) assertScopesEnforced(schema);
      enforcementsOf(schema);
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation: resolved, request, contextValue }) {
          const enforcements = enforcementsOf(schema);
          const { operation, fragments } = resolved === undefined ? selectOperation(document, request.operationName) : { operation: resolved, fragments: fragmentsOf(document) };
          let principal: Principal | null | undefined;
          let check: OperationCheck;
          try {
            principal = (options.getPrincipal ?? (enforcements[0]?.getPrincipal as typeof options.getPrincipal) ?? principalFromContext)(contextValue);
            let variables: Readonly<Record<string, unknown>>;
            try {
              variables = coerceVariables(schema, operation, request.variables ?? {});
            } catch (error) {
              // Execution refuses these variables itself, before any resolver runs.
              if (error instanceof ScopedPermissionsError && error.code === 'ERR_INVALID_OPERATION') return;
              throw error;
            }
            check = checkResolvedOperation({ schema, operation, fragments, variables, enforcements, principal, contextValue });
          } catch (error) {
            // A dry run never changes an answer: execution meets the same failure where it matters.
            if (mode === 'report') return;
            throw error;
          }
          if (check.allowed) return;
          try {
            report?.({ operationName: operation.name?.value ?? null, check, principal, contextValue });
          } catch (error) {
            // A failing logger neither replaces the refusal nor reaches the client.
            if (error instanceof Error) process.emitWarning(error);
            else process.emitWarning('operationScopePlugin: onDenied threw a value that is not an Error.', { type: 'ScopedPermissionsWarning' });
          }
          if (mode === 'reject') throw operationDeniedError(check);
        },
      };
    },
  };
}
