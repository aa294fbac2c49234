/**
 * An event source a subscription test pushes into, as a pub/sub would. It
 * counts `return()` calls, and once returned it answers `done`.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  returned = 0;
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;

  push(value: T): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting({ done: false, value });
    else this.queue.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ done: false, value });
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.returned += 1;
    this.closed = true;
    this.waiting?.({ done: true, value: undefined });
    this.waiting = null;
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
