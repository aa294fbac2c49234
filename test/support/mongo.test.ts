import { describeWithMongo, connectTestDatabase } from './mongo';

describeWithMongo('test database harness', (database) => {
  it('answers a ping on a database of its own', async () => {
    const { connection, dbName } = database();
    await expect(connection.db?.admin().ping()).resolves.toMatchObject({ ok: 1 });
    expect(connection.name).toBe(dbName);
  });

  it('gives every connection a different database', async () => {
    const other = await connectTestDatabase();
    try {
      expect(other.dbName).not.toBe(database().dbName);
      await other.connection.collection('probe').insertOne({ n: 1 });
      await expect(database().connection.collection('probe').countDocuments()).resolves.toBe(0);
    } finally {
      await other.dispose();
    }
  });
});
