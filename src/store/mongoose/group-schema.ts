import { Schema } from 'mongoose';
import type { Model } from 'mongoose';
import { MAX_SCOPE_LENGTH } from '../../scopes/scope-grammar';
import { MAX_GROUP_NAME_LENGTH, MAX_USER_ID_LENGTH } from '../store-input';

/** A group as stored in MongoDB. */
export interface ScopedGroupFields {
  /** Unique. */
  name: string;
  /** Granted scopes, sorted. */
  scopes: string[];
  /** Member user ids (multikey index, for `getUserScopes`). */
  members: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** The type of the `ScopedGroup` model. */
export type ScopedGroupModel = Model<ScopedGroupFields>;

/**
 * The Mongoose schema of groups: unique `name` index, `members` index, timestamps.
 * Its type is spelled out so that the published declarations name only type
 * parameters that Mongoose 8 and 9 share.
 */
export const groupSchema: Schema<ScopedGroupFields, ScopedGroupModel> = new Schema<ScopedGroupFields, ScopedGroupModel>(
  {
    name: { type: String, required: true, unique: true, maxlength: MAX_GROUP_NAME_LENGTH },
    scopes: { type: [{ type: String, maxlength: MAX_SCOPE_LENGTH }], default: [] },
    members: { type: [{ type: String, maxlength: MAX_USER_ID_LENGTH }], default: [], index: true },
  },
  { timestamps: true },
);
