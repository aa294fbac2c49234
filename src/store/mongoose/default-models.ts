import mongoose from 'mongoose';
import { createScopedModels } from './create-scoped-models';

// Registered on mongoose's default connection when this subpath is first
// imported (or reused, when the app registered them already); queries wait
// for `mongoose.connect()` as usual.
const defaults = createScopedModels(mongoose.connection);

/**
 * The API key model on mongoose's default connection, collection
 * `scoped_api_keys`. Use {@link createScopedModels} for another connection.
 *
 * @example
 * ```ts
 * await mongoose.connect(process.env.MONGODB_URI);
 * const { apiKey, key } = await ScopedApiKey.createKey({ name: 'ci', scopes: ['posts.read'] });
 * ```
 */
export const ScopedApiKey = defaults.ScopedApiKey;

/** The group model on mongoose's default connection, collection `scoped_groups`. */
export const ScopedGroup = defaults.ScopedGroup;

/** The change log model on mongoose's default connection, collection `scoped_changes`. */
export const ScopedChange = defaults.ScopedChange;

/** The audit history model on mongoose's default connection, collection `scoped_audit`. */
export const ScopedAudit = defaults.ScopedAudit;
