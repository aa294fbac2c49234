import { LRUCache } from 'lru-cache';
import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { hashSecret, rehashOptions, secretNeedsRehash } from '../../keys/hash-secret';
import type { ApiKeyCredentialStore, ApiKeyStore, GroupStore } from '../../store/scope-store';
import type { ChangeFollowingStore } from '../cache/follow-changes';
import type { ApiKeyVerifierErrorEvent, ResolvedApiKeyVerifierOptions } from './api-key-verifier-options';
import { callStore } from '../cache/call-store';
import type { ConcurrencyLimiter } from '../cache/concurrency-limiter';

/**
 * The store methods the API key verifier calls: the credential and its
 * writes, the change sources it follows (`watchChanges` when present), and
 * `getUserScopes` for `ownerScopes: 'intersect'`. `ScopeStore` has them all.
 */
export type ApiKeyVerifierStore = ApiKeyCredentialStore & Pick<ApiKeyStore, 'touchApiKey'> & ChangeFollowingStore & Partial<Pick<GroupStore, 'getUserScopes'>>;

/**
 * The verifier's background writes after a successful verification: the
 * transparent rehash and the throttled `lastUsedAt` update. Neither delays
 * nor fails the request; failures go to `onError`.
 */
export class ApiKeyMaintenance {
  /** Last `touchApiKey` time per key id, in ms. */
  private readonly lastTouchMs: LRUCache<string, number>;
  private readonly rehashing = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private rehashCount = 0;

  constructor(
    private readonly store: ApiKeyVerifierStore,
    private readonly options: ResolvedApiKeyVerifierOptions,
    private readonly limiter: ConcurrencyLimiter,
  ) {
    this.lastTouchMs = new LRUCache({ max: options.cacheMaxEntries });
  }

  /** argon2 rehashes started. */
  get rehashes(): number {
    return this.rehashCount;
  }

  /** Resolves when the writes started so far have finished. Never rejects. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * Records a use of key `id` when `trackLastUsed` is on, at most once per
   * `lastUsedIntervalMs` in this process (and, through the conditional
   * `touchApiKey`, across processes).
   */
  touch(id: string): void {
    if (!this.options.trackLastUsed) return;
    const nowMs = Date.now();
    const intervalMs = this.options.lastUsedIntervalMs;
    const last = this.lastTouchMs.get(id);
    // Same rule as the store's conditional update: write only when the last write is OLDER than the interval.
    if (last !== undefined && nowMs - last <= intervalMs) return;
    this.lastTouchMs.set(id, nowMs);
    this.inBackground({ operation: 'touch', keyId: id }, async () => {
      await callStore('touchApiKey', () => this.store.touchApiKey(id, new Date(nowMs), intervalMs), this.options.storeTimeoutMs);
    });
  }

  /**
   * Stores a new hash of `secret` when `hash` is weaker than `hashOptions`
   * or made with another algorithm or version (see `secretNeedsRehash`); a
   * stronger hash is kept. The new hash keeps every parameter in which the
   * old one was stronger (see `rehashOptions`). The argon2 work shares the verifier's
   * concurrency cap. `secret` is held only until the hash is computed.
   * `onRehashed` receives the new hash once the store has saved it.
   */
  rehashIfNeeded(id: string, hash: string, secret: string, onRehashed?: (fresh: string) => void): void {
    if (this.rehashing.has(id)) return;
    const event: ApiKeyVerifierErrorEvent = { operation: 'rehash', keyId: id };
    let needed: boolean;
    try {
      needed = secretNeedsRehash(hash, this.options.hashOptions);
    } catch (error) {
      this.report(error, event);
      return;
    }
    if (!needed) return;
    this.rehashing.add(id);
    this.inBackground(event, async () => {
      try {
        const fresh = await this.limiter.run(() => {
          this.rehashCount += 1;
          // Never below the stored hash in any parameter: weaker in time only must not lose memory.
          return hashSecret(secret, rehashOptions(hash, this.options.hashOptions));
        });
        await callStore('updateApiKeyHash', () => this.store.updateApiKeyHash(id, fresh), this.options.storeTimeoutMs).catch((error: unknown) => {
          // The store's error may echo the hash it was given: keep only its name.
          const cause = error instanceof ScopedPermissionsError ? error.cause : error;
          const causeName = cause instanceof Error ? cause.name : undefined;
          throw new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'The store failed to save a rehashed API key.', {
            details: { keyId: id, causeName },
          });
        });
        onRehashed?.(fresh);
      } finally {
        this.rehashing.delete(id);
      }
    });
  }

  private inBackground(event: ApiKeyVerifierErrorEvent, task: () => Promise<void>): void {
    const promise: Promise<void> = task()
      .catch((error: unknown) => this.report(error, event))
      .finally(() => this.pending.delete(promise));
    this.pending.add(promise);
  }

  private report(error: unknown, event: ApiKeyVerifierErrorEvent): void {
    const asError = error instanceof Error ? error : new Error(String(error));
    try {
      this.options.onError(asError, event);
    } catch (hookError) {
      process.emitWarning(hookError instanceof Error ? hookError : new Error(String(hookError)));
    }
  }
}
