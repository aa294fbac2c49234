import { type AdminSessionLimits, type AdminSessions, PENDING_KEY_TTL_MS } from '../../../src/admin/session/session-store';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

/** The limits every run of the contract uses. */
export const CONTRACT_LIMITS: AdminSessionLimits = { idleTimeoutMs: 30 * MINUTE, maxAgeMs: 12 * 60 * MINUTE, maxSessions: 100 };

/** Freezes `Date` only (the driver's timers keep running), at `T0` plus `offsetMs`. */
function setNow(offsetMs: number): void {
  jest.setSystemTime(T0 + offsetMs);
}

/**
 * The behaviour every kind of admin sessions shares (memory and store): one
 * suite, run against each, as the store contract suite is.
 *
 * @param make - Builds fresh sessions with {@link CONTRACT_LIMITS}; `peek` lists what the backing holds, for secrecy checks.
 */
export function adminSessionsContract(make: () => { sessions: AdminSessions; peek: () => Promise<string> }): void {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'], now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('gives random 256-bit base64url ids, and keeps neither the id nor the credential in the clear', async () => {
    const { sessions, peek } = make();
    const a = await sessions.create({ credential: 'gsp_secretsecret' });
    const b = await sessions.create({ credential: 'gsp_secretsecret' });
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(await sessions.get(a.id)).toEqual({ credential: 'gsp_secretsecret', createdAtMs: T0, lastSeenAtMs: T0 });
    const held = await peek();
    expect(held).not.toContain(a.id);
    expect(held).not.toContain(b.id);
    if (sessions.kind === 'store') expect(held).not.toContain('gsp_secretsecret');
  });

  it('keeps a getUser session by user id', async () => {
    const { sessions } = make();
    const { id } = await sessions.create({ userId: 'alice' });
    expect(await sessions.get(id)).toEqual({ userId: 'alice', createdAtMs: T0, lastSeenAtMs: T0 });
  });

  it('ends a session idle for idleTimeoutMs exactly, and keeps one in use', async () => {
    const { sessions } = make();
    const { id } = await sessions.create({ credential: 'k' });
    setNow(30 * MINUTE - 1);
    expect(await sessions.get(id)).toMatchObject({ lastSeenAtMs: T0 + 30 * MINUTE - 1 });
    setNow(60 * MINUTE - 2);
    expect(await sessions.get(id)).toBeDefined();
    setNow(90 * MINUTE - 2);
    expect(await sessions.get(id)).toBeUndefined();
    // Gone for good, not just hidden.
    setNow(0);
    expect(await sessions.get(id)).toBeUndefined();
  });

  it('ends a session maxAgeMs after sign-in even when used all along', async () => {
    const { sessions } = make();
    const { id } = await sessions.create({ credential: 'k' });
    for (let elapsed = 20 * MINUTE; elapsed < 12 * 60 * MINUTE; elapsed += 20 * MINUTE) {
      setNow(elapsed);
      expect(await sessions.get(id)).toBeDefined();
    }
    setNow(12 * 60 * MINUTE - 1);
    expect(await sessions.get(id)).toBeDefined();
    setNow(12 * 60 * MINUTE);
    expect(await sessions.get(id)).toBeUndefined();
  });

  it('ends a session on delete (idempotent)', async () => {
    const { sessions } = make();
    const { id } = await sessions.create({ credential: 'k' });
    await sessions.delete(id);
    await sessions.delete(id);
    expect(await sessions.get(id)).toBeUndefined();
  });

  it.each([undefined, '', 'short', '!'.repeat(43), 'a'.repeat(44), { $ne: null }])('ignores the malformed id %j', async (id) => {
    const { sessions } = make();
    await sessions.create({ credential: 'k' });
    expect(await sessions.get(id as string)).toBeUndefined();
    await expect(sessions.delete(id as string)).resolves.toBeUndefined();
  });

  it('shows a new key once, never to another session, never in the clear in the backing', async () => {
    const { sessions, peek } = make();
    const mine = await sessions.create({ credential: 'k' });
    const other = await sessions.create({ credential: 'k' });
    await sessions.stashPendingKey(mine.id, 'id1', 'gsp_newkeynewkey');
    if (sessions.kind === 'store') expect(await peek()).not.toContain('gsp_newkeynewkey');
    expect(await sessions.takePendingKey(other.id, 'id1')).toBeUndefined();
    expect(await sessions.takePendingKey(mine.id, 'id1')).toBe('gsp_newkeynewkey');
    expect(await sessions.takePendingKey(mine.id, 'id1')).toBeUndefined();
  });

  it(`drops a new key unshown after ${PENDING_KEY_TTL_MS} ms`, async () => {
    const { sessions } = make();
    const { id } = await sessions.create({ credential: 'k' });
    await sessions.stashPendingKey(id, 'id1', 'gsp_key');
    setNow(PENDING_KEY_TTL_MS);
    expect(await sessions.takePendingKey(id, 'id1')).toBeUndefined();
  });

  it('keeps at most 10 new keys per session, oldest dropped first', async () => {
    const { sessions } = make();
    const { id } = await sessions.create({ credential: 'k' });
    for (let index = 0; index < 12; index += 1) {
      setNow(index);
      await sessions.stashPendingKey(id, `id${index}`, `key${index}`);
    }
    expect(await sessions.takePendingKey(id, 'id0')).toBeUndefined();
    expect(await sessions.takePendingKey(id, 'id1')).toBeUndefined();
    expect(await sessions.takePendingKey(id, 'id2')).toBe('key2');
    expect(await sessions.takePendingKey(id, 'id11')).toBe('key11');
  });
}
