import { MemoryAdminSessions } from '../../../src/admin/session/session-store';
import { CONTRACT_LIMITS, adminSessionsContract } from './admin-sessions-contract';

describe('MemoryAdminSessions', () => {
  adminSessionsContract(() => {
    const sessions = new MemoryAdminSessions(CONTRACT_LIMITS);
    const peek = async () => JSON.stringify([...(sessions as unknown as { sessions: Map<string, unknown> }).sessions.keys()]);
    return { sessions, peek };
  });

  it('keeps at most maxSessions, ending the least recently used', async () => {
    const sessions = new MemoryAdminSessions({ ...CONTRACT_LIMITS, maxSessions: 3 });
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) ids.push((await sessions.create({ credential: 'k' })).id);
    await sessions.get(ids[0]);
    await sessions.create({ credential: 'k' });
    expect(sessions.size).toBe(3);
    expect(await sessions.get(ids[0])).toBeDefined();
    expect(await sessions.get(ids[1])).toBeUndefined();
  });

  it('ends every session on close', async () => {
    const sessions = new MemoryAdminSessions(CONTRACT_LIMITS);
    const { id } = await sessions.create({ credential: 'k' });
    await sessions.close();
    expect(await sessions.get(id)).toBeUndefined();
  });
});
