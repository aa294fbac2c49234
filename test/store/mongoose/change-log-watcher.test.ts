import { EventEmitter } from 'node:events';
import { ChangeLogWatcher, POLL_OVERLAP_MS, POLL_PAGE_SIZE } from '../../../src/store/mongoose/change-log-watcher';
import type { ChangeLogWatcherOptions } from '../../../src/store/mongoose/change-log-watcher';
import type { ChangeLogSource, ChangeStreamLike, LoggedEntry } from '../../../src/store/mongoose/change-log-source';
import type { WatchedChange } from '../../../src/store/scope-store';
import { until } from '../../support/until';

// The watcher's logic against a STAND-IN source: an in-memory change log
// and, for the change-stream path, an EventEmitter standing in for the
// driver's change stream. The same watcher runs against the real test
// database (FerretDB, polling) in change-watch.test.ts.

interface FakeEntry extends LoggedEntry {
  readonly _id: string;
  readonly at: Date;
}

class FakeLog implements ChangeLogSource {
  readonly entries: FakeEntry[] = [];
  finds = 0;
  failing = false;
  /** Calls refused while `failing` (each poll asks `hello` first). */
  refused = 0;
  /** The server's clock as `hello` tells it: the real one, unless a test moves it. */
  clockOffsetMs = 0;
  setName: string | undefined;
  readonly streams: FakeStream[] = [];
  private sequence = 0;

  add(fields: Partial<LoggedEntry>, at = new Date()): FakeEntry {
    this.sequence += 1;
    const entry: FakeEntry = { _id: `e${String(this.sequence).padStart(6, '0')}`, at, origin: 'other', type: 'apiKey', action: 'revoked', keyId: 'AAAAAAAAAAAA', ...fields } as FakeEntry;
    this.entries.push(entry);
    return entry;
  }

  async hello(): Promise<{ localTime: Date; setName?: string }> {
    if (this.failing) {
      this.refused += 1;
      throw new Error('connect ECONNREFUSED');
    }
    const localTime = new Date(Date.now() + this.clockOffsetMs);
    return this.setName === undefined ? { localTime } : { localTime, setName: this.setName };
  }

  async find(since: Date, exclude: readonly unknown[], limit: number): Promise<readonly LoggedEntry[]> {
    this.finds += 1;
    if (this.failing) throw new Error('connect ECONNREFUSED');
    const skip = new Set(exclude);
    return this.entries
      .filter((entry) => entry.at.getTime() >= since.getTime() && !skip.has(entry._id))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || (a._id < b._id ? -1 : 1))
      .slice(0, limit);
  }

  watch(): ChangeStreamLike {
    const stream = new FakeStream();
    this.streams.push(stream);
    return stream;
  }
}

/** Stands in for the driver's `ChangeStream`: the test emits `init`, `change` and `error`. */
class FakeStream extends EventEmitter implements ChangeStreamLike {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

const OPTIONS: ChangeLogWatcherOptions = { pollIntervalMs: 10, retentionMs: 300_000, changeStreams: 'auto', origin: 'me' };

let log: FakeLog;
let seen: WatchedChange[];
let errors: Error[];
let watcher: ChangeLogWatcher;
let unsubscribe: () => Promise<void>;

/** Starts a watcher with one subscriber; `onError: null` subscribes without one. */
function start(options: Partial<ChangeLogWatcherOptions> = {}, onError: ((error: Error) => void) | null = (error) => errors.push(error)): Promise<string> {
  watcher = new ChangeLogWatcher(log, { ...OPTIONS, ...options });
  const subscription = watcher.subscribe((change) => seen.push(change), onError ?? undefined);
  unsubscribe = subscription.unsubscribe;
  return subscription.ready;
}

beforeEach(() => {
  log = new FakeLog();
  seen = [];
  errors = [];
});

afterEach(async () => {
  await unsubscribe();
  jest.useRealTimers();
});

describe('polling', () => {
  it('reports each new entry once, in order, except its own store’s', async () => {
    await expect(start()).resolves.toBe('polling');
    log.add({ keyId: 'AAAAAAAAAAA1' });
    log.add({ origin: 'me', keyId: 'AAAAAAAAAAA2' });
    log.add({ type: 'group', action: 'member-removed', group: 'editors', userIds: ['alice'], keyId: undefined, actor: 'admin' });
    await until(() => seen.length >= 2);
    const finds = log.finds;
    await until(() => log.finds >= finds + 5); // re-reads of the overlap report nothing twice
    expect(seen).toEqual([
      { type: 'apiKey', id: 'AAAAAAAAAAA1', action: 'revoked' },
      { type: 'group', name: 'editors', action: 'member-removed', userIds: ['alice'], actor: 'admin' },
    ]);
  });

  it('reports an entry that became visible after a newer one, within the overlap', async () => {
    await start();
    log.add({ keyId: 'AAAAAAAAAAA1' });
    await until(() => seen.length === 1);
    // Logged (by the server clock) before the entry already seen, committed after it.
    log.add({ keyId: 'AAAAAAAAAAA2' }, new Date(Date.now() - POLL_OVERLAP_MS / 2));
    await until(() => seen.length === 2);
    expect(seen[1]).toMatchObject({ id: 'AAAAAAAAAAA2' });
  });

  it('reads a burst larger than a page completely, page after page, with no reset', async () => {
    const at = new Date();
    for (let index = 0; index < POLL_PAGE_SIZE * 2 + 10; index += 1) log.add({ keyId: `B${String(index).padStart(11, '0')}` }, at);
    await start({ pollIntervalMs: 60_000 }); // only the first poll and its immediate follow-ups can report in time
    await until(() => seen.length >= POLL_PAGE_SIZE * 2 + 10);
    expect(seen.filter((change) => change.type === 'reset')).toEqual([]);
    expect(new Set(seen.map((change) => (change.type === 'apiKey' ? change.id : change.type))).size).toBe(POLL_PAGE_SIZE * 2 + 10);
  });

  it('answers a malformed entry with a reset and an onError, and goes on', async () => {
    await start();
    log.add({ type: 'apiKey', action: 'revoked', keyId: '{"$ne":null}' });
    log.add({ type: 'mystery', action: 'x' });
    log.add({ keyId: 'AAAAAAAAAAA3' });
    await until(() => seen.length >= 3);
    expect(seen).toEqual([{ type: 'reset' }, { type: 'reset' }, { type: 'apiKey', id: 'AAAAAAAAAAA3', action: 'revoked' }]);
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual(['ERR_STORE_UNAVAILABLE', 'ERR_STORE_UNAVAILABLE']);
  });

  it('holds only the entry ids of the last few seconds', async () => {
    await start();
    for (let index = 0; index < 50; index += 1) log.add({ keyId: `C${String(index).padStart(11, '0')}` }, new Date(Date.now() - 60_000));
    log.add({ keyId: 'AAAAAAAAAAA4' });
    await until(() => seen.length >= 1);
    // The 50 old entries are older than the overlap: never read, never held.
    expect(watcher.heldEntries).toBe(1);
  });

  it.each([
    ['an hour', 3_600_000],
    ['a day', 86_400_000],
  ])('is not blinded by an entry dated %s ahead of the server clock: reports it, resets, and reads on', async (_label, aheadMs) => {
    await start();
    log.add({ keyId: 'AAAAAAAAAAA1' }, new Date(Date.now() + aheadMs));
    await until(() => errors.length >= 1);
    expect(seen).toEqual(expect.arrayContaining([{ type: 'reset' }]));
    log.add({ keyId: 'AAAAAAAAAAA2' });
    await until(() => seen.some((change) => change.type === 'apiKey' && change.id === 'AAAAAAAAAAA2'));
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual(['ERR_STORE_UNAVAILABLE']);
    // Deleting the entry changes nothing: the watcher was never blind.
    log.entries.splice(0, 1);
    log.add({ keyId: 'AAAAAAAAAAA3' });
    await until(() => seen.some((change) => change.type === 'apiKey' && change.id === 'AAAAAAAAAAA3'));
  });

  it('reads on after the server clock steps back', async () => {
    await start();
    log.add({ keyId: 'AAAAAAAAAAA1' });
    await until(() => seen.length === 1);
    log.clockOffsetMs = -3_600_000; // the server's clock steps back an hour: new entries are dated by it
    log.add({ keyId: 'AAAAAAAAAAA2' }, new Date(Date.now() + log.clockOffsetMs));
    await until(() => seen.some((change) => change.type === 'apiKey' && change.id === 'AAAAAAAAAAA2'));
  });

  it('stops polling when the last subscriber leaves', async () => {
    await start();
    await unsubscribe();
    const finds = log.finds;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.finds).toBeLessThanOrEqual(finds + 1); // at most one poll already in flight
  });
});

describe('failures', () => {
  it('reports a failing poll, backs off, and on recovery reports what was logged meanwhile', async () => {
    await start({ pollIntervalMs: 20 });
    log.failing = true;
    await until(() => errors.length >= 3);
    expect(errors.every((error) => (error as { code?: string }).code === 'ERR_STORE_UNAVAILABLE')).toBe(true);
    expect(errors[0]?.message).not.toContain('ECONNREFUSED');
    // Backoff: 40, 80, 160 ms … so fewer polls than one per 20 ms.
    const before = log.finds;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log.finds - before).toBeLessThan(6);
    log.add({ keyId: 'AAAAAAAAAAA5' });
    log.failing = false;
    await until(() => seen.some((change) => change.type === 'apiKey' && change.id === 'AAAAAAAAAAA5'), 5_000);
  });

  it('reports a reset when it was blind for longer than the log keeps entries', async () => {
    await start({ retentionMs: 60_000, pollIntervalMs: 20 });
    log.failing = true;
    await until(() => errors.length >= 1);
    jest.useFakeTimers({ now: Date.now() + 60_000, doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval', 'clearInterval', 'hrtime', 'performance'] });
    log.failing = false;
    await until(() => seen.some((change) => change.type === 'reset'), 20_000);
  }, 25_000);

  it('without an onError, warns once per failure streak', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await start({ pollIntervalMs: 10 }, null);
      log.failing = true;
      await until(() => log.refused >= 4);
      expect(warn.mock.calls.filter(([message]) => String(message).includes('change watcher'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('a subscriber that arrives while the store is down waits for the recovery', async () => {
    log.failing = true;
    const ready = start({ pollIntervalMs: 10 });
    let settled = false;
    void ready.then(() => (settled = true));
    await until(() => errors.length >= 2);
    expect(settled).toBe(false);
    log.failing = false;
    await expect(ready).resolves.toBe('polling');
  });
});

describe('change streams (driver stream stood in for: FerretDB has none)', () => {
  it('uses a stream on a replica set: catches up from the log once the stream runs, then reports its inserts', async () => {
    log.setName = 'rs0';
    const ready = start({ pollIntervalMs: 60_000 });
    await until(() => log.streams.length === 1);
    log.add({ keyId: 'AAAAAAAAAAA6' }); // logged while the stream was opening
    const stream = log.streams[0] as FakeStream;
    stream.emit('init');
    await expect(ready).resolves.toBe('change-stream');
    expect(seen).toEqual([{ type: 'apiKey', id: 'AAAAAAAAAAA6', action: 'revoked' }]);
    const finds = log.finds;
    const entry = log.add({ type: 'group', action: 'deleted', group: 'editors', userIds: ['alice', 'bob'], keyId: undefined });
    stream.emit('change', { fullDocument: entry });
    stream.emit('change', { fullDocument: log.add({ origin: 'me', keyId: 'AAAAAAAAAAA7' }) });
    expect(seen[1]).toEqual({ type: 'group', name: 'editors', action: 'deleted', userIds: ['alice', 'bob'] });
    expect(seen).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.finds).toBe(finds); // no polling while the stream runs
  });

  it('reopens a failed stream with backoff and reads what was logged while it was closed', async () => {
    log.setName = 'rs0';
    const ready = start({ pollIntervalMs: 20 });
    await until(() => log.streams.length === 1);
    (log.streams[0] as FakeStream).emit('init');
    await ready;
    (log.streams[0] as FakeStream).emit('error', new Error('stream closed: mongodb://user:pw@db'));
    expect((log.streams[0] as FakeStream).closed).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).not.toContain('pw@db');
    log.add({ keyId: 'AAAAAAAAAAA8' });
    await until(() => log.streams.length === 2);
    (log.streams[1] as FakeStream).emit('init');
    await until(() => seen.some((change) => change.type === 'apiKey' && change.id === 'AAAAAAAAAAA8'));
    expect(seen.filter((change) => change.type === 'reset')).toEqual([]);
  });

  it('polls instead when changeStreams is "off", even on a replica set', async () => {
    log.setName = 'rs0';
    await expect(start({ changeStreams: 'off' })).resolves.toBe('polling');
    expect(log.streams).toHaveLength(0);
  });
});
