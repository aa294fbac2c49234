import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';

/**
 * A counting semaphore with a bounded FIFO queue, used to cap the argon2
 * work in flight. A finished task hands its slot straight to the next waiter,
 * so late arrivals cannot overtake the queue.
 *
 * @example
 * ```ts
 * const limiter = new ConcurrencyLimiter(2, 1000);
 * const ok = await limiter.run(() => verifySecret(hash, secret));
 * ```
 */
export class ConcurrencyLimiter {
  private readonly waiting: Array<() => void> = [];
  private activeCount = 0;
  private peakActiveCount = 0;
  private peakQueuedCount = 0;

  /**
   * @param maxConcurrent - Tasks allowed to run at once, ≥ 1.
   * @param maxQueued - Tasks allowed to wait for a slot, ≥ 0; more fail with `ERR_OVERLOADED`.
   */
  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  /** Tasks running now. */
  get active(): number {
    return this.activeCount;
  }

  /** The most tasks that ever ran at once. */
  get peakActive(): number {
    return this.peakActiveCount;
  }

  /** Tasks waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** The most tasks that ever waited at once. */
  get peakQueued(): number {
    return this.peakQueuedCount;
  }

  /**
   * Throws when a new task could neither run nor wait, so callers can refuse
   * work before doing anything expensive for it.
   *
   * @throws {@link ScopedPermissionsError} `ERR_OVERLOADED`.
   */
  assertCapacity(): void {
    if (this.activeCount >= this.maxConcurrent && this.waiting.length >= this.maxQueued) {
      throw new ScopedPermissionsError('ERR_OVERLOADED', 'Too many API key verifications are waiting; the request was refused.', {
        details: { maxConcurrent: this.maxConcurrent, maxQueued: this.maxQueued },
      });
    }
  }

  /**
   * Runs `task` when a slot is free.
   *
   * @throws {@link ScopedPermissionsError} `ERR_OVERLOADED` when the queue is full; otherwise whatever `task` throws.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    this.assertCapacity();
    if (this.activeCount < this.maxConcurrent) {
      this.activeCount += 1;
    } else {
      // The releasing task keeps `activeCount` as is and hands us its slot.
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.peakQueuedCount = Math.max(this.peakQueuedCount, this.waiting.length);
      });
    }
    this.peakActiveCount = Math.max(this.peakActiveCount, this.activeCount);
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.activeCount -= 1;
      else next();
    }
  }
}
