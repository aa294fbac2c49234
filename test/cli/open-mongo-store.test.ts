import { openMongoStore } from '../../src/cli/open-mongo-store';
import { maskApiKey, parseApiKey } from '../../src/keys/api-key-format';
import { freePort } from '../support/mongo-server';
import { describeWithMongo, testMongoUri } from '../support/mongo';
import { linesOf, runCliInProcess } from './run-cli-in-process';

/** The test server's URI with the suite's own database name. */
function databaseUri(dbName: string): string {
  const url = new URL(testMongoUri() ?? '');
  url.pathname = `/${dbName}`;
  return url.toString();
}

describe('openMongoStore without a server', () => {
  it('fails fast with ERR_STORE_UNAVAILABLE and never names the password', async () => {
    const port = await freePort();
    const started = Date.now();
    expect.assertions(3);
    try {
      await openMongoStore(`mongodb://admin:top-s3cret@127.0.0.1:${port}/app`, { serverSelectionTimeoutMs: 300 });
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      expect((error as Error).message).not.toContain('top-s3cret');
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describeWithMongo('graphql-scoped-permissions keys and groups on the real Mongo store', (database) => {
  it('creates a key (shown once) and lists it masked, closing the connection each time', async () => {
    const { connection, dbName } = database();
    const env = { MONGODB_URI: databaseUri(dbName) };

    const created = await runCliInProcess(['keys', 'create', '--name', 'ci', '--scope', 'posts.read', '--expires', '30d'], { env });
    expect(created).toMatchObject({ code: 0, stderr: expect.stringContaining('Copy the key now') });
    const [key] = linesOf(created.stdout);
    const parsed = parseApiKey(key);
    expect(parsed).not.toBeNull();

    const stored = await connection.collection('scoped_api_keys').find({}).toArray();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(parsed?.secret);

    const listed = await runCliInProcess(['keys', 'list'], { env });
    expect(listed.code).toBe(0);
    expect(linesOf(listed.stdout)).toEqual([
      expect.stringMatching(/^ID\s+NAME\s+SCOPES/),
      expect.stringMatching(new RegExp(`^${maskApiKey('gsp', parsed?.id ?? '')}\\s+ci\\s+posts\\.read\\s+-\\s+\\S+Z\\s+\\S+Z\\s+-\\s+never\\s+-$`)),
    ]);
    expect(listed.stdout).not.toContain(key);
  });

  it('revokes a key', async () => {
    const env = { MONGODB_URI: databaseUri(database().dbName) };
    const created = await runCliInProcess(['keys', 'create', '--name', 'to-revoke', '--scope', 'posts.read'], { env });
    const id = parseApiKey(linesOf(created.stdout)[0])?.id ?? '';
    const revoked = await runCliInProcess(['keys', 'revoke', id], { env });
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    const listed = await runCliInProcess(['keys', 'list'], { env });
    expect(listed.stdout).toMatch(/to-revoke\s+posts\.read\s+-\s+\S+Z\s+never\s+\S+Z\s+never/);
  });

  it('sets a group, adds a user and lists groups', async () => {
    const env = { MONGODB_URI: databaseUri(database().dbName) };
    await expect(runCliInProcess(['groups', 'set', 'editors', '--scope', 'posts.read,posts.write'], { env })).resolves.toMatchObject({ code: 0 });
    await expect(runCliInProcess(['groups', 'add-user', 'editors', 'alice'], { env })).resolves.toMatchObject({ code: 0 });
    const groups = await runCliInProcess(['groups', 'list'], { env });
    expect(linesOf(groups.stdout)).toEqual(['NAME     SCOPES                   MEMBERS', 'editors  posts.read, posts.write  alice']);
  });

  it('reports an unknown id on the real store in one line', async () => {
    const env = { MONGODB_URI: databaseUri(database().dbName) };
    const run = await runCliInProcess(['keys', 'revoke', 'AAAAAAAAAAAA'], { env });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^error ERR_NOT_FOUND: /)]);
  });
});
