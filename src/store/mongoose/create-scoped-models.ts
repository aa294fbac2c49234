import type { Connection } from 'mongoose';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { apiKeySchema } from './api-key-schema';
import type { ScopedApiKeyFields, ScopedApiKeyModel } from './api-key-schema';
import { auditSchema } from './audit-schema';
import type { ScopedAuditFields, ScopedAuditModel } from './audit-schema';
import { changeLogSchema } from './change-log-schema';
import type { ScopedChangeFields, ScopedChangeModel } from './change-log-schema';
import { groupSchema } from './group-schema';
import type { ScopedGroupFields, ScopedGroupModel } from './group-schema';

/** The model name of API keys. */
export const SCOPED_API_KEY_MODEL = 'ScopedApiKey';

/** The model name of groups. */
export const SCOPED_GROUP_MODEL = 'ScopedGroup';

/** The model name of the change log. */
export const SCOPED_CHANGE_MODEL = 'ScopedChange';

/** The model name of the audit history. */
export const SCOPED_AUDIT_MODEL = 'ScopedAudit';

/** The default collection of the audit history. */
export const DEFAULT_AUDIT_COLLECTION = 'scoped_audit';

/** The default collection of API keys. */
export const DEFAULT_API_KEY_COLLECTION = 'scoped_api_keys';

/** The default collection of groups. */
export const DEFAULT_GROUP_COLLECTION = 'scoped_groups';

/** The default collection of the change log. */
export const DEFAULT_CHANGE_COLLECTION = 'scoped_changes';

/** Options of {@link createScopedModels}. */
export interface ScopedModelsOptions {
  /** The collection of API keys. Default `'scoped_api_keys'`. */
  apiKeyCollection?: string;
  /** The collection of groups. Default `'scoped_groups'`. */
  groupCollection?: string;
  /** The collection of the change log, which other processes watch. Default `'scoped_changes'`. */
  changeCollection?: string;
  /** The collection of the audit history. Default `'scoped_audit'`. */
  auditCollection?: string;
}

/** The models, bound to one connection. */
export interface ScopedModels {
  readonly ScopedApiKey: ScopedApiKeyModel;
  readonly ScopedGroup: ScopedGroupModel;
  /** The change log that `MongooseScopeStore` writes and its change watcher reads. */
  readonly ScopedChange: ScopedChangeModel;
  /** The audit history that `MongooseScopeStore` appends to and `listAuditEntries` reads. */
  readonly ScopedAudit: ScopedAuditModel;
}

const COLLECTION_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,119}$/;

function assertCollection(option: string, name: string): string {
  if (typeof name !== 'string' || !COLLECTION_PATTERN.test(name) || name.startsWith('system.')) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `Invalid ${option} ${JSON.stringify(String(name).slice(0, 40))}: collection names match ${COLLECTION_PATTERN} and do not start with "system.".`, {
      details: { option },
    });
  }
  return name;
}

/**
 * The model `modelName` on `connection`: registered on `collection` by
 * `register`, or the one registered before, which must use the same collection.
 */
function bind<TModel>(connection: Connection, modelName: string, option: string, collection: string, register: (collection: string) => TModel): TModel {
  assertCollection(option, collection);
  if (!(modelName in connection.models)) return register(collection);
  const bound = connection.models[modelName]?.collection.collectionName;
  if (bound !== collection) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `${modelName} is already bound to collection ${JSON.stringify(bound)} on this connection, not ${JSON.stringify(collection)}.`, {
      details: { option },
    });
  }
  return connection.models[modelName] as TModel;
}

/**
 * Binds the `ScopedApiKey`, `ScopedGroup`, `ScopedChange` and `ScopedAudit` models to your own connection.
 * Idempotent: a second call on the same connection returns the same models
 * (and refuses different collection names). Indexes (unique key id, unique
 * group name, group members, change time, the three named audit indexes) are built by Mongoose's
 * `autoIndex`; await each model's `init()` to wait for them.
 *
 * @example
 * ```ts
 * const connection = await mongoose.createConnection(process.env.MONGODB_URI).asPromise();
 * const { ScopedApiKey, ScopedGroup } = createScopedModels(connection, { apiKeyCollection: 'api_keys' });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for an invalid collection name.
 */
export function createScopedModels(connection: Connection, options: ScopedModelsOptions = {}): ScopedModels {
  // Every collection name is checked before any model is registered.
  const apiKeyCollection = assertCollection('apiKeyCollection', options.apiKeyCollection ?? DEFAULT_API_KEY_COLLECTION);
  const groupCollection = assertCollection('groupCollection', options.groupCollection ?? DEFAULT_GROUP_COLLECTION);
  const changeCollection = assertCollection('changeCollection', options.changeCollection ?? DEFAULT_CHANGE_COLLECTION);
  const auditCollection = assertCollection('auditCollection', options.auditCollection ?? DEFAULT_AUDIT_COLLECTION);
  return {
    ScopedApiKey: bind(connection, SCOPED_API_KEY_MODEL, 'apiKeyCollection', apiKeyCollection, (collection) =>
      connection.model<ScopedApiKeyFields, ScopedApiKeyModel>(SCOPED_API_KEY_MODEL, apiKeySchema, collection),
    ),
    ScopedGroup: bind(connection, SCOPED_GROUP_MODEL, 'groupCollection', groupCollection, (collection) =>
      connection.model<ScopedGroupFields, ScopedGroupModel>(SCOPED_GROUP_MODEL, groupSchema, collection),
    ),
    ScopedChange: bind(connection, SCOPED_CHANGE_MODEL, 'changeCollection', changeCollection, (collection) =>
      connection.model<ScopedChangeFields, ScopedChangeModel>(SCOPED_CHANGE_MODEL, changeLogSchema, collection),
    ),
    ScopedAudit: bind(connection, SCOPED_AUDIT_MODEL, 'auditCollection', auditCollection, (collection) =>
      connection.model<ScopedAuditFields, ScopedAuditModel>(SCOPED_AUDIT_MODEL, auditSchema, collection),
    ),
  };
}
