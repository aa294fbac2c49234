import { AdminSessionStore, PENDING_KEY_TTL_MS, stashPendingKey, takePendingKey } from '../../../src/admin/session/session-store';

const MINUTE = 60_000;

describe('AdminSessionStore', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const limits = { idleTimeoutMs: 30 * MINUTE, maxAgeMs: 12 * 60 * MINUTE, maxSessions: 3 };

  it('gives random 256-bit base64url ids, and keeps only their digests', () => {
    const store = new AdminSessionStore(limits);
    const a = store.create({ credential: 'gsp_secret' });
    const b = store.create({ credential: 'gsp_secret' });
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(store.get(a.id)).toBe(a.session);
    // Nothing in the store is keyed by the id itself.
    expect(JSON.stringify([...(store as unknown as { sessions: Map<string, unknown> }).sessions.keys()])).not.toContain(a.id);
  });

  it('ends a session idle for idleTimeoutMs, and keeps one in use', () => {
    const store = new AdminSessionStore(limits);
    const { id } = store.create({ credential: 'k' });
    jest.advanceTimersByTime(29 * MINUTE);
    expect(store.get(id)).toBeDefined();
    jest.advanceTimersByTime(29 * MINUTE);
    expect(store.get(id)).toBeDefined();
    jest.advanceTimersByTime(30 * MINUTE);
    expect(store.get(id)).toBeUndefined();
    // Gone for good, not just hidden.
    jest.setSystemTime(new Date('2026-11-26T12:00:00Z'));
    expect(store.get(id)).toBeUndefined();
  });

  it('ends a session maxAgeMs after sign-in even when used all along', () => {
    const store = new AdminSessionStore(limits);
    const { id } = store.create({ credential: 'k' });
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      jest.advanceTimersByTime(20 * MINUTE);
      expect(store.get(id)).toBeDefined();
    }
    jest.advanceTimersByTime(20 * MINUTE);
    expect(store.get(id)).toBeUndefined();
  });

  it('keeps at most maxSessions, ending the least recently used', () => {
    const store = new AdminSessionStore(limits);
    const ids = [1, 2, 3].map(() => store.create({ credential: 'k' }).id);
    store.get(ids[0]);
    store.create({ credential: 'k' });
    expect(store.size).toBe(3);
    expect(store.get(ids[0])).toBeDefined();
    expect(store.get(ids[1])).toBeUndefined();
  });

  it.each([undefined, '', 'short', 'x'.repeat(43).replace(/x/g, '!'), 'a'.repeat(44)])('ignores the malformed id %j', (id) => {
    const store = new AdminSessionStore(limits);
    expect(store.get(id)).toBeUndefined();
  });
});

describe('pending keys', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('are taken once, then never again', () => {
    const { session } = new AdminSessionStore({ idleTimeoutMs: MINUTE, maxAgeMs: MINUTE, maxSessions: 1 }).create({});
    stashPendingKey(session, 'id1', 'gsp_key');
    expect(takePendingKey(session, 'id1')).toBe('gsp_key');
    expect(takePendingKey(session, 'id1')).toBeUndefined();
  });

  it(`are dropped after ${PENDING_KEY_TTL_MS} ms unshown`, () => {
    const { session } = new AdminSessionStore({ idleTimeoutMs: MINUTE, maxAgeMs: MINUTE, maxSessions: 1 }).create({});
    stashPendingKey(session, 'id1', 'gsp_key');
    jest.advanceTimersByTime(PENDING_KEY_TTL_MS);
    expect(takePendingKey(session, 'id1')).toBeUndefined();
    expect(session.pendingKeys.size).toBe(0);
  });

  it('are at most 10 per session, oldest dropped first', () => {
    const { session } = new AdminSessionStore({ idleTimeoutMs: MINUTE, maxAgeMs: MINUTE, maxSessions: 1 }).create({});
    for (let index = 0; index < 12; index += 1) stashPendingKey(session, `id${index}`, `key${index}`);
    expect(session.pendingKeys.size).toBe(10);
    expect(takePendingKey(session, 'id0')).toBeUndefined();
    expect(takePendingKey(session, 'id11')).toBe('key11');
  });
});
