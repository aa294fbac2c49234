import { LRUCache } from 'lru-cache';

interface Entry<T> {
  readonly id: string;
  readonly value: T;
  /** `Date.now()` value from which the entry is stale. */
  readonly staleAtMs: number;
}

/**
 * An LRU cache keyed by the SHA-256 digest of a presented API key (base64,
 * never the key itself), with an index from key id to entries so that one key's entries
 * can be evicted at once. Used by the API key verifier for its positive and
 * negative caches.
 *
 * An entry lives exactly its TTL: it is stale from `set` time + `ttlMs`.
 * Staleness is checked against `Date.now()` on every read (so fake timers
 * control it); stale entries are dropped when read or pushed out by LRU.
 */
export class DigestCache<T> {
  private readonly byId = new Map<string, Set<string>>();
  private readonly lru: LRUCache<string, Entry<T>>;

  /** @param maxEntries - The most entries kept; the least recently used go first. */
  constructor(maxEntries: number) {
    this.lru = new LRUCache<string, Entry<T>>({
      max: maxEntries,
      dispose: (entry, key) => this.unindex(entry.id, key),
    });
  }

  /** The entries held, stale ones included until they are next touched. */
  get size(): number {
    return this.lru.size;
  }

  /**
   * The value cached for `digest`, or `undefined` when absent or older than
   * its TTL. The lookup reveals nothing about a secret: the map key is a
   * SHA-256 digest, not the key.
   */
  get(digest: string): T | undefined {
    const entry = this.lru.get(digest);
    if (entry === undefined) return undefined;
    if (Date.now() >= entry.staleAtMs) {
      this.lru.delete(digest);
      return undefined;
    }
    return entry.value;
  }

  /** Caches `value` for `ttlMs` milliseconds under `digest`, indexed by key `id`. */
  set(digest: string, id: string, value: T, ttlMs: number): void {
    this.lru.set(digest, { id, value, staleAtMs: Date.now() + ttlMs });
    let keys = this.byId.get(id);
    if (keys === undefined) {
      keys = new Set();
      this.byId.set(id, keys);
    }
    keys.add(digest);
  }

  /** Drops the entry for `digest`. */
  delete(digest: string): void {
    this.lru.delete(digest);
  }

  /** Drops every entry of key `id`. */
  evict(id: string): void {
    const keys = this.byId.get(id);
    if (keys === undefined) return;
    for (const key of [...keys]) this.lru.delete(key);
    this.byId.delete(id);
  }

  /** Drops everything. */
  clear(): void {
    this.lru.clear();
    this.byId.clear();
  }

  private unindex(id: string, key: string): void {
    const keys = this.byId.get(id);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.byId.delete(id);
  }
}
