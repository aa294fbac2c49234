import type { ApiKeyChange, ChangeOptions, ChangeWatch, GroupChange, ScopeChange, WatchedChange } from './scope-store';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { assertActor } from './store-input';

/** A listener for {@link ChangeEvents}. */
export type ChangeListener = (change: ScopeChange) => void;

/**
 * The listener registry behind `ScopeStore.onChange` and `onApiKeyChange`,
 * shared by the memory and Mongoose stores. Stores call {@link ChangeEvents.apiKey}
 * or {@link ChangeEvents.group} after a change has been written.
 *
 * A listener that throws neither stops the others nor fails the store
 * operation, which has already been written; its error is reported with
 * `process.emitWarning`.
 *
 * @example
 * ```ts
 * private readonly events = new ChangeEvents();
 * onChange(listener: (change: ScopeChange) => void): () => void {
 *   return this.events.subscribe(listener);
 * }
 * ```
 */
export class ChangeEvents {
  // One object per subscription, so the same function subscribed twice is
  // called twice and unsubscribed one subscription at a time.
  private readonly subscriptions = new Set<{ readonly listener: ChangeListener }>();

  /**
   * Adds a listener.
   *
   * @returns A function that removes it (idempotent).
   */
  subscribe(listener: ChangeListener): () => void {
    const subscription = { listener };
    this.subscriptions.add(subscription);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  /**
   * Adds a listener of changes to existing API keys only (not creations,
   * which no cache can hold yet), called with the key's id.
   */
  subscribeApiKeys(listener: (id: string) => void): () => void {
    return this.subscribe((change) => {
      if (change.type === 'apiKey' && change.action !== 'created') listener(change.id);
    });
  }

  /**
   * A watch of the changes made through this store object only: what the
   * memory store's `watchChanges` is, and what the Mongoose store's adds
   * its change log to.
   */
  watchInProcess(listener: (change: WatchedChange) => void): ChangeWatch {
    const unsubscribe = this.subscribe(listener);
    return {
      ready: Promise.resolve('in-process'),
      dispose: async () => unsubscribe(),
    };
  }

  /**
   * Reports a change of key `id`.
   *
   * @param rotatedTo - The new key's id, for `rotated`.
   * @returns The change, as reported.
   */
  apiKey(id: string, action: ApiKeyChange['action'], options: ChangeOptions | undefined, rotatedTo?: string): ApiKeyChange {
    const change: ApiKeyChange = Object.freeze({ type: 'apiKey', id, action, ...(rotatedTo === undefined ? {} : { rotatedTo }), ...actorOf(options) });
    this.emit(change);
    return change;
  }

  /**
   * Reports a change of group `name` that may change the scopes of `userIds`.
   *
   * @returns The change, as reported.
   */
  group(name: string, action: GroupChange['action'], userIds: readonly string[], options: ChangeOptions | undefined): GroupChange {
    const change: GroupChange = Object.freeze({ type: 'group', name, action, userIds: Object.freeze([...userIds].sort()), ...actorOf(options) });
    this.emit(change);
    return change;
  }

  /** Calls every listener with `change`, frozen, synchronously, in subscription order. */
  emit(change: ScopeChange): void {
    const frozen = Object.freeze(change);
    for (const { listener } of [...this.subscriptions]) {
      try {
        listener(frozen);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), { code: 'GSP_CHANGE_LISTENER' });
      }
    }
  }

  /** The number of current subscriptions. */
  get size(): number {
    return this.subscriptions.size;
  }
}

function actorOf(options: ChangeOptions | undefined): { actor?: string } {
  return options?.actor === undefined ? {} : { actor: options.actor };
}

/**
 * Checks the last argument of a writing store method before any write:
 * `undefined`, or an object whose `actor` is absent or valid.
 *
 * @throws `ERR_INVALID_INPUT` (`details.field` is `'actor'` or `'options'`).
 */
export function assertChangeOptions(options: unknown): ChangeOptions | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'The last argument of a store write is an object { actor?, auditAction? }.', { details: { field: 'options' } });
  }
  const { actor, auditAction } = options as { actor?: unknown; auditAction?: unknown };
  if (auditAction !== undefined && auditAction !== 'imported') {
    throw new ScopedPermissionsError('ERR_INVALID_INPUT', 'auditAction can only be "imported".', { details: { field: 'auditAction' } });
  }
  return { ...(actor === undefined ? {} : { actor: assertActor(actor) }), ...(auditAction === undefined ? {} : { auditAction }) };
}
