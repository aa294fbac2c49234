import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { integerOption } from '../errors/integer-option';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { type Rate, parseRate } from './parse-rate';
import { type RateLimitBackend, memoryRateLimitBackend } from './rate-limit-backend';

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /**
   * The limit's name: 1–64 characters among `a-z`, `0-9`, `.`, `:`, `_`
   * and `-`, starting with a letter or digit. It prefixes every key, so two
   * limits on one backend never share counts.
   */
  name: string;
  /** How many consumptions one key may make per window: `'10/minute'`, `'5/s'`, `'1000/day'` (see `parseRate`). */
  rate: string;
  /** Where counts live. Default: {@link memoryRateLimitBackend} (this process only). */
  backend?: RateLimitBackend;
  /**
   * What a backend failure (a database error, or no answer within
   * `timeoutMs`) decides: `false` refuses the consumption (`reason:
   * 'unavailable'`, answer 503), `true` lets it through (`unchecked: true`).
   * Default `false` (fail closed).
   */
  failOpen?: boolean;
  /** How long a backend may take to count, in milliseconds, before it counts as failed. Default 5000. */
  timeoutMs?: number;
  /**
   * Receives backend failures (never a key). Must not throw. Default: a
   * process warning per failure.
   */
  onError?: (error: Error) => void;
}

/** What {@link RateLimiter.consume} decides. Durations in milliseconds. */
export type RateLimitDecision =
  | {
      readonly allowed: true;
      /** Consumptions left in this window; `0` with `unchecked`. */
      readonly remaining: number;
      /** Milliseconds until this window ends (0 with `unchecked`). */
      readonly resetAfterMs: number;
      /** Present when the backend failed and `failOpen` let the consumption through uncounted. */
      readonly unchecked?: true;
    }
  | {
      readonly allowed: false;
      /** `'limited'`: over the rate (answer 429); `'unavailable'`: the backend failed, fail closed (answer 503). */
      readonly reason: 'limited' | 'unavailable';
      /** Milliseconds to wait before trying again (at least 1). */
      readonly retryAfterMs: number;
    };

/** A named limit made by {@link createRateLimiter}. */
export interface RateLimiter {
  /** The limit's name. */
  readonly name: string;
  /** The parsed rate. */
  readonly rate: Rate;
  /**
   * Counts one consumption by `key` (an address, a key id, a user id:
   * 1–512 characters) and says whether it is within the rate. Refused
   * consumptions are counted too; they never lengthen the window.
   * Never rejects for a backend failure: `failOpen` decides.
   *
   * @throws {@link ScopedPermissionsError} `ERR_INVALID_INPUT` for a key that is not a string of 1–512 characters.
   */
  consume(key: string): Promise<RateLimitDecision>;
}

const NAME = /^[a-z0-9][a-z0-9.:_-]{0,63}$/;
const MAX_KEY_LENGTH = 512;
/** How long a caller is told to wait after a backend failure, in milliseconds. */
const UNAVAILABLE_RETRY_MS = 5000;

function reportDefault(error: Error): void {
  process.emitWarning(`graphql-scoped-permissions rate limiter: ${error.message}`);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the backend of rate limit ${name} did not answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Creates a rate limit over `rate-limiter-flexible`: a fixed window per key
 * that starts at the key's first consumption, counted in memory or in
 * MongoDB (`mongoRateLimitBackend`), shared then by every replica.
 *
 * @example
 * ```ts
 * const perClient = createRateLimiter({ name: 'exports:client', rate: '10/minute' });
 * const decision = await perClient.consume(request.socket.remoteAddress ?? 'unknown');
 * if (!decision.allowed) response.writeHead(decision.reason === 'limited' ? 429 : 503, { 'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)) });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad name, rate, backend or option.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (typeof options !== 'object' || options === null) throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createRateLimiter: an options object is required.');
  const { name } = options;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `createRateLimiter: name must match ${NAME}.`, { details: { option: 'name' } });
  }
  const rate = parseRate(options.rate);
  const backend = options.backend ?? memoryRateLimitBackend();
  if (typeof backend?.create !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createRateLimiter: backend must come from memoryRateLimitBackend or mongoRateLimitBackend.', { details: { option: 'backend' } });
  }
  if (options.failOpen !== undefined && typeof options.failOpen !== 'boolean') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createRateLimiter: failOpen must be a boolean.', { details: { option: 'failOpen' } });
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', 'createRateLimiter: onError must be a function.', { details: { option: 'onError' } });
  }
  const timeoutMs = integerOption('timeoutMs', options.timeoutMs, 5000, 1, 600_000);
  const failOpen = options.failOpen ?? false;
  const onError = options.onError ?? reportDefault;
  const limiter: RateLimiterAbstract = backend.create({ name, rate });

  function failed(error: unknown): RateLimitDecision {
    try {
      onError(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // A reporting hook must not change the decision.
    }
    return failOpen ? { allowed: true, remaining: 0, resetAfterMs: 0, unchecked: true } : { allowed: false, reason: 'unavailable', retryAfterMs: UNAVAILABLE_RETRY_MS };
  }

  async function count(key: string): Promise<RateLimitDecision> {
    await backend.ready?.();
    try {
      const result = await limiter.consume(key);
      return { allowed: true, remaining: result.remainingPoints, resetAfterMs: Math.max(0, result.msBeforeNext) };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, reason: 'limited', retryAfterMs: Math.max(1, rejection.msBeforeNext) };
    }
  }

  return {
    name,
    rate,
    async consume(key: string): Promise<RateLimitDecision> {
      if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
        throw new ScopedPermissionsError('ERR_INVALID_INPUT', `A rate limit key must be a string of 1–${MAX_KEY_LENGTH} characters.`);
      }
      try {
        return await withTimeout(count(key), timeoutMs, name);
      } catch (error) {
        return failed(error);
      }
    },
  };
}
