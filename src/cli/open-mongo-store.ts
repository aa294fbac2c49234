import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { mongoUriSecrets } from './mongo-uri';
import { redact } from './redact';
import type { StoreHandle } from './store-handle';

/** How long the CLI waits for a MongoDB server, in milliseconds. */
export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5000;

/** Options of {@link openMongoStore}. */
export interface OpenMongoStoreOptions {
  /** How long to wait for a server, in milliseconds. Default 5000. */
  serverSelectionTimeoutMs?: number;
}

function describeDriverError(error: unknown, uri: string): string {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
  return redact(`${name}${message === '' ? '' : `: ${message}`}`, mongoUriSecrets(uri));
}

/**
 * Connects to MongoDB with its own Mongoose connection
 * (`mongoose.createConnection(uri).asPromise()`), waits for the indexes of
 * the `ScopedApiKey` and `ScopedGroup` models, and returns a
 * `MongooseScopeStore` on it. Mongoose and the store are imported only
 * here, so the `scopes` command works without mongoose installed.
 *
 * @throws {@link ScopedPermissionsError} `ERR_STORE_UNAVAILABLE` when
 *   mongoose is not installed or the server cannot be reached in time. The
 *   message never contains the connection string or its password.
 */
export async function openMongoStore(uri: string, options: OpenMongoStoreOptions = {}): Promise<StoreHandle> {
  let modules: [typeof import('mongoose'), typeof import('../store/mongoose')];
  try {
    modules = await Promise.all([import('mongoose'), import('../store/mongoose')]);
  } catch (error) {
    throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `The key and group commands need mongoose (npm install mongoose): ${describeDriverError(error, uri)}.`, {
      cause: error,
    });
  }
  const [{ default: mongoose }, { MongooseScopeStore }] = modules;
  const serverSelectionTimeoutMS = options.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS;
  let connection: ReturnType<typeof mongoose.createConnection> | undefined;
  try {
    connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS });
    await connection.asPromise();
    const store = new MongooseScopeStore(connection);
    await Promise.all([store.models.ScopedApiKey.init(), store.models.ScopedGroup.init()]);
    const opened = connection;
    return { store, close: () => opened.close() };
  } catch (error) {
    await connection?.close(true).catch(() => undefined); // the connection error is the one to report
    if (error instanceof ScopedPermissionsError) throw error;
    throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', `Could not connect to MongoDB: ${describeDriverError(error, uri)}.`, { cause: error });
  }
}
