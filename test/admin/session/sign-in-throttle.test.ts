import { SignInThrottle } from '../../../src/admin/session/sign-in-throttle';

describe('SignInThrottle', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('allows 10 attempts per minute per client, refuses the 11th, and allows again as the window slides', () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 10, globalPerMinute: 1000, maxClients: 100 });
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect(throttle.attempt('203.0.113.7')).toEqual({ allowed: true });
      jest.advanceTimersByTime(1000);
    }
    expect(throttle.attempt('203.0.113.7')).toEqual({ allowed: false, retryAfterSec: 50 });
    // Another client is not affected.
    expect(throttle.attempt('198.51.100.1')).toEqual({ allowed: true });
    jest.advanceTimersByTime(50_000);
    expect(throttle.attempt('203.0.113.7')).toEqual({ allowed: true });
    expect(throttle.attempt('203.0.113.7')).toEqual({ allowed: false, retryAfterSec: 1 });
  });

  it('never refuses a client that keeps to 10 attempts a minute', () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 10, globalPerMinute: 1000, maxClients: 100 });
    for (let attempt = 0; attempt < 100; attempt += 1) {
      expect(throttle.attempt('203.0.113.7')).toEqual({ allowed: true });
      jest.advanceTimersByTime(6000);
    }
  });

  it('limits all clients together, so many addresses cannot multiply the rate', () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 10, globalPerMinute: 25, maxClients: 100 });
    const verdicts = Array.from({ length: 30 }, (_, index) => throttle.attempt(`10.0.0.${index}`).allowed);
    expect(verdicts.filter(Boolean)).toHaveLength(25);
    expect(verdicts.slice(25)).toEqual([false, false, false, false, false]);
  });

  it('does not count refused attempts, so hammering does not extend the wait', () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 2, globalPerMinute: 1000, maxClients: 100 });
    throttle.attempt('a');
    throttle.attempt('a');
    for (let index = 0; index < 50; index += 1) expect(throttle.attempt('a').allowed).toBe(false);
    jest.advanceTimersByTime(60_000);
    expect(throttle.attempt('a').allowed).toBe(true);
  });
});
