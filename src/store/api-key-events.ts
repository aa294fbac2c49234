/** A listener for {@link ApiKeyChangeEvents}: receives the changed key's id. */
export type ApiKeyChangeListener = (id: string) => void;

/**
 * The listener registry behind `ScopeStore.onApiKeyChange`, shared by the
 * memory and Mongoose stores. Stores call {@link ApiKeyChangeEvents.emit}
 * after a revocation or a scope change has been written.
 *
 * A listener that throws neither stops the others nor fails the store
 * operation, which has already been written; its error is reported with
 * `process.emitWarning`.
 *
 * @example
 * ```ts
 * private readonly events = new ApiKeyChangeEvents();
 * onApiKeyChange(listener: (id: string) => void): () => void {
 *   return this.events.subscribe(listener);
 * }
 * ```
 */
export class ApiKeyChangeEvents {
  // One object per subscription, so the same function subscribed twice is
  // called twice and unsubscribed one subscription at a time.
  private readonly subscriptions = new Set<{ readonly listener: ApiKeyChangeListener }>();

  /**
   * Adds a listener.
   *
   * @returns A function that removes it (idempotent).
   */
  subscribe(listener: ApiKeyChangeListener): () => void {
    const subscription = { listener };
    this.subscriptions.add(subscription);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  /** Calls every listener with `id`, synchronously, in subscription order. */
  emit(id: string): void {
    for (const { listener } of [...this.subscriptions]) {
      try {
        listener(id);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), { code: 'GSP_API_KEY_LISTENER' });
      }
    }
  }

  /** The number of current subscriptions. */
  get size(): number {
    return this.subscriptions.size;
  }
}
