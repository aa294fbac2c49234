// The `graphql-scoped-permissions/mongoose` entry point: the Mongoose models
// and store. Only this subpath loads mongoose. Every export is named here.

export { apiKeySchema } from './api-key-schema';
export type { CreateKeyInput, ScopedApiKeyFields, ScopedApiKeyModel, ScopedApiKeyStatics } from './api-key-schema';
export { AUDIT_ACTOR_INDEX, AUDIT_NEWEST_INDEX, AUDIT_TARGET_INDEX, auditSchema } from './audit-schema';
export type { ScopedAuditFields, ScopedAuditModel } from './audit-schema';
export { changeLogSchema } from './change-log-schema';
export type { ScopedChangeFields, ScopedChangeModel } from './change-log-schema';
export { groupSchema } from './group-schema';
export type { ScopedGroupFields, ScopedGroupModel } from './group-schema';
export {
  DEFAULT_API_KEY_COLLECTION,
  DEFAULT_AUDIT_COLLECTION,
  DEFAULT_CHANGE_COLLECTION,
  DEFAULT_GROUP_COLLECTION,
  SCOPED_API_KEY_MODEL,
  SCOPED_AUDIT_MODEL,
  SCOPED_CHANGE_MODEL,
  SCOPED_GROUP_MODEL,
  createScopedModels,
} from './create-scoped-models';
export type { ScopedModels, ScopedModelsOptions } from './create-scoped-models';
export { ScopedApiKey, ScopedAudit, ScopedChange, ScopedGroup } from './default-models';
export { MongooseScopeStore } from './mongoose-scope-store';
export type { MongooseScopeStoreOptions } from './mongoose-scope-store';
export { DEFAULT_RATE_LIMIT_COLLECTION, mongoRateLimitBackend } from '../../rate-limit/mongo-rate-limit-backend';
export type { MongoRateLimitBackendOptions } from '../../rate-limit/mongo-rate-limit-backend';
