import mongoose from 'mongoose';
import { DEFAULT_RATE_LIMIT_COLLECTION, mongoRateLimitBackend } from '../../src/rate-limit/mongo-rate-limit-backend';
import { createRateLimiter } from '../../src/rate-limit/rate-limiter';
import { MONGO_ENV } from '../support/mongo-env';
import { connectTo, describeWithMongo, testMongoUri } from '../support/mongo';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Freezes `Date` only: the driver's own timers keep running. */
function freezeDate(at: number): void {
  jest.useFakeTimers({
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    now: at,
  });
}

describeWithMongo('mongoRateLimitBackend', (database) => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shares one budget between two connections (two replicas), and ends the window on time without a TTL index', async () => {
    const other = await connectTo(testMongoUri() as string, database().dbName);
    try {
      const name = `shared-${Date.now()}`;
      const first = createRateLimiter({ name, rate: '3/minute', backend: mongoRateLimitBackend(database().connection) });
      const second = createRateLimiter({ name, rate: '3/minute', backend: mongoRateLimitBackend(other) });
      freezeDate(T0);
      expect(await first.consume('203.0.113.7')).toMatchObject({ allowed: true, remaining: 2 });
      expect(await second.consume('203.0.113.7')).toMatchObject({ allowed: true, remaining: 1 });
      expect(await first.consume('203.0.113.7')).toMatchObject({ allowed: true, remaining: 0 });
      expect(await second.consume('203.0.113.7')).toEqual({ allowed: false, reason: 'limited', retryAfterMs: 60_000 });
      expect(await first.consume('198.51.100.1')).toMatchObject({ allowed: true, remaining: 2 });

      jest.setSystemTime(T0 + 59_999);
      expect(await second.consume('203.0.113.7')).toEqual({ allowed: false, reason: 'limited', retryAfterMs: 1 });
      // The document is still there (no TTL ran: the clock is frozen, and FerretDB has none), yet the window has ended.
      jest.setSystemTime(T0 + 60_000);
      expect(await database().connection.collection(DEFAULT_RATE_LIMIT_COLLECTION).countDocuments({ key: `${name}:203.0.113.7` })).toBe(1);
      expect(await second.consume('203.0.113.7')).toMatchObject({ allowed: true, remaining: 2 });
      expect(await first.consume('203.0.113.7')).toMatchObject({ allowed: true, remaining: 1 });
    } finally {
      await other.close();
    }
  });

  // FerretDB 1.x applies concurrent `$inc` updates of one document without isolation (16 concurrent
  // increments of one counter add up to 7–10 there), so this holds on MongoDB only; see the README.
  (process.env[MONGO_ENV.kind] === 'ferretdb' ? it.skip : it)('counts concurrent first consumptions of a new key from two connections as one budget', async () => {
    const other = await connectTo(testMongoUri() as string, database().dbName);
    try {
      const name = `race-${Date.now()}`;
      const limiters = [database().connection, other].map((connection) => createRateLimiter({ name, rate: '10/minute', backend: mongoRateLimitBackend(connection) }));
      const decisions = await Promise.all(Array.from({ length: 16 }, (_, i) => (limiters[i % 2] as (typeof limiters)[number]).consume('k')));
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
      expect(await database().connection.collection(DEFAULT_RATE_LIMIT_COLLECTION).countDocuments({ key: `${name}:k` })).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('fails closed (unavailable) when the database is gone, and open when told to', async () => {
    const lost = await connectTo(testMongoUri() as string, database().dbName);
    await lost.close();
    const errors: Error[] = [];
    const closed = createRateLimiter({ name: 'lost', rate: '5/s', backend: mongoRateLimitBackend(lost), timeoutMs: 2000, onError: (error) => errors.push(error) });
    expect(await closed.consume('a')).toMatchObject({ allowed: false, reason: 'unavailable' });
    const open = createRateLimiter({ name: 'lost', rate: '5/s', backend: mongoRateLimitBackend(lost), timeoutMs: 2000, failOpen: true, onError: () => undefined });
    expect(await open.consume('a')).toMatchObject({ allowed: true, unchecked: true });
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each([[{}], [null], [{ collection: 'x' }]])('refuses %p as a connection', (connection) => {
    expect(() => mongoRateLimitBackend(connection as unknown as mongoose.Connection)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });

  it.each([[''], ['system.users'], ['a b'], ['$x']])('refuses the collection name %j', (collection) => {
    expect(() => mongoRateLimitBackend(database().connection, { collection })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
  });
});
