import type { mongo } from 'mongoose';
import type { LoggedChange } from './change-log';
import type { ScopedChangeModel } from './change-log-schema';
import { sendHello } from './database-clock';

/** A change log entry as read back (every field unchecked). */
export type LoggedEntry = LoggedChange;

/** The part of a driver change stream the watcher uses (`collection.watch()` returns one). */
export interface ChangeStreamLike {
  on(event: 'init', listener: () => void): unknown;
  on(event: 'change', listener: (event: { readonly fullDocument?: LoggedEntry }) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close(): Promise<void>;
}

/**
 * What the watcher asks of the database. {@link mongooseChangeLogSource}
 * builds it on the `ScopedChange` model; tests can stand in for `watch`,
 * since FerretDB has no change streams.
 */
export interface ChangeLogSource {
  /** The server's clock, and `setName` when it is a replica set (`hello`). */
  hello(): Promise<{ readonly localTime: Date; readonly setName?: string }>;
  /** At most `limit` entries logged at or after `since`, oldest first, leaving out the entries whose `_id` is in `exclude`. */
  find(since: Date, exclude: readonly unknown[], limit: number): Promise<readonly LoggedEntry[]>;
  /** A change stream of the entries inserted from now on. */
  watch(): ChangeStreamLike;
}


/**
 * The change watcher's view of the `ScopedChange` collection, through the
 * MongoDB driver: `hello` for the server's clock and replica set name, a
 * `find` on the `at` index, and a change stream of inserts.
 */
export function mongooseChangeLogSource(model: ScopedChangeModel): ChangeLogSource {
  return {
    hello: () => sendHello(model),
    async find(since, exclude, limit) {
      const filter: mongo.Document = { at: { $gte: since } };
      if (exclude.length > 0) filter._id = { $nin: [...exclude] };
      // The raw collection: documents as stored (never cast), which the watcher checks itself.
      const docs: LoggedEntry[] = await model.collection.find(filter).sort({ at: 1, _id: 1 }).limit(limit).toArray();
      return docs;
    },
    watch(): ChangeStreamLike {
      return model.collection.watch<LoggedEntry>([{ $match: { operationType: 'insert' } }]);
    },
  };
}
