import { LRUCache } from 'lru-cache';

interface Entry<T> {
  readonly tag: string;
  readonly value: T;
  /** `Date.now()` value from which the entry is stale. */
  readonly staleAtMs: number;
}

/**
 * The cache behind every cache of the package (API keys, their failures and
 * proofs, users' group scopes, verified JWTs): an LRU whose entries live
 * for their own TTL and carry a tag, so that a change can drop every entry
 * of one key id or one user at once.
 *
 * - An entry is stale from `set` time + `ttlMs`, checked against
 *   `Date.now()` on every read (so fake timers control it); stale entries
 *   are dropped when read or pushed out by the LRU.
 * - Keys are chosen by the caller: the SHA-256 digest of a presented
 *   secret (never the secret), or a user id.
 * - {@link InvalidatingCache.generation} moves on at every invalidation, so
 *   a value loaded while a change happened is not cached
 *   ({@link InvalidatingCache.setIfCurrent}).
 *
 * @example
 * ```ts
 * const cache = new InvalidatingCache<Principal>(10_000);
 * const generation = cache.generation;
 * const principal = await load();
 * cache.setIfCurrent(generation, digest, keyId, principal, 30_000);
 * cache.invalidate(keyId); // the key was revoked
 * ```
 */
export class InvalidatingCache<T> {
  private readonly byTag = new Map<string, Set<string>>();
  private readonly lru: LRUCache<string, Entry<T>>;
  private generationCount = 0;

  /** @param maxEntries - The most entries kept; the least recently used go first. */
  constructor(maxEntries: number) {
    this.lru = new LRUCache<string, Entry<T>>({
      max: maxEntries,
      dispose: (entry, key) => this.unindex(entry.tag, key),
    });
  }

  /** The entries held, stale ones included until they are next touched. */
  get size(): number {
    return this.lru.size;
  }

  /** A number that changes at every {@link invalidate} and {@link clear}. */
  get generation(): number {
    return this.generationCount;
  }

  /** The value cached under `key`, or `undefined` when absent or older than its TTL. */
  get(key: string): T | undefined {
    const entry = this.lru.get(key);
    if (entry === undefined) return undefined;
    if (Date.now() >= entry.staleAtMs) {
      this.lru.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Caches `value` under `key` for `ttlMs` milliseconds, tagged `tag`. Nothing is cached for a TTL ≤ 0. */
  set(key: string, tag: string, value: T, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    this.lru.set(key, { tag, value, staleAtMs: Date.now() + ttlMs });
    let keys = this.byTag.get(tag);
    if (keys === undefined) {
      keys = new Set();
      this.byTag.set(tag, keys);
    }
    keys.add(key);
  }

  /**
   * {@link set}, unless something was invalidated since `generation` was
   * read: the value may predate that change.
   *
   * @returns Whether it cached.
   */
  setIfCurrent(generation: number, key: string, tag: string, value: T, ttlMs: number): boolean {
    if (generation !== this.generationCount) return false;
    this.set(key, tag, value, ttlMs);
    return true;
  }

  /** Drops the entry under `key`. */
  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Drops every entry tagged `tag`. */
  invalidate(tag: string): void {
    this.generationCount += 1;
    const keys = this.byTag.get(tag);
    if (keys === undefined) return;
    for (const key of [...keys]) this.lru.delete(key);
    this.byTag.delete(tag);
  }

  /** Drops everything. */
  clear(): void {
    this.generationCount += 1;
    this.lru.clear();
    this.byTag.clear();
  }

  private unindex(tag: string, key: string): void {
    const keys = this.byTag.get(tag);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.byTag.delete(tag);
  }
}
