import type { mongo } from 'mongoose';
import type { ScopedChangeModel } from './change-log-schema';
import type { ChangeLogSource, ChangeStreamLike, LoggedEntry } from './change-log-watcher';

/**
 * The change watcher's view of the `ScopedChange` collection, through the
 * MongoDB driver: `hello` for the server's clock and replica set name, a
 * `find` on the `at` index, and a change stream of inserts.
 */
export function mongooseChangeLogSource(model: ScopedChangeModel): ChangeLogSource {
  return {
    async hello() {
      const db = model.db.db;
      if (db === undefined) throw new Error('The connection is not open.');
      const reply = await db.admin().command({ hello: 1 });
      const localTime = reply.localTime instanceof Date ? reply.localTime : new Date();
      return typeof reply.setName === 'string' ? { localTime, setName: reply.setName } : { localTime };
    },
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
