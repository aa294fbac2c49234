import { InvalidatingCache } from '../../../src/auth/cache/invalidating-cache';

const NOW = new Date('2030-01-01T00:00:00Z');

beforeEach(() => {
  jest.useFakeTimers({ now: NOW });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('InvalidatingCache', () => {
  it('serves an entry for exactly its TTL', () => {
    const cache = new InvalidatingCache<string>(10);
    cache.set('k', 'tag', 'v', 1000);
    jest.setSystemTime(NOW.getTime() + 999);
    expect(cache.get('k')).toBe('v');
    jest.setSystemTime(NOW.getTime() + 1000);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it.each([0, -5, Number.NaN])('caches nothing for a TTL of %s', (ttlMs) => {
    const cache = new InvalidatingCache<string>(10);
    cache.set('k', 'tag', 'v', ttlMs);
    expect(cache.get('k')).toBeUndefined();
  });

  it('drops every entry of a tag at once, and only those', () => {
    const cache = new InvalidatingCache<string>(10);
    cache.set('a1', 'a', '1', 1000);
    cache.set('a2', 'a', '2', 1000);
    cache.set('b1', 'b', '3', 1000);
    cache.invalidate('a');
    expect([cache.get('a1'), cache.get('a2'), cache.get('b1')]).toEqual([undefined, undefined, '3']);
  });

  it('keeps its tag index bounded: entries the LRU pushes out leave the index', () => {
    const cache = new InvalidatingCache<number>(2);
    for (let index = 0; index < 100; index += 1) cache.set(`k${index}`, `t${index}`, index, 1000);
    expect(cache.size).toBe(2);
    // An invalidation of a pushed-out tag finds nothing, and the survivors stay.
    cache.invalidate('t0');
    expect([cache.get('k98'), cache.get('k99')]).toEqual([98, 99]);
  });

  it('does not cache a value loaded across an invalidation (setIfCurrent)', () => {
    const cache = new InvalidatingCache<string>(10);
    const before = cache.generation;
    cache.invalidate('anything');
    expect(cache.setIfCurrent(before, 'k', 'tag', 'stale', 1000)).toBe(false);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.setIfCurrent(cache.generation, 'k', 'tag', 'fresh', 1000)).toBe(true);
    expect(cache.get('k')).toBe('fresh');
  });

  it('clear drops everything and moves the generation on', () => {
    const cache = new InvalidatingCache<string>(10);
    cache.set('k', 'tag', 'v', 1000);
    const before = cache.generation;
    cache.clear();
    expect(cache.get('k')).toBeUndefined();
    expect(cache.generation).not.toBe(before);
  });
});
