// graphql-scoped-permissions/envelop: the Envelop plugin, for GraphQL Yoga,
// Hive Gateway and any Envelop server. Only this entry imports
// `@envelop/core` types, so the main entry compiles without it.

export { useScopedPermissions } from './use-scoped-permissions';
export type {
  ScopedContextSource,
  ScopedInitialContext,
  ScopedOperationDeniedEvent,
  ScopedPluginContext,
  UseScopedPermissionsOptions,
  UseScopedPermissionsRejectOptions,
  UseScopedPermissionsReportOptions,
  UseScopedPermissionsSchemaOptions,
} from './use-scoped-permissions-options';
export type { DenialStatusPolicy } from '../edge/denial-status';
export { useGatewayScopedPermissions } from './use-gateway-scoped-permissions';
export type { GatewayFetchPayload, GatewayPlugin, UseGatewayScopedPermissionsOptions } from './use-gateway-scoped-permissions';
