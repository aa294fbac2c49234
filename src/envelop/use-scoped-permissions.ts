import type { Plugin } from '@envelop/core';
import { type ExecutionArgs, type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import { assertScopesEnforced } from '../directive/assert-scopes-enforced';
import { assertServableSchema } from '../directive/assert-servable-schema';
import { decideOperation, type OperationCheckMode, reportDenial } from '../edge/decide-operation';
import { denialStatusPolicy } from '../edge/denial-status';
import { operationCheckMode } from '../edge/operation-check-options';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { resultForYoga, withRecordHeaders } from './http-extensions';
import { requestOf } from './request-of';
import type { Principal } from '../principal/principal';
import type { ScopedContextSource, ScopedPluginContext, UseScopedPermissionsOptions } from './use-scoped-permissions-options';

const PLUGIN = 'useScopedPermissions';

function isExecutionResult(value: unknown): value is ExecutionResult {
  return value !== null && typeof value === 'object' && !(Symbol.asyncIterator in value);
}

/**
 * The Envelop plugin of graphql-scoped-permissions, for GraphQL Yoga, Hive
 * Gateway and any Envelop server: the counterpart of the Apollo plugins
 * (`operationScopePlugin`, `partialResultStatusPlugin`,
 * `scopesEnforcedPlugin`), with the same decisions and the same answers.
 *
 * - **Context.** `context` (the function of `createScopedContext`, or any
 *   `(initialContext) => ({ principal })`) runs once per request, given the
 *   initial context plus `req`: the Fetch `Request` (`initialContext.request`)
 *   or else the Node request (`initialContext.req`). What it returns is
 *   spread into the context. A refusal it throws is the response: bad
 *   credentials 401 with `WWW-Authenticate`, a store outage 503 with `Retry-After`.
 * - **`mode: 'reject'`** checks each whole operation in `onExecute` and
 *   `onSubscribe` (after validation, which is cached and has no context),
 *   before any resolver runs, and answers a denied one with a single
 *   `UNAUTHENTICATED` (401) or `FORBIDDEN` (403) error listing every missing
 *   scope in `extensions.missingScopes`. **`mode: 'report'`** only calls
 *   `onDenied` (a dry run). Without `mode`, enforcement is the schema's.
 * - **Status.** A result whose fields were denied answers 401/403 only when
 *   no data survives (`denialStatus: 'auto'`), or never (`200`).
 * - **Start-up check.** `assertScopesEnforced` runs on every schema the
 *   server sets (`onSchemaChange`), unless `assertEnforced: false`; an
 *   operation meeting a schema that failed it (set at runtime, or per
 *   request) fails with a 500 and runs nothing.
 *
 * Subscriptions (Yoga's SSE and graphql-ws) get the operation check at
 * subscribe time; the per-event re-check of a revoked or narrowed
 * credential is the schema's own, as under Apollo Server.
 *
 * @example
 * ```ts
 * const yoga = createYoga({ schema, plugins: [useScopedPermissions({ context: createScopedContext({ store }), mode: 'reject' })] });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a missing
 *   `context`, a bad `mode`, `onDenied` or `denialStatus`; when a schema is
 *   set, `ERR_UNGUARDED_FIELDS`.
 */
export function useScopedPermissions(options: UseScopedPermissionsOptions): Plugin<ScopedPluginContext> {
  const context: ScopedContextSource = options.context;
  if (typeof context !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `${PLUGIN}: context must be a function, such as the one createScopedContext returns.`, {
      details: { option: 'context' },
    });
  }
  const mode: OperationCheckMode | undefined = operationCheckMode(PLUGIN, options, true);
  const policy = denialStatusPolicy(options.denialStatus);
  const assertEnforced = options.assertEnforced !== false;
  // Envelop sets a schema before it calls onSchemaChange, and does not call it
  // again for the same schema: a refused schema would stay and serve every
  // later request unguarded. So each operation's own schema is checked too
  // (once per schema), and an unguarded one fails the request, never runs.
  const enforcedSchemas = new WeakSet<GraphQLSchema>();
  const assertSchema = (schema: GraphQLSchema): void => {
    if (enforcedSchemas.has(schema)) return;
    // Loud misuse, even with assertEnforced: false: a schema whose @scope was never transformed never serves.
    assertServableSchema(schema);
    if (assertEnforced) assertScopesEnforced(schema);
    enforcedSchemas.add(schema);
  };

  /** The operation check of `onExecute` and `onSubscribe`: the refusal to answer, or `null` to run. */
  const refusal = (args: ExecutionArgs): ExecutionResult | null => {
    assertSchema(args.schema);
    if (mode === undefined) return null;
    const contextValue = args.contextValue as ScopedPluginContext;
    const denial = decideOperation(
      { schema: args.schema, document: args.document, operationName: args.operationName, variables: args.variableValues, contextValue },
      mode,
      options.getPrincipal,
    );
    if (denial === null) return null;
    const { operationName, check, principal } = denial;
    reportDenial(options.onDenied, { operationName, check, principal, contextValue }, PLUGIN);
    if (mode === 'report') return null;
    // The refusal is a denial like any other: `denialStatus: 200` answers it 200, as partialResultStatusPlugin does.
    const refusalResult: ExecutionResult = { errors: [denial.error] };
    return resultForYoga(refusalResult, policy) ?? refusalResult;
  };

  /** Whether the operation was refused: then its answer is set and nothing executes. */
  const refused = (args: ExecutionArgs, answer: (result: ExecutionResult) => void): boolean => {
    const refusalResult = refusal(args);
    if (refusalResult !== null) answer(refusalResult);
    return refusalResult !== null;
  };

  /** Answers a single result under the status policy, with headers Yoga reads. */
  const translate = ({ result, setResult }: { result: unknown; setResult: (result: ExecutionResult) => void }): void => {
    if (!isExecutionResult(result)) return;
    const translated = resultForYoga(result, policy);
    if (translated !== null) setResult(translated);
  };

  return {
    onSchemaChange({ schema }) {
      assertSchema(schema);
    },
    async onContextBuilding({ context: initialContext, extendContext }) {
      let scoped: { readonly principal: Principal };
      try {
        scoped = await context({ ...initialContext, req: requestOf(initialContext) });
      } catch (error) {
        throw error instanceof GraphQLError ? withRecordHeaders(error) : error;
      }
      extendContext(scoped);
    },
    onExecute({ args, setResultAndStopExecution }) {
      return refused(args, setResultAndStopExecution) ? undefined : { onExecuteDone: translate };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      return refused(args, setResultAndStopExecution) ? undefined : { onSubscribeResult: translate };
    },
  };
}
