import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { createScopedModels } from './create-scoped-models';
import type { ScopedModels, ScopedModelsOptions } from './create-scoped-models';

const EXPECTED =
  'MongooseScopeStore takes a mongoose Connection (mongoose.connection, or `await mongoose.createConnection(uri).asPromise()`), ' +
  "the models of createScopedModels(connection), or nothing for mongoose's default connection.";

function isModels(source: object): source is ScopedModels {
  const { ScopedApiKey, ScopedGroup, ScopedChange, ScopedAudit } = source as Partial<Record<keyof ScopedModels, unknown>>;
  return typeof ScopedApiKey === 'function' && typeof ScopedGroup === 'function' && typeof ScopedChange === 'function' && typeof ScopedAudit === 'function';
}

function isConnection(source: object): source is Connection {
  const candidate = source as Partial<Record<'model' | 'useDb' | 'readyState', unknown>>;
  return typeof candidate.model === 'function' && typeof candidate.useDb === 'function' && typeof candidate.readyState === 'number';
}

/**
 * The models a `MongooseScopeStore` queries: those given, those bound to the
 * given connection, or, with no source, those on mongoose's default
 * connection (the exported `ScopedApiKey` and `ScopedGroup`, unless the
 * options name other collections).
 *
 * Plain JavaScript callers can pass anything, so the source is checked
 * first. A connection string, the `mongoose` module itself or any other
 * value is refused without being echoed: a connection string carries passwords.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` (`details.received`
 *   is the type of what was passed, never its value).
 */
export function resolveStoreModels(source: unknown, options: ScopedModelsOptions): ScopedModels {
  if (source === undefined) return createScopedModels(mongoose.connection, options);
  if (typeof source === 'object' && source !== null) {
    if (isModels(source)) return source;
    if (isConnection(source)) return createScopedModels(source, options);
  }
  const received = source === null ? 'null' : typeof source === 'object' ? 'an object that is no Connection' : typeof source;
  throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `${EXPECTED} Received ${received}.`, { details: { option: 'source', received } });
}
