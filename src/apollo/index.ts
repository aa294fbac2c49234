// graphql-scoped-permissions/apollo: the Apollo Server plugins. Only this entry
// imports `@apollo/server` types, so the main entry compiles without it.

export { partialResultStatusPlugin } from './partial-result-status-plugin';
export type { DenialStatusPolicy, PartialResultStatusPluginOptions } from './partial-result-status-plugin';
export { operationScopePlugin } from './operation-scope-plugin';
export type {
  OperationDeniedEvent,
  OperationScopePluginOptions,
  OperationScopePluginRejectOptions,
  OperationScopePluginReportOptions,
} from './operation-scope-plugin';
export { scopesEnforcedPlugin } from './scopes-enforced-plugin';
