import { clientBucket } from '../../../src/rate-limit/client-bucket';
import { SignInThrottle } from '../../../src/admin/session/sign-in-throttle';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('SignInThrottle', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('allows 10 attempts per minute per client, refuses the 11th until the window ends, to the millisecond', async () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 10, globalPerMinute: 1000 });
    for (let attempt = 0; attempt < 10; attempt += 1) {
      jest.setSystemTime(T0 + attempt * 1000);
      expect(await throttle.attempt('203.0.113.7', 'costly')).toEqual({ allowed: true });
    }
    expect(await throttle.attempt('203.0.113.7', 'free')).toEqual({ allowed: false, status: 429, retryAfterSec: 51 });
    expect(await throttle.attempt('198.51.100.1', 'costly')).toEqual({ allowed: true });
    jest.setSystemTime(T0 + 59_999);
    expect(await throttle.attempt('203.0.113.7', 'costly')).toEqual({ allowed: false, status: 429, retryAfterSec: 1 });
    jest.setSystemTime(T0 + 60_000);
    expect(await throttle.attempt('203.0.113.7', 'costly')).toEqual({ allowed: true });
  });

  it('never charges free attempts to the shared budget: ten addresses × ten bad checksums leave it whole', async () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 10, globalPerMinute: 100 });
    for (let host = 1; host <= 10; host += 1) {
      for (let attempt = 0; attempt < 10; attempt += 1) expect(await throttle.attempt(`127.0.0.${host}`, 'free')).toEqual({ allowed: true });
      expect((await throttle.attempt(`127.0.0.${host}`, 'free')).allowed).toBe(false);
    }
    for (let attempt = 0; attempt < 10; attempt += 1) expect(await throttle.attempt('127.0.0.99', 'costly')).toEqual({ allowed: true });
  });

  it('once the shared budget is spent, refuses clients that already tried this minute, and lets a first attempt through', async () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 10, globalPerMinute: 25 });
    const verdicts: boolean[] = [];
    for (let host = 1; host <= 3; host += 1) {
      for (let attempt = 0; attempt < 10; attempt += 1) verdicts.push((await throttle.attempt(`10.0.0.${host}`, 'costly')).allowed);
    }
    expect(verdicts.filter(Boolean)).toHaveLength(25);
    expect(verdicts.slice(25)).toEqual([false, false, false, false, false]);
    expect(await throttle.attempt('10.0.0.3', 'costly')).toMatchObject({ allowed: false, status: 429 });
    // The real admin, from an address of their own.
    expect(await throttle.attempt('192.0.2.1', 'costly')).toEqual({ allowed: true });
    expect(await throttle.attempt('192.0.2.1', 'costly')).toMatchObject({ allowed: false, status: 429 });
    // A free attempt never waits for the shared budget.
    expect(await throttle.attempt('192.0.2.1', 'free')).toEqual({ allowed: true });
  });

  it('counts every address of one IPv6 /64 as one client', async () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 2, globalPerMinute: 1000 });
    expect((await throttle.attempt('2001:db8:1:2::1', 'free')).allowed).toBe(true);
    expect((await throttle.attempt('2001:db8:1:2:ffff::9', 'free')).allowed).toBe(true);
    expect((await throttle.attempt('2001:0db8:0001:0002:abcd:0:0:1', 'free')).allowed).toBe(false);
    expect((await throttle.attempt('2001:db8:1:3::1', 'free')).allowed).toBe(true);
  });

  it('answers 503 when the counts cannot be read (fail closed)', async () => {
    const broken = {
      kind: 'broken',
      create: () => {
        throw new Error('unreachable');
      },
    };
    expect(() => new SignInThrottle({ perClientPerMinute: 1, globalPerMinute: 1 }, broken)).toThrow('unreachable');
    const failing = { kind: 'failing', create: () => ({ consume: () => Promise.reject(new Error('down')) }) as never, ready: () => Promise.resolve() };
    const throttle = new SignInThrottle({ perClientPerMinute: 1, globalPerMinute: 1 }, failing, () => undefined);
    expect(await throttle.attempt('203.0.113.7', 'free')).toEqual({ allowed: false, status: 503, retryAfterSec: 5 });
  });
});

describe('clientBucket', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8::1', '2001:0db8:0000:0000::/64'],
    ['2001:DB8:0:0:1::', '2001:0db8:0000:0000::/64'],
    ['::1', '0000:0000:0000:0000::/64'],
    ['fe80::1%eth0', 'fe80:0000:0000:0000::/64'],
    ['client-7', 'client-7'],
    ['', 'unknown'],
  ])('%j → %j', (client, bucket) => {
    expect(clientBucket(client)).toBe(bucket);
  });

  it('hashes a very long id', () => {
    expect(clientBucket('x'.repeat(300))).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
  });
});
