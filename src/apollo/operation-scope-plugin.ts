import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { assertScopesEnforced } from '../directive/assert-scopes-enforced';
import { decideOperation, type OperationCheckMode, reportDenial } from '../edge/decide-operation';
import { operationCheckMode } from '../edge/operation-check-options';
import type { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { OperationCheck } from '../operation/check-operation';
import { enforcementsOf } from '../operation/operation-source';
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
  /** Run `assertScopesEnforced(schema)` when the server starts. Default `true`. */
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
  const mode = operationCheckMode('operationScopePlugin', options, false) as OperationCheckMode;
  return {
    async serverWillStart({ schema }) {
      if (options.assertEnforced !== false) assertScopesEnforced(schema);
      enforcementsOf(schema);
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          const denial = decideOperation(
            { schema, document, operation, operationName: request.operationName, variables: request.variables, contextValue },
            mode,
            options.getPrincipal,
          );
          if (denial === null) return;
          const { operationName, check, principal } = denial;
          reportDenial(options.onDenied, { operationName, check, principal, contextValue }, 'operationScopePlugin');
          if (mode === 'reject') throw denial.error;
        },
      };
    },
  };
}
