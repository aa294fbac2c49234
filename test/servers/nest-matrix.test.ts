import { MongooseScopeStore } from '../../src/store/mongoose/mongoose-scope-store';
import { connectTestDatabase, describeWithMongo, testMongoUri, type TestDatabase } from '../support/mongo';
import { type TcpProxy, startTcpProxy } from '../support/tcp-proxy';
import { until } from '../support/until';
import { FIRST_POST, createMatrixApp, type MatrixApp } from './matrix-app';
import { MATRIX_CASES, type MatrixKeys, createMatrixKeys, headersOf } from './matrix-cases';
import { postGraphQL, subscribeWs } from './matrix-client';
import { differencesFor } from './expected-differences';
import { MATRIX_VARIANTS, expectedAnswer, expectedRevokedSubscription } from './matrix-expectations';
import { observedAnswer, observedBody } from './observed-answer';
import { type NestMatrixServer, startNest } from './start-nest';

// The behaviour matrix for NestJS 12 (Apollo driver) on MongoDB: the same cases, variants and
// expected answers as server-matrix.test.ts, with Nest in a child process (it ships ES modules
// only), its store in the test database, a store outage made by cutting a TCP proxy between
// Nest and the database, and resolver calls and subscription events passed over IPC.

describeWithMongo('the behaviour matrix on NestJS', () => {
  describe.each(MATRIX_VARIANTS.map((variant) => [variant.label, variant] as const))('NestJS 12 (Apollo driver), %s', (_label, variant) => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let app: MatrixApp;
    let keys: MatrixKeys;
    let nest: NestMatrixServer;

    beforeAll(async () => {
      database = await connectTestDatabase();
      const target = new URL(testMongoUri() ?? '');
      proxy = await startTcpProxy(target.hostname, Number(target.port));
      // The test's side of the store: the same database, for keys and revocations.
      app = createMatrixApp(variant.mode, variant.edgeCheck, new MongooseScopeStore(database.connection));
      keys = await createMatrixKeys(app);
      target.port = String(proxy.port);
      nest = await startNest(variant.mode, variant.edgeCheck, target.toString(), database.dbName);
    }, 90_000);
    afterAll(async () => {
      await nest?.close();
      await app?.context.dispose();
      await proxy?.close();
      await database?.dispose();
    });

    it.each(MATRIX_CASES.map((matrixCase) => [matrixCase.name, matrixCase] as const))('%s', async (caseName, matrixCase) => {
      const reference = expectedAnswer(caseName, variant);
      const expected = Object.assign({}, reference, ...differencesFor(nest.name, caseName, variant.label).map((difference) => difference.observed));
      const calls = { ...nest.calls };
      if (matrixCase.outage === true) proxy.cut();
      try {
        const answer = await postGraphQL(nest.url, { query: matrixCase.query }, headersOf(matrixCase.caller, keys));
        expect(observedAnswer(answer)).toEqual(expected);
      } finally {
        proxy.restore();
      }
      if (caseName === 'mutation without its scope') expect(nest.calls.createPost).toBe(calls.createPost);
      if (caseName === 'allowed mutation') expect(nest.calls.createPost).toBe(calls.createPost + 1);
    });

    it('ends a graphql-ws subscription whose key is revoked mid-stream, after one last payload', async () => {
      const { apiKey, key } = await app.store.createApiKey({ name: 'subscriber', scopes: ['posts.read'] });
      const subscription = subscribeWs(nest.wsUrl ?? '', 'subscription { postAdded { id title } }', { authorization: `Bearer ${key}` });
      try {
        await until(() => nest.open() === 1, 10_000);
        nest.publish(FIRST_POST);
        await until(() => subscription.payloads.length === 1, 10_000);
        await app.store.revokeApiKey(apiKey.id);
        // Another process revoked it: Nest learns it from the store's change log (pollIntervalMs), so wait until it refuses the key.
        await until(async () => (await postGraphQL(nest.url, { query: '{ hello }' }, { authorization: `Bearer ${key}` })).status === 401, 10_000);
        nest.publish({ ...FIRST_POST, id: 'p3' });
        await expect(subscription.done).resolves.toBeUndefined();
        expect(subscription.payloads.map(observedBody)).toEqual(expectedRevokedSubscription(variant));
        await until(() => nest.open() === 0, 10_000);
      } finally {
        await subscription.close();
      }
    });
  });
});

describeWithMongo("NestJS's own status policy, without the recipe's preserveHttpStatusForExecutionErrors: false", () => {
  const variant = MATRIX_VARIANTS[0]!;
  let database: TestDatabase;
  let app: MatrixApp;
  let keys: MatrixKeys;
  let nest: NestMatrixServer;

  beforeAll(async () => {
    database = await connectTestDatabase();
    app = createMatrixApp(variant.mode, variant.edgeCheck, new MongooseScopeStore(database.connection));
    keys = await createMatrixKeys(app);
    nest = await startNest(variant.mode, variant.edgeCheck, testMongoUri() ?? '', database.dbName, 'default');
  }, 90_000);
  afterAll(async () => {
    await nest?.close();
    await app?.context.dispose();
    await database?.dispose();
  });

  // A server-imposed difference (README, "Differences a server imposes"): the reference answers 401/403 here.
  it.each(['whole denial', 'anonymous, scoped field'])('answers %s with 200, the errors only in the body', async (caseName) => {
    const matrixCase = MATRIX_CASES.find((candidate) => candidate.name === caseName)!;
    const reference = expectedAnswer(caseName, variant);
    expect(reference.status).not.toBe(200);
    const answer = await postGraphQL(nest.url, { query: matrixCase.query }, headersOf(matrixCase.caller, keys));
    expect(observedAnswer(answer)).toEqual({ ...reference, status: 200 });
  });
});
