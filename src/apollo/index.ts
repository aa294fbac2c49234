// graphql-scoped-permissions/apollo: the Apollo Server plugins. Only this entry
// imports `@apollo/server` types, so the main entry compiles without it.

export { partialResultStatusPlugin } from './partial-result-status-plugin';
export type { DenialStatusPolicy, PartialResultStatusPluginOptions } from './partial-result-status-plugin';
