import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createRateLimiter } from '../../src/rate-limit/rate-limiter';
import type { RateLimitBackend } from '../../src/rate-limit/rate-limit-backend';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A backend whose every count fails (or never answers). */
function brokenBackend(mode: 'reject' | 'hang' | 'not-ready'): RateLimitBackend {
  return {
    kind: 'broken',
    create: ({ name, rate }) => {
      const limiter = new RateLimiterMemory({ keyPrefix: name, points: rate.points, duration: rate.durationMs / 1000 });
      if (mode === 'reject') limiter.consume = () => Promise.reject(new Error('connection refused'));
      if (mode === 'hang') limiter.consume = () => new Promise(() => undefined);
      return limiter;
    },
    ...(mode === 'not-ready' ? { ready: () => Promise.reject(new Error('index creation failed')) } : {}),
  };
}

describe('createRateLimiter (memory backend, frozen time)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('allows exactly `points` per window, and the next one again at the window end, not a millisecond before', async () => {
    const limiter = createRateLimiter({ name: 'test', rate: '3/minute' });
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 2, resetAfterMs: 60_000 });
    jest.setSystemTime(T0 + 10_000);
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 1, resetAfterMs: 50_000 });
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 0, resetAfterMs: 50_000 });
    expect(await limiter.consume('a')).toEqual({ allowed: false, reason: 'limited', retryAfterMs: 50_000 });

    jest.setSystemTime(T0 + 59_999);
    expect(await limiter.consume('a')).toEqual({ allowed: false, reason: 'limited', retryAfterMs: 1 });
    jest.setSystemTime(T0 + 60_000);
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 2, resetAfterMs: 60_000 });
  });

  it('counts each key apart, and two limits on one backend apart', async () => {
    const first = createRateLimiter({ name: 'first', rate: '1/s' });
    const second = createRateLimiter({ name: 'second', rate: '1/s' });
    expect((await first.consume('a')).allowed).toBe(true);
    expect((await first.consume('a')).allowed).toBe(false);
    expect((await first.consume('b')).allowed).toBe(true);
    expect((await second.consume('a')).allowed).toBe(true);
  });

  it('counts refused consumptions without lengthening the window', async () => {
    const limiter = createRateLimiter({ name: 'test', rate: '1/s' });
    await limiter.consume('a');
    for (let i = 0; i < 5; i += 1) {
      jest.setSystemTime(T0 + 100 * (i + 1));
      expect(await limiter.consume('a')).toMatchObject({ allowed: false, reason: 'limited' });
    }
    jest.setSystemTime(T0 + 1000);
    expect((await limiter.consume('a')).allowed).toBe(true);
  });
});

describe('createRateLimiter: backend failures', () => {
  it.each([['reject' as const], ['not-ready' as const]])('fails closed by default (%s): unavailable, reported to onError', async (mode) => {
    const errors: Error[] = [];
    const limiter = createRateLimiter({ name: 'test', rate: '10/s', backend: brokenBackend(mode), onError: (error) => errors.push(error) });
    expect(await limiter.consume('a')).toEqual({ allowed: false, reason: 'unavailable', retryAfterMs: 5000 });
    expect(errors).toHaveLength(1);
  });

  it('fails open when told to: allowed, marked unchecked', async () => {
    const limiter = createRateLimiter({ name: 'test', rate: '10/s', backend: brokenBackend('reject'), failOpen: true, onError: () => undefined });
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 0, resetAfterMs: 0, unchecked: true });
  });

  it('counts a backend that never answers as failed after timeoutMs', async () => {
    const errors: Error[] = [];
    const limiter = createRateLimiter({ name: 'test', rate: '10/s', backend: brokenBackend('hang'), timeoutMs: 50, onError: (error) => errors.push(error) });
    const started = Date.now();
    expect(await limiter.consume('a')).toMatchObject({ allowed: false, reason: 'unavailable' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(errors[0]?.message).toContain('did not answer within 50 ms');
  });

  it('a throwing onError changes nothing', async () => {
    const limiter = createRateLimiter({
      name: 'test',
      rate: '10/s',
      backend: brokenBackend('reject'),
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect(await limiter.consume('a')).toMatchObject({ allowed: false, reason: 'unavailable' });
  });
});

describe('createRateLimiter: bad options and keys', () => {
  it.each([
    [{ name: 'Bad Name', rate: '1/s' }],
    [{ name: '', rate: '1/s' }],
    [{ name: 'x'.repeat(65), rate: '1/s' }],
    [{ name: 'ok', rate: '0/s' }],
    [{ name: 'ok', rate: '10/fortnight' }],
    [{ name: 'ok', rate: '1/s', failOpen: 'yes' }],
    [{ name: 'ok', rate: '1/s', timeoutMs: 0 }],
    [{ name: 'ok', rate: '1/s', timeoutMs: 1.5 }],
    [{ name: 'ok', rate: '1/s', backend: {} }],
    [{ name: 'ok', rate: '1/s', onError: 'log' }],
  ])('refuses %p with ERR_INVALID_OPTIONS', (options) => {
    expect(() => createRateLimiter(options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it.each([[''], ['x'.repeat(513)], [42], [undefined]])('refuses the key %p with ERR_INVALID_INPUT', async (key) => {
    const limiter = createRateLimiter({ name: 'test', rate: '1/s' });
    await expect(limiter.consume(key as string)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });
});
