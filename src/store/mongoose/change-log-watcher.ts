import { ScopedPermissionsError } from '../../errors/scoped-permissions-error';
import { withDeadline } from '../deadline';
import type { ChangeWatchMode, WatchedChange } from '../scope-store';
import { readLoggedChange } from './change-log';
import type { ChangeLogSource, ChangeStreamLike, LoggedEntry } from './change-log-source';

/** Options of {@link ChangeLogWatcher}. */
export interface ChangeLogWatcherOptions {
  /** Milliseconds between two polls. */
  readonly pollIntervalMs: number;
  /** How long writers keep entries, in milliseconds; a longer blind spot means missed changes. */
  readonly retentionMs: number;
  /** `'auto'`: a change stream on a replica set, else polling. `'off'`: always polling. */
  readonly changeStreams: 'auto' | 'off';
  /** The change log origin of the store object itself, whose entries it reports in process already. */
  readonly origin: string;
}

/**
 * How far back each poll reads again, in milliseconds, for entries that
 * became visible after a later one (writes commit out of order across
 * processes). The query leaves out the entries seen already, by id.
 */
export const POLL_OVERLAP_MS = 5_000;

/** The most entries one poll reads; after a full page the next poll follows at once. */
export const POLL_PAGE_SIZE = 500;

/**
 * The most entry ids held for de-duplication. Beyond it (a burst of more
 * changes within {@link POLL_OVERLAP_MS}), the watcher forgets them,
 * reports a reset and reads on from the newest entry.
 */
export const MAX_HELD_ENTRIES = 10_000;

/** The longest wait between two attempts after failures, in milliseconds. */
export const MAX_BACKOFF_MS = 15_000;

interface Subscriber {
  readonly listener: (change: WatchedChange) => void;
  readonly onError: ((error: Error) => void) | undefined;
}

const RESET: WatchedChange = Object.freeze({ type: 'reset' });

function unavailable(message: string, cause: unknown): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', message, { details: { operation: 'watchChanges' }, cause });
}

/** `promise`, or a rejection after `timeoutMs`. */
function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return withDeadline(promise, timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
}

/**
 * Watches a store's change log for the changes other processes make, and
 * hands them to every subscriber. One watcher serves every subscription of
 * a store object; it starts with the first and stops with the last.
 *
 * - **Change streams** when the server is a replica set (`hello.setName`):
 *   a stream of inserts into the log, plus one poll each time the stream
 *   (re)opens, for what was logged while it was closed.
 * - **Polling** otherwise (standalone servers, FerretDB): one indexed query
 *   per `pollIntervalMs`, from a little before the newest entry seen, and
 *   never from later than the server's clock (`hello`, once per poll): an
 *   entry dated ahead of it is reported to `onError` with a `reset`, and
 *   does not blind the watcher.
 * - **Failures** (a failed poll, a closed stream, a malformed entry) go to
 *   the subscribers' `onError`; the watcher retries with exponential backoff
 *   up to {@link MAX_BACKOFF_MS}. When it may have missed entries (blind
 *   longer than the log keeps them, a burst larger than a page, an entry it
 *   cannot read), it reports a `reset`, so caches drop everything.
 * - **Bounded state**: the ids of the entries of the last few seconds.
 */
export class ChangeLogWatcher {
  private readonly subscribers = new Set<Subscriber>();
  /** Entry id (as a string) → its `_id` and `at` in ms, for the entries a poll may read again. */
  private readonly seen = new Map<string, { readonly id: unknown; readonly atMs: number }>();
  /** Bumped by every stop, so that the callbacks of a stopped run do nothing. */
  private run = 0;
  private mode: Exclude<ChangeWatchMode, 'in-process'> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stream: ChangeStreamLike | undefined;
  /** The newest `at` seen (server clock), in ms; a poll never reads from later than the server's clock. */
  private cursorMs = 0;
  /** `Date.now()` of the last poll that succeeded. */
  private lastReadMs = 0;
  private failures = 0;
  private warned = false;
  private readyWaiters: Array<(mode: ChangeWatchMode) => void> = [];

  constructor(
    private readonly source: ChangeLogSource,
    private readonly options: ChangeLogWatcherOptions,
  ) {}

  /** The entry ids held for de-duplication (bounded by the changes of the last few seconds). */
  get heldEntries(): number {
    return this.seen.size;
  }

  /**
   * Adds a subscriber, starting the watcher when it is the first.
   *
   * @returns When the watcher runs, and how to unsubscribe (the last one stops the watcher).
   */
  subscribe(listener: (change: WatchedChange) => void, onError?: (error: Error) => void): { ready: Promise<ChangeWatchMode>; unsubscribe: () => Promise<void> } {
    const subscriber: Subscriber = { listener, onError };
    this.subscribers.add(subscriber);
    if (this.subscribers.size === 1) this.start();
    const ready = this.mode !== undefined && this.failures === 0 ? Promise.resolve<ChangeWatchMode>(this.mode) : new Promise<ChangeWatchMode>((resolve) => this.readyWaiters.push(resolve));
    let done = false;
    return {
      ready,
      unsubscribe: async () => {
        if (done) return;
        done = true;
        this.subscribers.delete(subscriber);
        if (this.subscribers.size === 0) await this.stop();
      },
    };
  }

  private start(): void {
    this.run += 1;
    this.mode = undefined;
    this.failures = 0;
    this.warned = false;
    this.seen.clear();
    this.schedule(0);
  }

  /** Stops timers and the stream. A poll in flight finishes on its own and reports nothing. */
  private async stop(): Promise<void> {
    this.run += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    this.seen.clear();
    await stream?.close().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    const run = this.run;
    this.timer = setTimeout(() => {
      if (run === this.run) void this.step(run);
    }, delayMs);
    this.timer.unref();
  }

  private get pollTimeoutMs(): number {
    return Math.max(5_000, this.options.pollIntervalMs * 5);
  }

  /** One attempt: start (hello), one poll, or (re)open the stream. Schedules the next. */
  private async step(run: number): Promise<void> {
    try {
      if (this.mode === undefined) {
        const hello = await within(this.source.hello(), this.pollTimeoutMs);
        if (run !== this.run) return;
        this.cursorMs = hello.localTime.getTime();
        this.lastReadMs = Date.now();
        this.mode = hello.setName !== undefined && this.options.changeStreams === 'auto' ? 'change-stream' : 'polling';
      }
      if (this.mode === 'change-stream') {
        await this.openStream(run);
        if (run !== this.run) return;
        this.succeeded();
        return; // the stream reports from now on; its errors schedule the next attempt
      }
      const full = await this.poll(run);
      if (run !== this.run) return;
      this.succeeded();
      this.schedule(full ? 0 : this.options.pollIntervalMs);
    } catch (error) {
      if (run !== this.run) return;
      this.failed(unavailable('The change watcher could not read the change log; it retries with backoff.', error));
    }
  }

  private async openStream(run: number): Promise<void> {
    const stream = this.source.watch();
    let open = false;
    const opened = new Promise<void>((resolve, reject) => {
      stream.on('init', () => resolve());
      stream.on('error', (error) => {
        if (!open) reject(error);
        else this.streamFailed(run, stream, error);
      });
    });
    stream.on('change', (event) => {
      if (run === this.run && event.fullDocument !== undefined) this.take([event.fullDocument]);
    });
    try {
      await within(opened, this.pollTimeoutMs);
      // What was logged while no stream was open: once the stream runs, read it from the log, page by page.
      while (run === this.run && (await this.poll(run)));
    } catch (error) {
      await stream.close().catch(() => undefined);
      throw error;
    }
    if (run !== this.run) {
      await stream.close().catch(() => undefined);
      return;
    }
    open = true;
    this.stream = stream;
  }

  private streamFailed(run: number, stream: ChangeStreamLike, error: unknown): void {
    if (run !== this.run || this.stream !== stream) return;
    this.stream = undefined;
    this.lastReadMs = Date.now(); // the stream missed nothing until now
    stream.close().catch(() => undefined);
    this.failed(unavailable('The change stream of the change log failed; the watcher reopens it with backoff.', error));
  }

  /**
   * Reads the entries logged since a little before the newest one seen.
   *
   * @returns Whether the page was full, so that more may be waiting.
   */
  private async poll(run: number): Promise<boolean> {
    // The cursor never runs ahead of the server's clock: one entry dated in
    // the future (the server's clock stepped back, another tool wrote it)
    // must not hide every later entry until the clock catches up.
    const { localTime } = await within(this.source.hello(), this.pollTimeoutMs);
    if (run !== this.run) return false;
    const serverNowMs = localTime.getTime();
    if (this.cursorMs > serverNowMs) this.cursorMs = serverNowMs;
    const sinceMs = this.cursorMs - POLL_OVERLAP_MS;
    const exclude = [...this.seen.values()].map((held) => held.id);
    const entries = await within(this.source.find(new Date(sinceMs), exclude, POLL_PAGE_SIZE), this.pollTimeoutMs);
    if (run !== this.run) return false;
    const nowMs = Date.now();
    // Blind for longer than writers keep entries: some may be gone unseen.
    if (nowMs - this.lastReadMs > this.options.retentionMs - POLL_OVERLAP_MS) this.deliver(RESET);
    this.lastReadMs = nowMs;
    this.take(entries, serverNowMs);
    return entries.length >= POLL_PAGE_SIZE;
  }

  /**
   * Reports the entries not seen before, except this store object's own.
   *
   * @param serverNowMs - The server's clock when a poll read `entries`; the
   *   cursor does not follow an entry dated further ahead than the overlap.
   *   Default: no bound (entries from a change stream arrive as they are written).
   */
  private take(entries: readonly LoggedEntry[], serverNowMs = Number.POSITIVE_INFINITY): void {
    for (const entry of entries) {
      const id = String(entry._id);
      if (this.seen.has(id)) continue;
      const atMs = entry.at instanceof Date ? entry.at.getTime() : Number.NaN;
      if (!Number.isFinite(atMs)) {
        this.malformed();
        continue;
      }
      this.seen.set(id, { id: entry._id, atMs });
      if (atMs > serverNowMs + POLL_OVERLAP_MS) this.datedAhead();
      else if (atMs > this.cursorMs) this.cursorMs = atMs;
      if (entry.origin === this.options.origin) continue;
      const change = readLoggedChange(entry);
      if (change === undefined) this.malformed();
      else this.deliver(change);
    }
    this.forgetOldEntries();
  }

  /** Keeps the ids a poll may read again, and at most {@link MAX_HELD_ENTRIES}. */
  private forgetOldEntries(): void {
    const oldestMs = this.cursorMs - POLL_OVERLAP_MS;
    for (const [id, held] of this.seen) if (held.atMs < oldestMs) this.seen.delete(id);
    if (this.seen.size > MAX_HELD_ENTRIES) {
      this.seen.clear();
      this.cursorMs += POLL_OVERLAP_MS; // read on from the newest entry, as nothing older can be told apart now
      this.deliver(RESET);
    }
  }

  /** An entry dated ahead of the server's clock: the cursor does not follow it, and caches drop everything once. */
  private datedAhead(): void {
    this.deliver(RESET);
    this.report(new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', "The change log holds an entry dated ahead of the database server's clock; the watcher reads on by the server's clock, and caches were cleared.", {
      details: { operation: 'watchChanges' },
    }));
  }

  private malformed(): void {
    this.deliver(RESET);
    this.report(new ScopedPermissionsError('ERR_STORE_UNAVAILABLE', 'The change log holds an entry the watcher cannot read; caches were cleared.', {
      details: { operation: 'watchChanges' },
    }));
  }

  private succeeded(): void {
    this.failures = 0;
    this.warned = false;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    const mode = this.mode ?? 'polling';
    for (const resolve of waiters) resolve(mode);
  }

  private failed(error: ScopedPermissionsError): void {
    this.failures += 1;
    this.report(error);
    this.schedule(Math.min(MAX_BACKOFF_MS, this.options.pollIntervalMs * 2 ** Math.min(this.failures, 16)));
  }

  private deliver(change: WatchedChange): void {
    for (const { listener } of [...this.subscribers]) {
      try {
        listener(change);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), { code: 'GSP_CHANGE_LISTENER' });
      }
    }
  }

  private report(error: Error): void {
    let handled = false;
    for (const { onError } of [...this.subscribers]) {
      if (onError === undefined) continue;
      handled = true;
      try {
        onError(error);
      } catch {
        // A logging hook must not stop the watcher.
      }
    }
    if (!handled && !this.warned) {
      this.warned = true;
      process.emitWarning(error.message, { code: 'GSP_CHANGE_WATCH' });
    }
  }
}
