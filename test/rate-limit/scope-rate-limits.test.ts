import { RateLimiterMemory } from 'rate-limiter-flexible';
import { GraphQLError } from 'graphql';
import type { Principal } from '../../src/principal/principal';
import { ANONYMOUS_PRINCIPAL } from '../../src/principal/principal';
import type { RateLimitBackend } from '../../src/rate-limit/rate-limit-backend';
import { createScopeRateLimits, rateLimitOf } from '../../src/rate-limit/scope-rate-limits';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const alice: Principal = { kind: 'apiKey', id: 'k1', scopes: new Set(['*']) };
const bob: Principal = { kind: 'apiKey', id: 'k2', scopes: new Set(['*']) };
const aliceTheUser: Principal = { kind: 'user', id: 'k1', scopes: new Set(['*']) };

/** What a field's `info` tells `consume` of its execution: a fresh one per call unless one is passed around. */
const operation = (kind: 'query' | 'mutation' | 'subscription' = 'query') => ({ variableValues: {}, operation: { operation: kind } });

async function refusal(promise: Promise<unknown>): Promise<GraphQLError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GraphQLError)) throw new Error(`expected a GraphQLError, got ${String(error)}`);
  return error;
}

function countingBackend(): RateLimitBackend & { consumed: number } {
  const backend = {
    kind: 'counting',
    consumed: 0,
    create: ({ name, rate }: { name: string; rate: { points: number; durationMs: number } }) => {
      const limiter = new RateLimiterMemory({ keyPrefix: name, points: rate.points, duration: rate.durationMs / 1000 });
      const consume = limiter.consume.bind(limiter);
      limiter.consume = (key, points) => {
        backend.consumed += 1;
        return consume(key, points);
      };
      return limiter;
    },
  };
  return backend;
}

describe('createScopeRateLimits: options', () => {
  it.each([
    ['an array', ['posts.read']],
    ['a wildcard scope', { 'posts.*': '1/s' }],
    ['the wildcard', { '*': '1/s' }],
    ['a scope without action', { posts: '1/s' }],
    ['an upper-case scope', { 'Posts.read': '1/s' }],
    ['a zero rate', { 'posts.read': '0/hour' }],
    ['a negative rate', { 'posts.read': '-1/min' }],
    ['an unknown unit', { 'posts.read': '10/fortnight' }],
    ['a fractional rate', { 'posts.read': '1.5/s' }],
    ['a rate that is not a string', { 'posts.read': 10 }],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_label, rateLimits) => {
    expect(() => createScopeRateLimits(rateLimits as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it('is nothing at all without limits, so requests carry nothing', () => {
    expect(createScopeRateLimits(undefined)).toBeUndefined();
    expect(createScopeRateLimits({})).toBeUndefined();
  });

  it('gives no view to a caller without an id (anonymous callers reach no scoped field)', () => {
    expect(createScopeRateLimits({ 'posts.read': '1/s' })?.forRequest(ANONYMOUS_PRINCIPAL)).toBeUndefined();
  });

  it('reads the view from a context, and nothing from anything else', () => {
    const view = createScopeRateLimits({ 'posts.read': '1/s' })?.forRequest(alice);
    expect(rateLimitOf({ principal: alice, rateLimit: view })).toBe(view);
    expect(rateLimitOf({ ...{ principal: alice, rateLimit: view } })).toBe(view);
    for (const context of [undefined, null, 'x', 1, {}]) expect(rateLimitOf(context)).toBeUndefined();
  });
});

describe('createScopeRateLimits: counting (frozen time)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('allows exactly the rate per principal and scope, then RATE_LIMITED with retryAfterSeconds, then again at the window end', async () => {
    const limits = createScopeRateLimits({ 'analytics.export': '2/hour' });
    for (let request = 0; request < 2; request += 1) await expect(limits?.forRequest(alice)?.consume(['analytics.export'], operation())).resolves.toBeUndefined();
    jest.setSystemTime(T0 + 60_000);
    const error = await refusal(limits?.forRequest(alice)?.consume(['analytics.export'], operation()) ?? Promise.resolve());
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limitedScope: 'analytics.export', retryAfterSeconds: 3540 });
    expect(error.extensions.http).toEqual({ status: 429, headers: new Map([['retry-after', '3540']]) });

    jest.setSystemTime(T0 + 3_600_000 - 1);
    expect((await refusal(limits?.forRequest(alice)?.consume(['analytics.export'], operation()) ?? Promise.resolve())).extensions.retryAfterSeconds).toBe(1);
    jest.setSystemTime(T0 + 3_600_000);
    await expect(limits?.forRequest(alice)?.consume(['analytics.export'], operation())).resolves.toBeUndefined();
  });

  it('uses one unit per operation, however many fields or list items ask, and none for scopes without a limit', async () => {
    const backend = countingBackend();
    const limits = createScopeRateLimits({ 'analytics.export': '1/hour' }, { backend });
    const request = limits?.forRequest(alice);
    const execution = operation();
    await Promise.all(Array.from({ length: 50 }, () => request?.consume(['analytics.export', 'posts.read'], execution)));
    await request?.consume(['posts.read', 'comments.read'], operation());
    expect(backend.consumed).toBe(1);
    // The next request is over the rate: every field of it is refused alike.
    const next = limits?.forRequest(alice);
    const nextExecution = operation();
    const errors = await Promise.all([refusal(next?.consume(['analytics.export'], nextExecution) ?? Promise.resolve()), refusal(next?.consume(['analytics.export'], nextExecution) ?? Promise.resolve())]);
    expect(errors.map((error) => error.extensions.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(backend.consumed).toBe(2);
  });

  it('charges each operation of a request that shares one context (a batch), and a subscription once, not per event', async () => {
    const backend = countingBackend();
    const limits = createScopeRateLimits({ 'posts.read': '1000/hour' }, { backend });
    const request = limits?.forRequest(alice);
    for (let n = 0; n < 3; n += 1) await request?.consume(['posts.read'], operation());
    expect(backend.consumed).toBe(3);
    // A subscription's start and its events share its operation node; each event has its own variables.
    const subscription = operation('subscription');
    for (let event = 0; event < 5; event += 1) await request?.consume(['posts.read'], { ...subscription, variableValues: {} });
    expect(backend.consumed).toBe(4);
  });

  it('keeps a bucket per principal: a flood from one key leaves another key, and a user of the same id, untouched', async () => {
    const limits = createScopeRateLimits({ 'posts.write': '3/minute' });
    const flood = await Promise.all(Array.from({ length: 20 }, () => limits?.forRequest(alice)?.consume(['posts.write'], operation()).then(() => 'ok', () => 'refused')));
    expect(flood.filter((outcome) => outcome === 'ok')).toHaveLength(3);
    await expect(limits?.forRequest(bob)?.consume(['posts.write'], operation())).resolves.toBeUndefined();
    await expect(limits?.forRequest(aliceTheUser)?.consume(['posts.write'], operation())).resolves.toBeUndefined();
  });

  it('names the scope that frees up last when several are over', async () => {
    const limits = createScopeRateLimits({ 'a.read': '1/minute', 'b.read': '1/hour' });
    await limits?.forRequest(alice)?.consume(['a.read', 'b.read'], operation());
    const error = await refusal(limits?.forRequest(alice)?.consume(['a.read', 'b.read'], operation()) ?? Promise.resolve());
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', limitedScope: 'b.read', retryAfterSeconds: 3600 });
  });
});

describe('createScopeRateLimits: a broken backend', () => {
  const broken: RateLimitBackend = {
    kind: 'broken',
    create: ({ name, rate }) => {
      const limiter = new RateLimiterMemory({ keyPrefix: name, points: rate.points, duration: rate.durationMs / 1000 });
      limiter.consume = () => Promise.reject(new Error('connection refused to mongodb://admin:hunter2@db'));
      return limiter;
    },
  };

  it('fails closed by default: 503 ERR_STORE_UNAVAILABLE with Retry-After, and the backend error stays out of it', async () => {
    const errors: Error[] = [];
    const limits = createScopeRateLimits({ 'posts.read': '5/s' }, { backend: broken, onError: (error) => errors.push(error) });
    const error = await refusal(limits?.forRequest(alice)?.consume(['posts.read'], operation()) ?? Promise.resolve());
    expect(error.extensions).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', http: { status: 503 } });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(errors).toHaveLength(1);
  });

  it('lets requests through uncounted only when told to (failOpen: true)', async () => {
    const limits = createScopeRateLimits({ 'posts.read': '5/s' }, { backend: broken, failOpen: true, onError: () => undefined });
    await expect(limits?.forRequest(alice)?.consume(['posts.read'], operation())).resolves.toBeUndefined();
  });
});
