import type { Principal } from '../principal/principal';
import { parseRate } from './parse-rate';
import { type RateLimiter, createRateLimiter } from './rate-limiter';
import { type RateLimitingOptions, refusalOf } from './scope-rate-limits';

/** The per-key limits of `createScopedContext`: each API key's own `rateLimit`. */
export interface KeyRateLimits {
  /**
   * Uses one unit of the principal's own limit (`principal.rateLimit`, an API
   * key's), if it has one. Rejects with `RATE_LIMITED` (HTTP 429,
   * `retryAfterSeconds`) over the rate, or a 503 when counts cannot be read
   * and the limits fail closed.
   */
  consume(principal: Principal): Promise<void>;
}

/**
 * Builds the per-key limits: one bucket per key id, counted by one limiter
 * per distinct rate, on the same backend as the per-scope limits.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad backend or option.
 */
export function createKeyRateLimits(options: RateLimitingOptions): KeyRateLimits {
  // Limiters are made at a key's first request; bad options must fail here, at start-up, not then.
  createRateLimiter({ name: 'api-key:options', rate: '1/s', ...options });
  const limiters = new Map<string, RateLimiter>();
  function limiterFor(rate: string): RateLimiter {
    let limiter = limiters.get(rate);
    if (limiter === undefined) {
      const { points, durationMs } = parseRate(rate);
      limiter = createRateLimiter({
        // Keys with the same rate share a limiter, never a bucket: buckets are per key id.
        name: `api-key:${points}-per-${durationMs}`,
        rate,
        ...options,
      });
      limiters.set(rate, limiter);
    }
    return limiter;
  }
  return {
    async consume(principal) {
      if (principal.kind !== 'apiKey' || principal.rateLimit === undefined || principal.id === undefined) return;
      const decision = await limiterFor(principal.rateLimit).consume(principal.id);
      const error = refusalOf([{ decision }]);
      if (error !== null) throw error;
    },
  };
}
