import { crc32 } from 'node:zlib';
import type { ApiKeyVerifierStore } from '../../src/auth/api-keys/api-key-maintenance';
import { KEY_CHECKSUM_LENGTH, KEY_SECRET_LENGTH } from '../../src/keys/api-key-format';
import { encodeBase62, randomBase62 } from '../../src/keys/base62';
import type { HashOptions } from '../../src/keys/hash-secret';
import type { ApiKeyCredential, ChangeWatch, ScopeChange, WatchedChange } from '../../src/store/scope-store';
import type { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';

/** argon2id parameters that cost about a millisecond, for fast tests. */
export const CHEAP_HASH: Required<HashOptions> = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** A well-formed key (valid checksum) for `id` with any secret: what a brute-forcer sends. */
export function forgeKey(id: string, secret: string = randomBase62(KEY_SECRET_LENGTH), prefix = 'gsp'): string {
  const body = `${prefix}_${id}_${secret}`;
  return body + encodeBase62(crc32(body), KEY_CHECKSUM_LENGTH);
}

/**
 * Wraps a real store (our own interface, no mock of a database) to count
 * calls and to misbehave on request: throw, hang, stay silent about changes
 * (as another process would), or run a hook between lookup and hash.
 */
export class CountingStore implements ApiKeyVerifierStore {
  readonly calls = { findApiKeyCredential: 0, updateApiKeyHash: 0, touchApiKey: 0, getUserScopes: 0, onApiKeyChange: 0 };
  /** How `findApiKeyCredential` and `getUserScopes` behave. */
  lookup: 'pass' | 'throw' | 'hang' = 'pass';
  /** Whether `updateApiKeyHash` throws (with the hash in its message, as a careless driver might). */
  failUpdateHash = false;
  /** Whether change events reach subscribers; `false` plays a store changed by another process. */
  announceChanges = true;
  /** Runs after a successful lookup, before the verifier sees the result. */
  afterLookup: (() => Promise<void>) | undefined;

  constructor(readonly inner: MemoryScopeStore) {}

  async findApiKeyCredential(id: string): Promise<ApiKeyCredential | null> {
    this.calls.findApiKeyCredential += 1;
    if (this.lookup === 'throw') throw new Error('connect ECONNREFUSED mongodb://admin:hunter2@db:27017');
    if (this.lookup === 'hang') return new Promise<never>(() => undefined);
    const credential = await this.inner.findApiKeyCredential(id);
    await this.afterLookup?.();
    return credential;
  }

  async updateApiKeyHash(id: string, hash: string): Promise<void> {
    this.calls.updateApiKeyHash += 1;
    if (this.failUpdateHash) throw new Error(`Cast failed for value "${hash}"`);
    await this.inner.updateApiKeyHash(id, hash);
  }

  async touchApiKey(id: string, at: Date, minIntervalMs?: number): Promise<boolean> {
    this.calls.touchApiKey += 1;
    return this.inner.touchApiKey(id, at, minIntervalMs);
  }

  async getUserScopes(userId: string): Promise<string[]> {
    this.calls.getUserScopes += 1;
    if (this.lookup === 'throw') throw new Error('connect ECONNREFUSED mongodb://admin:hunter2@db:27017');
    if (this.lookup === 'hang') return new Promise<never>(() => undefined);
    return this.inner.getUserScopes(userId);
  }

  onApiKeyChange(listener: (id: string) => void): () => void {
    this.calls.onApiKeyChange += 1;
    return this.announceChanges ? this.inner.onApiKeyChange(listener) : () => undefined;
  }

  onChange(listener: (change: ScopeChange) => void): () => void {
    return this.announceChanges ? this.inner.onChange(listener) : () => undefined;
  }

  /** `watchChanges` subscriptions not disposed yet. */
  activeWatches = 0;

  watchChanges(listener: (change: WatchedChange) => void): ChangeWatch {
    this.activeWatches += 1;
    const watch = this.announceChanges ? this.inner.watchChanges(listener) : { ready: Promise.resolve('in-process' as const), dispose: async () => undefined };
    let open = true;
    return {
      ready: watch.ready,
      dispose: async () => {
        if (open) this.activeWatches -= 1;
        open = false;
        await watch.dispose();
      },
    };
  }

  /** Every store query so far (reads and writes; not subscriptions). */
  get total(): number {
    return this.calls.findApiKeyCredential + this.calls.updateApiKeyHash + this.calls.touchApiKey + this.calls.getUserScopes;
  }
}
