import { type RateLimitBackend, memoryRateLimitBackend } from '../../rate-limit/rate-limit-backend';
import { type RateLimitDecision, type RateLimiter, createRateLimiter } from '../../rate-limit/rate-limiter';
import { clientBucket } from '../../rate-limit/client-bucket';

/** Limits of a {@link SignInThrottle}: attempts per minute. */
export interface SignInLimits {
  /** Attempts one client (an IPv4 address, an IPv6 /64, or a `getClientId` id) may make per minute. */
  readonly perClientPerMinute: number;
  /**
   * Costly attempts (a well-formed credential, which may cost a store
   * lookup and a hash) that all clients together may make per minute
   * before clients that already tried this minute are refused.
   */
  readonly globalPerMinute: number;
}

/** How costly an attempt is: `'free'` (malformed, bad checksum: refused without any lookup or hash) or `'costly'`. */
export type AttemptCost = 'free' | 'costly';

/** The verdict on one attempt: allowed, or refused with 429 (over a limit) or 503 (the counts could not be read). */
export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly status: 429 | 503; readonly retryAfterSec: number };

function refusal(decision: RateLimitDecision & { allowed: false }): ThrottleVerdict {
  return { allowed: false, status: decision.reason === 'limited' ? 429 : 503, retryAfterSec: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
}

/**
 * Throttles sign-in attempts, so that a few addresses cannot lock everyone
 * out (issue 15, finding 3):
 *
 * - **Per client:** every attempt counts against the client's own budget
 *   (`perClientPerMinute`).
 * - **Shared:** only costly attempts count against the shared budget
 *   (`globalPerMinute`); one that costs nothing (a malformed key, a bad
 *   checksum) never does. When the shared budget is spent, a client's
 *   first attempt of the minute is still let through: only clients that
 *   already tried this minute wait. So the real admin, from an address of
 *   their own, always gets in; an attacker needs a fresh address (a fresh
 *   IPv6 /64) for every extra attempt once the budget is spent, and the
 *   verifier's bounded hashing queue (`ERR_OVERLOADED`, 503) caps the CPU
 *   they can take.
 *
 * Counts live in `backend`: this process's memory, or MongoDB, shared by
 * every replica. A backend failure refuses the attempt with 503 (fail closed).
 */
export class SignInThrottle {
  private readonly perClient: RateLimiter;
  private readonly shared: RateLimiter;

  constructor(limits: SignInLimits, backend: RateLimitBackend = memoryRateLimitBackend(), onError?: (error: Error) => void) {
    const common = { backend, ...(onError === undefined ? {} : { onError }) };
    this.perClient = createRateLimiter({ name: 'admin-sign-in:client', rate: `${limits.perClientPerMinute}/minute`, ...common });
    this.shared = createRateLimiter({ name: 'admin-sign-in:shared', rate: `${limits.globalPerMinute}/minute`, ...common });
  }

  /** Counts an attempt by `client` (`getClientId`'s answer) of the given cost, or refuses it. */
  async attempt(client: string, cost: AttemptCost): Promise<ThrottleVerdict> {
    const own = await this.perClient.consume(clientBucket(client));
    if (!own.allowed) return refusal(own);
    if (cost === 'free') return { allowed: true };
    const shared = await this.shared.consume('all');
    if (shared.allowed) return { allowed: true };
    if (shared.reason === 'unavailable') return refusal(shared);
    const firstThisMinute = own.remaining === this.perClient.rate.points - 1;
    return firstThisMinute ? { allowed: true } : refusal(shared);
  }
}
