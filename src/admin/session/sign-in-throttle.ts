import { LRUCache } from 'lru-cache';

/** The window both sign-in limits count over, in milliseconds. */
export const SIGN_IN_WINDOW_MS = 60_000;

/** Limits of a {@link SignInThrottle}. */
export interface SignInLimits {
  /** Attempts one client (by IP) may make per minute. */
  readonly perClientPerMinute: number;
  /** Attempts all clients together may make per minute. */
  readonly globalPerMinute: number;
  /** The most clients tracked at once (LRU). */
  readonly maxClients: number;
}

/** The verdict on one attempt. */
export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSec: number };

/**
 * A sliding-window log of recent attempt times, at most `limit` long:
 * exactly `limit` attempts per window, never more, and never fewer.
 */
class AttemptLog {
  private readonly times: number[] = [];

  constructor(private readonly limit: number) {}

  /** Milliseconds until the next attempt is allowed; `0` when it is allowed now. */
  waitMs(nowMs: number): number {
    while (this.times.length > 0 && !((this.times[0] as number) > nowMs - SIGN_IN_WINDOW_MS)) this.times.shift();
    return this.times.length < this.limit ? 0 : (this.times[0] as number) + SIGN_IN_WINDOW_MS - nowMs;
  }

  record(nowMs: number): void {
    this.times.push(nowMs);
  }
}

/**
 * Throttles sign-in attempts per client and globally, over a sliding
 * one-minute window. A refused attempt is not counted, so a client that
 * keeps trying is let in again as soon as its window allows.
 */
export class SignInThrottle {
  private readonly clients: LRUCache<string, AttemptLog>;
  private readonly global: AttemptLog;

  constructor(private readonly limits: SignInLimits) {
    this.clients = new LRUCache({ max: limits.maxClients });
    this.global = new AttemptLog(limits.globalPerMinute);
  }

  /** Counts an attempt by `client` (an IP address) now, or refuses it. */
  attempt(client: string): ThrottleVerdict {
    const nowMs = Date.now();
    let log = this.clients.get(client);
    if (log === undefined) {
      log = new AttemptLog(this.limits.perClientPerMinute);
      this.clients.set(client, log);
    }
    const waitMs = Math.max(log.waitMs(nowMs), this.global.waitMs(nowMs));
    if (waitMs > 0) return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
    log.record(nowMs);
    this.global.record(nowMs);
    return { allowed: true };
  }
}
