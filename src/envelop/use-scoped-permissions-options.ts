import type { CredentialRequest } from '../auth/extract-credentials';
import type { DenialStatusPolicy } from '../edge/denial-status';
import type { OperationCheck } from '../operation/check-operation';
import type { Principal } from '../principal/principal';

/**
 * What the `context` function of {@link UseScopedPermissionsOptions} is given:
 * the server's initial context (Yoga's `request`, `params`, and what the
 * server adds), plus `req`, the request that carries the credential.
 */
export type ScopedInitialContext = Readonly<Record<string, unknown>> & { readonly req: CredentialRequest };

/**
 * Builds the part of the context that carries the caller: the function of
 * `createScopedContext(...)` as it is, or any function returning `{ principal }`.
 * What it returns is spread into the context. A `GraphQLError` it throws
 * (a 401, a 503) is the response, with its `extensions.http` status and headers.
 */
export type ScopedContextSource = (initialContext: ScopedInitialContext) => PromiseLike<{ readonly principal: Principal }> | { readonly principal: Principal };

/** The context the plugin sees: the server's, with the caller in `principal` once the plugin has built it. */
export type ScopedPluginContext = Record<string, unknown> & { readonly principal?: Principal };

/** What {@link UseScopedPermissionsOptions.onDenied} is told about a denied operation. */
export interface ScopedOperationDeniedEvent {
  /** The operation's name, `null` for an anonymous one. */
  readonly operationName: string | null;
  /** The full check: required scopes and every denied selection. */
  readonly check: OperationCheck;
  /** The caller, as read from the context. */
  readonly principal: Principal | null | undefined;
  /** The request's context. */
  readonly contextValue: ScopedPluginContext;
}

interface UseScopedPermissionsCommon {
  /** Authenticates each request; see {@link ScopedContextSource}. */
  readonly context: ScopedContextSource;
  /**
   * The HTTP status of a result whose fields were denied, or of an operation
   * refused by `mode: 'reject'`: `'auto'` (401/403 when no data survives, 200
   * when some does) or `200` (always), as `partialResultStatusPlugin`'s option
   * of the same name. Failures before
   * execution (bad credentials 401, a store outage 503) keep their status.
   *
   * @default 'auto'
   */
  readonly denialStatus?: DenialStatusPolicy;
  /** Run `assertScopesEnforced` on each schema the server sets (`onSchemaChange`). @default true */
  readonly assertEnforced?: boolean;
  /** Reads the caller from the context. Default: the schema's `getPrincipal` (`context.principal`). */
  readonly getPrincipal?: (context: ScopedPluginContext) => Principal | null | undefined;
}

/** No operation check: enforcement is the schema's (its `'field'` or `'operation'` mode). */
export interface UseScopedPermissionsSchemaOptions extends UseScopedPermissionsCommon {
  readonly mode?: undefined;
  readonly onDenied?: undefined;
}

/** `reject`: a denied operation answers one 401/403 error before execution, in `onExecute`/`onSubscribe`. */
export interface UseScopedPermissionsRejectOptions extends UseScopedPermissionsCommon {
  readonly mode: 'reject';
  /** Also told about each refused operation, for logging. Default: none. */
  readonly onDenied?: (event: ScopedOperationDeniedEvent) => void;
}

/** `report`: a dry run; a denied operation is only reported, and executes as it would without the check. */
export interface UseScopedPermissionsReportOptions extends UseScopedPermissionsCommon {
  readonly mode: 'report';
  /** Told about each operation that `reject` would refuse. */
  readonly onDenied: (event: ScopedOperationDeniedEvent) => void;
}

/** Options of `useScopedPermissions`, typed by `mode`. */
export type UseScopedPermissionsOptions =
  | UseScopedPermissionsSchemaOptions
  | UseScopedPermissionsRejectOptions
  | UseScopedPermissionsReportOptions;
