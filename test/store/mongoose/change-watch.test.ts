import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { mongooseChangeLogSource } from '../../../src/store/mongoose/change-log-source';
import { ChangeLogWatcher } from '../../../src/store/mongoose/change-log-watcher';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import type { WatchedChange } from '../../../src/store/scope-store';
import { connectTo, describeWithMongo, testMongoUri, uniqueDbName } from '../../support/mongo';
import { until } from '../../support/until';
import { TEST_HASH_OPTIONS } from '../store-contract';

// Cross-store change watching on the real test database. The test server is
// FerretDB (or mongod without a replica set), so everything here runs the
// POLLING path for real; the change-stream path is covered with a stand-in
// for the driver's stream in change-log-watcher.test.ts, and below with the
// real driver's watch(), which FerretDB refuses.

const POLL_MS = 100;

describeWithMongo('Change watching between two stores on one database (polling, for real)', () => {
  const uri = testMongoUri() ?? '';
  let dbName: string;
  let connections: Connection[];
  let a: MongooseScopeStore;
  let b: MongooseScopeStore;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeEach(async () => {
    dbName = uniqueDbName();
    connections = [await connectTo(uri, dbName, { monitorCommands: true }), await connectTo(uri, dbName)];
    a = new MongooseScopeStore(connections[1] as Connection, { hashOptions: TEST_HASH_OPTIONS, pollIntervalMs: POLL_MS });
    b = new MongooseScopeStore(connections[0] as Connection, { hashOptions: TEST_HASH_OPTIONS, pollIntervalMs: POLL_MS });
    // Both stores' models build their indexes now, so that no late createIndexes of b's
    // (autoIndex, on the monitored connection) lands inside a test's command count.
    await Promise.all([a, b].flatMap((store) => [store.models.ScopedChange.init(), store.models.ScopedApiKey.init(), store.models.ScopedGroup.init()]));
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await connections[0]?.dropDatabase();
    for (const connection of connections) await connection.close();
  });

  function watchB(): { seen: WatchedChange[]; errors: Error[]; ready: Promise<string> } {
    const seen: WatchedChange[] = [];
    const errors: Error[] = [];
    const watch = b.watchChanges((change) => seen.push(change), { onError: (error) => errors.push(error) });
    cleanup.push(() => watch.dispose());
    return { seen, errors, ready: watch.ready };
  }

  it('reports every kind of change made through the other store, deletions and removed members included', async () => {
    const { seen, ready } = watchB();
    await expect(ready).resolves.toBe('polling');
    const { apiKey } = await a.createApiKey({ name: 'ci', scopes: ['posts.read'] });
    await a.setApiKeyScopes(apiKey.id, ['posts.write'], { actor: 'admin' });
    await a.updateApiKey(apiKey.id, { name: 'renamed' });
    const { apiKey: rotated } = await a.rotateApiKey(apiKey.id, { gracePeriodMs: 0 });
    await a.revokeApiKey(rotated.id);
    await a.saveGroup({ name: 'editors', scopes: ['posts.read'] });
    await a.addGroupMember('editors', 'alice');
    await a.addGroupMember('editors', 'bob');
    await a.removeGroupMember('editors', 'bob');
    await a.deleteGroup('editors');
    await until(() => seen.length >= 11);
    expect(seen).toEqual([
      { type: 'apiKey', id: apiKey.id, action: 'created' },
      { type: 'apiKey', id: apiKey.id, action: 'scopes', actor: 'admin' },
      { type: 'apiKey', id: apiKey.id, action: 'updated' },
      { type: 'apiKey', id: rotated.id, action: 'created' },
      { type: 'apiKey', id: apiKey.id, action: 'rotated', rotatedTo: rotated.id },
      { type: 'apiKey', id: rotated.id, action: 'revoked' },
      { type: 'group', name: 'editors', action: 'saved', userIds: [] },
      { type: 'group', name: 'editors', action: 'member-added', userIds: ['alice'] },
      { type: 'group', name: 'editors', action: 'member-added', userIds: ['bob'] },
      { type: 'group', name: 'editors', action: 'member-removed', userIds: ['bob'] },
      { type: 'group', name: 'editors', action: 'deleted', userIds: ['alice'] },
    ]);
  });

  it('reports its own store’s changes once, at once, not again from the log', async () => {
    const { seen, ready } = watchB();
    await ready;
    await b.saveGroup({ name: 'editors', scopes: ['posts.read'] });
    expect(seen).toEqual([{ type: 'group', name: 'editors', action: 'saved', userIds: [] }]);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    expect(seen).toHaveLength(1);
  });

  it('costs one query of the change log per poll interval when idle, and none once disposed', async () => {
    // Every model's indexes first: a model's first use builds them (createIndexes), which is not the watcher's cost.
    await Promise.all(Object.values(b.models).map((model: { init(): Promise<unknown> }) => model.init()));
    const finds: string[] = [];
    const other: string[] = [];
    connections[0]?.getClient().on('commandStarted', (event) => {
      if (event.commandName === 'find' && event.command.find === b.models.ScopedChange.collection.collectionName) finds.push(event.commandName);
      else other.push(event.commandName);
    });
    const watch = b.watchChanges(() => undefined);
    await watch.ready;
    const start = finds.length;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 10));
    const polls = finds.length - start;
    expect(polls).toBeGreaterThanOrEqual(5);
    expect(polls).toBeLessThanOrEqual(11);
    expect(other.filter((name) => name !== 'hello' && name !== 'isMaster')).toEqual([]);
    await watch.dispose();
    const after = finds.length;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    expect(finds.length - after).toBeLessThanOrEqual(1);
  });

  it('one watcher serves every subscription of a store object', async () => {
    const finds: number[] = [];
    connections[0]?.getClient().on('commandStarted', (event) => {
      if (event.commandName === 'find') finds.push(Date.now());
    });
    const watches = [b.watchChanges(() => undefined), b.watchChanges(() => undefined), b.watchChanges(() => undefined)];
    await Promise.all(watches.map((watch) => watch.ready));
    const start = finds.length;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 10));
    expect(finds.length - start).toBeLessThanOrEqual(11);
    for (const watch of watches) await watch.dispose();
  });

  it('answers an entry written by another tool that it cannot read with a reset and an onError', async () => {
    const { seen, errors, ready } = watchB();
    await ready;
    await connections[1]?.collection('scoped_changes').insertOne({ at: new Date(), origin: 'x', type: 'apiKey', action: 'revoked', keyId: 42 });
    await until(() => seen.length >= 1);
    expect(seen).toEqual([{ type: 'reset' }]);
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' })]);
  });

  it('deletes entries older than changeRetentionMs when it writes', async () => {
    const changes = connections[1]?.collection('scoped_changes');
    await changes?.insertOne({ at: new Date(Date.now() - 120_000), origin: 'old', type: 'group', action: 'saved', group: 'g', userIds: [] });
    const pruning = new MongooseScopeStore(connections[1] as Connection, { hashOptions: TEST_HASH_OPTIONS, changeRetentionMs: 60_000 });
    await pruning.saveGroup({ name: 'editors', scopes: ['posts.read'] });
    await until(async () => (await changes?.countDocuments({ origin: 'old' })) === 0);
    await expect(changes?.countDocuments({})).resolves.toBe(1);
  });

  const itOnFerretDb = process.env.GSP_TEST_MONGO_KIND === 'ferretdb' ? it : it.skip;
  itOnFerretDb('with the real driver’s watch() on FerretDB, which has no change streams: reports the failure and keeps retrying, never silently', async () => {
    // hello is made to claim a replica set, so the watcher takes the stream path; the stream itself is the driver's, on FerretDB.
    const real = mongooseChangeLogSource(b.models.ScopedChange);
    const errors: Error[] = [];
    const watcher = new ChangeLogWatcher({ ...real, hello: async () => ({ ...(await real.hello()), setName: 'claimed' }) }, {
      pollIntervalMs: 20,
      retentionMs: 300_000,
      changeStreams: 'auto',
      origin: 'test',
    });
    const subscription = watcher.subscribe(() => undefined, (error) => errors.push(error));
    cleanup.push(() => subscription.unsubscribe());
    await until(() => errors.length >= 2);
    expect(errors[0]).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: { operation: 'watchChanges' } });
  });
});
