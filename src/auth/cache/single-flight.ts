/**
 * Concurrent requests for the same thing share one promise: the first
 * starts the work, the others join it. Each flight carries a tag (a key id,
 * a user id), so that a change can make later callers start afresh instead
 * of joining work that began before the change.
 *
 * @example
 * ```ts
 * const flights = new SingleFlight<string[]>();
 * const scopes = await flights.run(userId, userId, () => store.getUserScopes(userId));
 * ```
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, { readonly tag: string; readonly promise: Promise<T> }>();
  private joinCount = 0;

  /** Calls that joined a flight already in the air. */
  get joins(): number {
    return this.joinCount;
  }

  /** The flight for `key`, or a new one started with `start`. */
  run(key: string, tag: string, start: () => Promise<T>): Promise<T> {
    const existing = this.flights.get(key);
    if (existing !== undefined) {
      this.joinCount += 1;
      return existing.promise;
    }
    const promise: Promise<T> = start().finally(() => {
      if (this.flights.get(key)?.promise === promise) this.flights.delete(key);
    });
    this.flights.set(key, { tag, promise });
    return promise;
  }

  /** Lets later calls for `tag` start afresh (flights in the air still finish). */
  forget(tag: string): void {
    for (const [key, flight] of this.flights) if (flight.tag === tag) this.flights.delete(key);
  }

  /** Lets every later call start afresh. */
  clear(): void {
    this.flights.clear();
  }
}
