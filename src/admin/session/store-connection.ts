import type { Connection } from 'mongoose';
import type { ScopeStore } from '../../store/scope-store';

/**
 * The Mongoose connection of a `MongooseScopeStore` (its models' `db`), or
 * `undefined` for any other store. Duck-typed, so that the admin entry never
 * loads mongoose itself.
 */
export function storeConnection(store: ScopeStore): Connection | undefined {
  const models = (store as { readonly models?: { readonly apiKey?: { readonly db?: unknown } } }).models;
  const db = models?.apiKey?.db;
  const candidate = db as Partial<Connection> | undefined;
  return typeof candidate?.collection === 'function' && typeof candidate.createCollection === 'function' ? (db as Connection) : undefined;
}
