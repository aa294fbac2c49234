import { Schema } from 'mongoose';
import type { Model, Types } from 'mongoose';

/**
 * One entry of the change log: a change made through a `MongooseScopeStore`,
 * so that the stores of other processes can evict what they cached. Entries
 * carry ids and names only, never a secret or a hash.
 */
export interface ScopedChangeFields {
  _id: Types.ObjectId;
  /** When the change was logged, by the database server's clock (`$currentDate`). Indexed. */
  at: Date;
  /** The store object that made the change (random), so that it skips its own entries. */
  origin: string;
  type: 'apiKey' | 'group';
  /** The action, as in `ScopeChange`. */
  action: string;
  /** The key's id, for `type: 'apiKey'`. */
  keyId?: string;
  /** The group's name, for `type: 'group'`. */
  group?: string;
  /** The users whose scopes may have changed, for `type: 'group'`. */
  userIds?: string[];
  /** The new key's id, for `action: 'rotated'`. */
  rotatedTo?: string;
  /** Who made the change, when the caller said. */
  actor?: string;
}

/** The type of the `ScopedChange` model. */
export type ScopedChangeModel = Model<ScopedChangeFields>;

/**
 * The Mongoose schema of the change log: an index on `at`, which every poll
 * of the change watcher reads. Writers delete entries older than the store's
 * `changeRetentionMs` (FerretDB has no TTL indexes).
 *
 * Its type is spelled out so that the published declarations name only type
 * parameters that Mongoose 8 and 9 share.
 */
export const changeLogSchema: Schema<ScopedChangeFields, ScopedChangeModel> = new Schema<ScopedChangeFields, ScopedChangeModel>(
  {
    at: { type: Date, required: true, index: true },
    origin: { type: String, required: true },
    type: { type: String, required: true },
    action: { type: String, required: true },
    keyId: { type: String },
    group: { type: String },
    userIds: { type: [String], default: undefined },
    rotatedTo: { type: String },
    actor: { type: String },
  },
  { versionKey: false },
);
