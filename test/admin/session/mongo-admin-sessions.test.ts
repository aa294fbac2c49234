import { ADMIN_SESSION_COLLECTION, MongoAdminSessions } from '../../../src/admin/session/mongo-admin-sessions';
import { sessionDigest } from '../../../src/admin/session/session-store';
import { connectTo, describeWithMongo, testMongoUri } from '../../support/mongo';
import { CONTRACT_LIMITS, adminSessionsContract } from './admin-sessions-contract';

describeWithMongo('MongoAdminSessions', (database) => {
  const peek = async () => JSON.stringify(await database().connection.collection(ADMIN_SESSION_COLLECTION).find({}).toArray());

  describe('the contract', () => {
    adminSessionsContract(() => ({ sessions: new MongoAdminSessions(database().connection, CONTRACT_LIMITS, 5000), peek }));
  });

  it('shares sessions, sign-out and new keys between two connections (two replicas)', async () => {
    const other = await connectTo(testMongoUri() as string, database().dbName);
    try {
      const first = new MongoAdminSessions(database().connection, CONTRACT_LIMITS, 5000);
      const second = new MongoAdminSessions(other, CONTRACT_LIMITS, 5000);
      const { id } = await first.create({ credential: 'gsp_admin_credential' });
      expect(await second.get(id)).toMatchObject({ credential: 'gsp_admin_credential' });
      await first.stashPendingKey(id, 'key1', 'gsp_new');
      const taken = await Promise.all([first.takePendingKey(id, 'key1'), second.takePendingKey(id, 'key1')]);
      expect(taken.filter((key) => key !== undefined)).toEqual(['gsp_new']);
      await second.delete(id);
      expect(await first.get(id)).toBeUndefined();
      expect(await first.sharedSecret()).toEqual(await second.sharedSecret());
    } finally {
      await other.close();
    }
  });

  it.each([
    ['a credential box sealed for another session', async (id: string, other: string) => ({ $set: { credential: (await database().connection.collection(ADMIN_SESSION_COLLECTION).findOne({ _id: sessionDigest(other) as never }))?.credential } })],
    ['a bad date', async () => ({ $set: { createdAt: 'yesterday' } })],
    ['neither credential nor user', async () => ({ $unset: { credential: '' } })],
  ])('treats a malformed record (%s) as no session, and deletes it', async (_, change) => {
    const sessions = new MongoAdminSessions(database().connection, CONTRACT_LIMITS, 5000);
    const { id } = await sessions.create({ credential: 'one' });
    const { id: other } = await sessions.create({ credential: 'two' });
    await database().connection.collection(ADMIN_SESSION_COLLECTION).updateOne({ _id: sessionDigest(id) as never }, await change(id, other));
    expect(await sessions.get(id)).toBeUndefined();
    expect(await database().connection.collection(ADMIN_SESSION_COLLECTION).countDocuments({ _id: sessionDigest(id) as never })).toBe(0);
  });

  it('fails with ERR_STORE_UNAVAILABLE (503) when the database is gone', async () => {
    const lost = await connectTo(testMongoUri() as string, database().dbName);
    await lost.close();
    const sessions = new MongoAdminSessions(lost, CONTRACT_LIMITS, 1000);
    await expect(sessions.create({ credential: 'k' })).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(sessions.get('a'.repeat(43))).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });
});
