import type { Connection } from 'mongoose';
import { RateLimiterMongo } from 'rate-limiter-flexible';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { RateLimitBackend } from './rate-limit-backend';

/** The collection {@link mongoRateLimitBackend} counts in, by default. */
export const DEFAULT_RATE_LIMIT_COLLECTION = 'scoped_rate_limits';

/** Options of {@link mongoRateLimitBackend}. */
export interface MongoRateLimitBackendOptions {
  /** The collection that holds the counts. Default `'scoped_rate_limits'`. */
  collection?: string;
}

const COLLECTION = /^[A-Za-z_][A-Za-z0-9_.-]{0,119}$/;

/**
 * Counts in MongoDB through a Mongoose connection, so every process on the
 * same database shares one budget per key (`rate-limiter-flexible`'s
 * `RateLimiterMongo`: one document per key, `{ key, points, expire }`,
 * counted by an atomic upsert on a unique index of `key`).
 *
 * A window's end is enforced in the query itself (a document whose
 * `expire` has passed is replaced, not incremented), so counts expire on
 * time on servers without TTL indexes, such as FerretDB; the TTL index on
 * `expire`, where the server has one, only cleans up. Window ends are
 * computed with each process's clock: replicas whose clocks differ by
 * `s` seconds may see a window end up to `s` seconds early or late.
 *
 * Exported from `graphql-scoped-permissions/mongoose`.
 *
 * @example
 * ```ts
 * import { mongoRateLimitBackend } from 'graphql-scoped-permissions/mongoose';
 * const limiter = createRateLimiter({ name: 'exports', rate: '10/hour', backend: mongoRateLimitBackend(connection) });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad connection or collection name.
 */
export function mongoRateLimitBackend(connection: Connection, options: MongoRateLimitBackendOptions = {}): RateLimitBackend {
  if (typeof connection?.collection !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'mongoRateLimitBackend: connection must be a Mongoose connection.', { details: { option: 'connection' } });
  }
  const collection = options.collection ?? DEFAULT_RATE_LIMIT_COLLECTION;
  if (typeof collection !== 'string' || !COLLECTION.test(collection) || collection.startsWith('system.')) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'mongoRateLimitBackend: collection must be a collection name.', { details: { option: 'collection' } });
  }
  // A client without `then` and `db()`: RateLimiterMongo then asks it for the collection directly (buffered until connected).
  const client = { collection: (name: string) => connection.collection(name) };
  let indexes: Promise<void> | undefined;

  async function createIndexes(): Promise<void> {
    const counts = connection.collection(collection);
    // Without it, two processes counting a new key at once could insert two documents and split the count.
    await counts.createIndex({ key: 1 }, { unique: true, name: 'key_unique' });
    try {
      await counts.createIndex({ expire: 1 }, { expireAfterSeconds: 0, name: 'expire_ttl' });
    } catch {
      // No TTL index (FerretDB): expired documents stay until their key counts again, and never count.
    }
  }

  return {
    kind: 'mongo',
    create: ({ name, rate }) =>
      new RateLimiterMongo({
        storeClient: client,
        tableName: collection,
        keyPrefix: name,
        points: rate.points,
        duration: rate.durationMs / 1000,
        disableIndexesCreation: true,
        // No in-memory shortcut: every count goes to the database, so every replica sees it.
        inMemoryBlockOnConsumed: 0,
      }),
    ready() {
      indexes ??= createIndexes().catch((error: unknown) => {
        indexes = undefined;
        throw error;
      });
      return indexes;
    },
  };
}
