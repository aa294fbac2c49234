import { type RateLimiterAbstract, RateLimiterMemory } from 'rate-limiter-flexible';
import type { Rate } from './parse-rate';

/** One limit a backend is asked to count: its name (the prefix of its keys) and its rate. */
export interface RateLimitSpec {
  /** The limit's name, unique among the limits sharing a backend (`admin-sign-in:client`). */
  readonly name: string;
  readonly rate: Rate;
}

/**
 * Where counts live: in this process ({@link memoryRateLimitBackend}) or in
 * MongoDB, shared by every process on the same database
 * (`mongoRateLimitBackend` from `graphql-scoped-permissions/mongoose`).
 * Both count over fixed windows that start at a key's first consumption.
 */
export interface RateLimitBackend {
  /** `'memory'` or `'mongo'`, for logs and tests. */
  readonly kind: string;
  /** Builds the `rate-limiter-flexible` limiter that counts `spec`. */
  create(spec: RateLimitSpec): RateLimiterAbstract;
  /**
   * Resolves once the backend can count (for MongoDB: its unique index
   * exists). A rejection is a backend error, handled as the limiter's
   * `failOpen` says. Default: always ready.
   */
  ready?(): Promise<void>;
}

/**
 * Counts in this process's memory: each process has its own budget.
 * Entries are removed when their window ends.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ name: 'exports', rate: '5/minute', backend: memoryRateLimitBackend() });
 * ```
 */
export function memoryRateLimitBackend(): RateLimitBackend {
  return {
    kind: 'memory',
    create: ({ name, rate }) => new RateLimiterMemory({ keyPrefix: name, points: rate.points, duration: rate.durationMs / 1000 }),
  };
}
