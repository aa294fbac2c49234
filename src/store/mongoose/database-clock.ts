import type { ScopedChangeModel } from './change-log-schema';

/** The time by the database server's clock, asked of the server. */
export type DatabaseClock = () => Promise<Date>;

/**
 * A `MongooseScopeStore` option for tests only, keyed by this symbol so that
 * it is no public string option: a {@link DatabaseClock} that stands in for
 * the server's (for suites that freeze `Date`).
 */
export const DATABASE_CLOCK: unique symbol = Symbol('graphql-scoped-permissions.databaseClock');

/** What `hello` answers that the store uses. */
export interface HelloReply {
  /** The server's clock. */
  readonly localTime: Date;
  /** The replica set's name, on a replica set. */
  readonly setName?: string;
}

/**
 * Sends `hello` on the model's connection: the server's clock
 * (`localTime`, which MongoDB and FerretDB 1.x both answer) and its replica
 * set name.
 *
 * @throws when the connection is not open, or the reply has no valid `localTime`.
 */
export async function sendHello(model: ScopedChangeModel): Promise<HelloReply> {
  const db = model.db.db;
  if (db === undefined) throw new Error('The connection is not open.');
  const reply = await db.admin().command({ hello: 1 });
  const localTime: unknown = reply.localTime;
  if (!(localTime instanceof Date) || !Number.isFinite(localTime.getTime())) throw new Error('The server answered hello without a valid localTime.');
  return typeof reply.setName === 'string' ? { localTime, setName: reply.setName } : { localTime };
}

/**
 * The database server's clock, for what the store dates itself: the old
 * key's expiry in `rotateApiKey` and the cutoff of the change log's
 * pruning. One `hello` round trip per call. Writers' clocks may be skewed;
 * the server's is the one clock every writer shares.
 */
export function serverClock(model: ScopedChangeModel): DatabaseClock {
  return async () => (await sendHello(model)).localTime;
}
