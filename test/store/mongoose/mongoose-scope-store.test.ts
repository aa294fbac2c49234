import mongoose from 'mongoose';
import { SignJWT } from 'jose';
import { createScopedContext } from '../../../src/auth/create-scoped-context';
import { createJwtVerifier } from '../../../src/auth/jwt/jwt-verifier';
import type { ScopedPermissionsError } from '../../../src/errors/scoped-permissions-error';
import { createApiKeyVerifier } from '../../../src/auth/api-keys/api-key-verifier';
import * as apiKeyFormat from '../../../src/keys/api-key-format';
import { MongooseScopeStore } from '../../../src/store/mongoose/mongoose-scope-store';
import { MAX_INSERT_ATTEMPTS } from '../../../src/store/mongoose/insert-api-key';
import { DATABASE_CLOCK } from '../../../src/store/mongoose/database-clock';
import { createScopedModels } from '../../../src/store/mongoose/create-scoped-models';
import { ScopedApiKey, ScopedAudit, ScopedChange, ScopedGroup } from '../../../src/store/mongoose/default-models';
import type { ScopeStore } from '../../../src/store/scope-store';
import { describeWithMongo, testMongoUri, uniqueDbName } from '../../support/mongo';
import { MONGO_ENV } from '../../support/mongo-env';
import { freePort } from '../../support/mongo-server';
import { TEST_HASH_OPTIONS, describeScopeStoreContract } from '../store-contract';

/** Every store method, called with valid arguments, for the outage tables. */
const CALLS: ReadonlyArray<readonly [string, (store: ScopeStore) => Promise<unknown>]> = [
  ['createApiKey', (store) => store.createApiKey({ name: 'ci', scopes: ['posts.read'] })],
  ['getApiKey', (store) => store.getApiKey('AAAAAAAAAAAA')],
  ['listApiKeys', (store) => store.listApiKeys()],
  ['revokeApiKey', (store) => store.revokeApiKey('AAAAAAAAAAAA')],
  ['setApiKeyScopes', (store) => store.setApiKeyScopes('AAAAAAAAAAAA', ['posts.read'])],
  ['touchApiKey', (store) => store.touchApiKey('AAAAAAAAAAAA', new Date())],
  ['findApiKeyCredential', (store) => store.findApiKeyCredential('AAAAAAAAAAAA')],
  ['updateApiKeyHash', (store) => store.updateApiKeyHash('AAAAAAAAAAAA', '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA')],
  ['saveGroup', (store) => store.saveGroup({ name: 'editors', scopes: ['posts.read'] })],
  ['deleteGroup', (store) => store.deleteGroup('editors')],
  ['addGroupMember', (store) => store.addGroupMember('editors', 'alice')],
  ['removeGroupMember', (store) => store.removeGroupMember('editors', 'alice')],
  ['listGroups', (store) => store.listGroups()],
  ['getUserScopes', (store) => store.getUserScopes('alice')],
  ['listAuditEntries', (store) => store.listAuditEntries({ actor: 'cli:alice' })],
];

describeWithMongo(
  'MongooseScopeStore',
  (database) => {
    let commands = 0;
    beforeAll(() => {
      database().connection.getClient().on('commandStarted', () => {
        commands += 1;
      });
    });

    it('counts the store’s database commands, so the contract’s “no command for bad input” check can fail', async () => {
      const store = new MongooseScopeStore(database().connection.useDb(uniqueDbName(), { useCache: false }));
      const before = commands;
      await store.listGroups();
      expect(commands).toBeGreaterThan(before);
    });

    describeScopeStoreContract('MongooseScopeStore', async () => {
      // A database per test, on the suite's connection pool.
      const connection = database().connection.useDb(uniqueDbName(), { useCache: false });
      // The contract freezes Date; the server's clock cannot be frozen, so the store reads Date for it here (clock-skew.test.ts uses the server's).
      const store = new MongooseScopeStore(connection, { hashOptions: TEST_HASH_OPTIONS, [DATABASE_CLOCK]: async () => new Date() });
      await Promise.all([store.models.ScopedApiKey.init(), store.models.ScopedGroup.init()]);
      return {
        store,
        commandCount: () => commands,
        teardown: async () => {
          await connection.dropDatabase();
        },
      };
    });

    describe('unique indexes', () => {
      let store: MongooseScopeStore;
      beforeAll(async () => {
        store = new MongooseScopeStore(database().connection.useDb(uniqueDbName(), { useCache: false }), { hashOptions: TEST_HASH_OPTIONS });
        await Promise.all([store.models.ScopedApiKey.init(), store.models.ScopedGroup.init()]);
      });
      afterEach(() => {
        jest.restoreAllMocks();
      });

      it('draws a fresh id when a generated id is taken', async () => {
        const { apiKey: first } = await store.createApiKey({ name: 'first' });
        const real = apiKeyFormat.generateApiKey('gsp');
        const spy = jest.spyOn(apiKeyFormat, 'generateApiKey').mockReturnValueOnce({ ...real, id: first.id, key: real.key.replace(real.id, first.id) });
        const { apiKey: second } = await store.createApiKey({ name: 'second' });
        expect(spy).toHaveBeenCalledTimes(2);
        expect(second.id).not.toBe(first.id);
        await expect(store.models.ScopedApiKey.countDocuments({ keyId: first.id })).resolves.toBe(1);
      });

      it('raises ERR_DUPLICATE when every drawn id is taken', async () => {
        const taken = apiKeyFormat.generateApiKey('gsp');
        const spy = jest.spyOn(apiKeyFormat, 'generateApiKey').mockReturnValue(taken);
        await store.createApiKey({ name: 'first' });
        await expect(store.createApiKey({ name: 'second' })).rejects.toMatchObject({
          code: 'ERR_DUPLICATE',
          // MongoDB names the index fields (keyPattern); FerretDB 1.x does not, so only the operation is asserted here.
          details: expect.objectContaining({ operation: 'createApiKey' }),
          cause: expect.objectContaining({ code: 11000 }),
        });
        expect(spy).toHaveBeenCalledTimes(1 + MAX_INSERT_ATTEMPTS);
        await expect(store.models.ScopedApiKey.countDocuments({ keyId: taken.id })).resolves.toBe(1);
      });

      it('keeps one group per name even under concurrent first saves', async () => {
        const saves = await Promise.all(Array.from({ length: 5 }, (_, i) => store.saveGroup({ name: 'racers', scopes: [`r${i}.read`] })));
        expect(saves).toHaveLength(5);
        await expect(store.models.ScopedGroup.countDocuments({ name: 'racers' })).resolves.toBe(1);
      });
    });

    describe('records written by other tools', () => {
      let store: MongooseScopeStore;
      beforeAll(async () => {
        store = new MongooseScopeStore(database().connection.useDb(uniqueDbName(), { useCache: false }), { hashOptions: TEST_HASH_OPTIONS });
        await store.models.ScopedApiKey.init();
      });

      // lean() does not cast, so these reach the store as they are; read as "never", each would let the key in.
      it.each<[string, Record<string, unknown>]>([
        ['a revokedAt stored as a string', { revokedAt: '2024-01-01T00:00:00Z' }],
        ['a revokedAt stored as a number', { revokedAt: 1_704_067_200_000 }],
        ['a revokedAt stored as true', { revokedAt: true }],
        ['an expiresAt stored as a string', { expiresAt: '2000-01-01' }],
        ['scopes stored as a string', { scopes: 'posts.read' }],
      ])('fail closed on %s: ERR_STORE_UNAVAILABLE, and the verifier refuses the key', async (_label, fields) => {
        const { apiKey, key } = await store.createApiKey({ name: 'imported', scopes: ['posts.read'] });
        await store.models.ScopedApiKey.collection.updateOne({ keyId: apiKey.id }, { $set: fields });
        await expect(store.findApiKeyCredential(apiKey.id)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        const verifier = createApiKeyVerifier(store, { hashOptions: TEST_HASH_OPTIONS });
        await expect(verifier.verify(key)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        await verifier.dispose();
      });

      // Rolling copies the key's state into a new key: read as "none", a corrupt field would be dropped from the
      // successor (an expired key rolled into one that never expires, an owner-bound key freed, a limited key unlimited).
      // Refused at once, naming the field: not three compare-and-set misses reported as "kept changing; try again".
      it.each<[string, Record<string, unknown>]>([
        ['an expiresAt stored as a string', { expiresAt: '2000-01-01' }],
        ['an ownerId stored as a number', { ownerId: 42 }],
        ['a rateLimit stored as a number', { rateLimit: 100 }],
        ['a rateLimit that is no rate', { rateLimit: '0/hour' }],
        ['a revokedAt stored as a string', { revokedAt: '2024-01-01T00:00:00Z' }],
      ])('refuses to roll a key with %s (ERR_STORE_UNAVAILABLE) and makes no successor', async (_label, fields) => {
        const { apiKey } = await store.createApiKey({ name: 'imported', scopes: ['posts.read'], ownerId: 'alice', rateLimit: '10/minute' });
        await store.models.ScopedApiKey.collection.updateOne({ keyId: apiKey.id }, { $set: fields });
        await expect(store.rotateApiKey(apiKey.id, { gracePeriodMs: 0 })).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: { operation: 'rotateApiKey', id: apiKey.id, field: Object.keys(fields)[0] } });
        await expect(store.models.ScopedApiKey.countDocuments({ rotatedFrom: apiKey.id })).resolves.toBe(0);
      });

      it('still reads a revokedAt stored as a BSON date as revoked', async () => {
        const { apiKey, key } = await store.createApiKey({ name: 'imported', scopes: ['posts.read'] });
        await store.models.ScopedApiKey.collection.updateOne({ keyId: apiKey.id }, { $set: { revokedAt: new Date('2024-01-01T00:00:00Z') } });
        const verifier = createApiKeyVerifier(store, { hashOptions: TEST_HASH_OPTIONS });
        await expect(verifier.verify(key)).resolves.toEqual({ ok: false, reason: 'revoked' });
        await verifier.dispose();
      });
    });

    describe('finding 1: scopes read back from a store are type-checked', () => {
      let store: MongooseScopeStore;
      beforeAll(async () => {
        store = new MongooseScopeStore(database().connection.useDb(uniqueDbName(), { useCache: false }), { hashOptions: TEST_HASH_OPTIONS });
        await Promise.all([store.models.ScopedApiKey.init(), store.models.ScopedGroup.init()]);
      });

      // Written straight to the collection, as another tool or a migration might: Mongoose never casts them.
      const BAD_SCOPES: Array<[string, unknown]> = [
        ['the string "posts.*", which would grant p, o, s, t, "." and "*"', 'posts.*'],
        // FerretDB refuses "$" keys in stored documents; custom stores try { $gt: 1 } (test/store/stored-records.test.ts).
        ['an object', { all: true }],
        ['an array holding an object', ['posts.read', { all: true }]],
        ['an array holding a number', ['posts.read', 42]],
        ['an array holding a string that is no grant', ['posts.read', '{"$gt":1}']],
      ];

      it.each(BAD_SCOPES)('a group whose scopes are %s fails closed in getUserScopes, the session path and the JWT union', async (_label, scopes) => {
        const userId = `member-${Math.random().toString(36).slice(2)}`;
        const name = `imported-${Math.random().toString(36).slice(2, 8)}`;
        await store.models.ScopedGroup.collection.insertOne({ name, scopes, members: [userId], createdAt: new Date(), updatedAt: new Date() });
        await expect(store.getUserScopes(userId)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', details: expect.objectContaining({ field: 'scopes' }) });
        await expect(store.listGroups()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });

        const errors: string[] = [];
        const context = createScopedContext({ store, getUser: () => ({ id: userId }), onError: (error, { kind }) => errors.push(`${kind} ${(error as ScopedPermissionsError).code}`) });
        await expect(context({ req: { headers: {} } })).rejects.toMatchObject({ extensions: { code: 'ERR_STORE_UNAVAILABLE', http: { status: 503 } } });
        expect(errors).toEqual(['store-unavailable ERR_STORE_UNAVAILABLE']);

        const jwt = createJwtVerifier({ secret: 'a-shared-secret-of-at-least-32-bytes!', issuer: 'idp', audience: 'api' }, store);
        const token = await new SignJWT({ sub: userId, iss: 'idp', aud: 'api' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'));
        await expect(jwt.verify(token)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        await store.models.ScopedGroup.collection.deleteOne({ name });
      });

      it.each(BAD_SCOPES)('a key whose scopes are %s fails closed: the verifier never builds a principal', async (_label, scopes) => {
        const { apiKey, key } = await store.createApiKey({ name: 'imported', scopes: ['posts.read'] });
        await store.models.ScopedApiKey.collection.updateOne({ keyId: apiKey.id }, { $set: { scopes } });
        await expect(store.findApiKeyCredential(apiKey.id)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        const verifier = createApiKeyVerifier(store);
        await expect(verifier.verify(key)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        await verifier.dispose();
      });

      it('lets a malformed group be repaired by saveGroup, or deleted', async () => {
        for (const name of ['repairable', 'deletable']) {
          await store.models.ScopedGroup.collection.insertOne({ name, scopes: 'posts.*', members: [`${name}-user`], createdAt: new Date(), updatedAt: new Date() });
        }
        await expect(store.getUserScopes('repairable-user')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', message: expect.stringContaining('"repairable"') });
        await expect(store.saveGroup({ name: 'repairable', scopes: ['posts.read'] })).resolves.toMatchObject({ scopes: ['posts.read'], members: ['repairable-user'] });
        await expect(store.getUserScopes('repairable-user')).resolves.toEqual(['posts.read']);
        await expect(store.deleteGroup('deletable')).resolves.toBeUndefined();
        await expect(store.getUserScopes('deletable-user')).resolves.toEqual([]);
      });

      it('still reads well-formed groups, and a key stored without scopes as a legacy key', async () => {
        await store.saveGroup({ name: 'fine', scopes: ['posts.*'] });
        await store.addGroupMember('fine', 'fine-user');
        await expect(store.getUserScopes('fine-user')).resolves.toEqual(['posts.*']);
        const { apiKey } = await store.createApiKey({ name: 'legacy', scopes: ['posts.read'] });
        await store.models.ScopedApiKey.collection.updateOne({ keyId: apiKey.id }, { $unset: { scopes: '' } });
        await expect(store.findApiKeyCredential(apiKey.id)).resolves.toMatchObject({ apiKey: { scopes: [] } });
      });
    });

    describe('outages', () => {
      it.each(CALLS)('%s raises ERR_STORE_UNAVAILABLE on a closed connection', async (_method, call) => {
        const connection = mongoose.createConnection(testMongoUri() ?? '', { dbName: uniqueDbName(), bufferCommands: false });
        await connection.asPromise();
        const store = new MongooseScopeStore(connection, { hashOptions: TEST_HASH_OPTIONS });
        await connection.close();
        await expect(call(store)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', cause: expect.anything() });
      });

      describe('an unreachable server', () => {
        let uri: string;
        let connection: mongoose.Connection;
        let store: MongooseScopeStore;
        beforeAll(async () => {
          // Credentials in the URI must not leak into error messages.
          uri = `mongodb://gsp-user:hunter2-password@127.0.0.1:${await freePort()}/gsp_unreachable`;
          // Mongoose buffers operations while it is not connected: give up after 200 ms instead of 10 s.
          mongoose.set('bufferTimeoutMS', 200);
          connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 200 });
          connection.on('error', () => undefined);
          await connection.asPromise().catch(() => undefined);
          store = new MongooseScopeStore(connection, { hashOptions: TEST_HASH_OPTIONS });
        });
        afterAll(async () => {
          await connection.close();
        });

        it.each(CALLS)('%s fails closed with ERR_STORE_UNAVAILABLE and no connection string in the message', async (_method, call) => {
          const error = await call(store).then(
            () => null,
            (reason: unknown) => reason,
          );
          expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', name: 'ScopedPermissionsError', cause: expect.any(Error) });
          const message = error instanceof Error ? error.message : '';
          for (const secret of [uri, 'hunter2-password', 'gsp-user', 'mongodb://']) expect(message).not.toContain(secret);
        });

        it('still rejects bad input with ERR_INVALID_INPUT, since it checks before querying', async () => {
          await expect(store.getUserScopes(JSON.parse('{"$ne":null}') as string)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
          await expect(store.getApiKey('x')).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
        });
      });
    });

    // FerretDB 1.x on SQLite builds the index but plans every array-field filter as a full
    // scan ("SCAN", filterPushdown: false), so the plan can only be checked on MongoDB.
    const itOnMongoDb = process.env[MONGO_ENV.kind] === 'ferretdb' ? it.skip : it;
    itOnMongoDb('getUserScopes is served by the members index', async () => {
      const store = new MongooseScopeStore(database().connection.useDb(uniqueDbName(), { useCache: false }), { hashOptions: TEST_HASH_OPTIONS });
      await store.models.ScopedGroup.init();
      for (let i = 0; i < 20; i += 1) await store.saveGroup({ name: `group-${i}`, scopes: [`r${i}.read`] });
      await store.addGroupMember('group-7', 'alice');
      await expect(store.getUserScopes('alice')).resolves.toEqual(['r7.read']);
      const plan = await store.models.ScopedGroup.find({ members: 'alice' }, { scopes: 1, _id: 0 }).explain('queryPlanner');
      expect(JSON.stringify(plan)).toContain('"indexName":"members_1"');
    });

    describe('construction', () => {
      it('accepts models from createScopedModels', async () => {
        const connection = database().connection.useDb(uniqueDbName(), { useCache: false });
        const models = createScopedModels(connection, { apiKeyCollection: 'keys_elsewhere' });
        const store = new MongooseScopeStore(models, { hashOptions: TEST_HASH_OPTIONS, prefix: 'acme' });
        const { apiKey, key } = await store.createApiKey({ name: 'ci' });
        expect(key.startsWith('acme_')).toBe(true);
        expect(store.models).toBe(models);
        await expect(connection.collection('keys_elsewhere').countDocuments({ keyId: apiKey.id })).resolves.toBe(1);
        await connection.dropDatabase();
      });

      it('rejects an invalid prefix with ERR_INVALID_OPTIONS', () => {
        expect(() => new MongooseScopeStore(database().connection, { prefix: 'Bad_Prefix' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
      });

      it("without an argument, uses mongoose's default connection and the exported ScopedApiKey and ScopedGroup models", async () => {
        const store = new MongooseScopeStore(undefined, { hashOptions: TEST_HASH_OPTIONS });
        expect(store.models).toEqual({ ScopedApiKey, ScopedGroup, ScopedChange, ScopedAudit });
        const dbName = uniqueDbName();
        await mongoose.connect(testMongoUri() ?? '', { dbName, serverSelectionTimeoutMS: 5_000 });
        try {
          const { apiKey } = await store.createApiKey({ name: 'on-default', scopes: ['posts.read'] });
          await expect(ScopedApiKey.countDocuments({ keyId: apiKey.id })).resolves.toBe(1);
          await expect(mongoose.connection.collection('scoped_api_keys').countDocuments({ keyId: apiKey.id })).resolves.toBe(1);
          expect(mongoose.connection.db?.databaseName).toBe(dbName);
        } finally {
          await mongoose.connection.dropDatabase();
          await mongoose.disconnect();
        }
      });
    });
  },
  { monitorCommands: true },
);

describe('MongooseScopeStore construction misuse (from plain JavaScript)', () => {
  const URI = 'mongodb://admin:hunter2@db.example.com:27017/blog';
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['a connection string', URI, 'string'],
    ['a number', 27017, 'number'],
    ['an empty object', {}, 'an object that is no Connection'],
    ['the mongoose module itself', mongoose, 'an object that is no Connection'],
    ['models that are strings', { ScopedApiKey: URI, ScopedGroup: URI }, 'an object that is no Connection'],
    ['a connection-like object without useDb', { model: () => null, readyState: 1 }, 'an object that is no Connection'],
  ])('refuses %s with ERR_INVALID_OPTIONS naming what it expects, never echoing the argument', (_label, source, received) => {
    expect.assertions(5);
    try {
      new MongooseScopeStore(source as ConstructorParameters<typeof MongooseScopeStore>[0]);
    } catch (error) {
      expect(error).toMatchObject({ name: 'ScopedPermissionsError', code: 'ERR_INVALID_OPTIONS', details: { option: 'source', received } });
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
      expect((error as Error).message).toMatch(/mongoose Connection/);
      expect((error as Error).message).toMatch(/createScopedModels/);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('db.example.com');
    }
  });
});
