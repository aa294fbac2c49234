import { until } from '../support/until';
import { FIRST_POST, type MatrixApp, type RunningServer, createMatrixApp } from './matrix-app';
import { MATRIX_CASES, type MatrixKeys, createMatrixKeys, headersOf } from './matrix-cases';
import { postGraphQL, subscribeWs } from './matrix-client';
import { MATRIX_SERVERS } from './matrix-servers';
import { EXPECTED_DIFFERENCES, SUBSCRIPTION_CASE, differencesFor } from './expected-differences';
import { MATRIX_VARIANTS, expectedAnswer, expectedRevokedSubscription } from './matrix-expectations';
import { observedAnswer, observedBody } from './observed-answer';

// One behaviour matrix, every server: each server of MATRIX_SERVERS starts
// for real, over HTTP (and graphql-ws), in every variant, serves the same
// application, and must answer each request as the reference does, apart
// from the differences it is known to impose (EXPECTED_DIFFERENCES).

const combinations = MATRIX_SERVERS.flatMap((server) =>
  MATRIX_VARIANTS.filter((variant) => server.edgeChecks.includes(variant.edgeCheck)).map((variant) => [`${server.name}, ${variant.label}`, server, variant] as const),
);

describe.each(combinations)('%s', (_title, server, variant) => {
  let app: MatrixApp;
  let keys: MatrixKeys;
  let running: RunningServer;

  beforeAll(async () => {
    app = createMatrixApp(variant.mode, variant.edgeCheck);
    keys = await createMatrixKeys(app);
    running = await server.start(app);
  });
  afterAll(async () => {
    await running.close();
    await app.context.dispose();
  });

  it.each(MATRIX_CASES.map((matrixCase) => [matrixCase.name, matrixCase] as const))('%s', async (caseName, matrixCase) => {
    const reference = expectedAnswer(caseName, variant);
    const differences = differencesFor(running.name, caseName, variant.label);
    const expected = Object.assign({}, reference, ...differences.map((difference) => difference.observed));
    for (const difference of differences) {
      expect(Object.keys(difference.observed).length).toBeGreaterThan(0);
      // A stale entry fails: the difference must really differ from the reference.
      expect(Object.entries(difference.observed).some(([field, value]) => !Object.is(JSON.stringify(value), JSON.stringify(reference[field as keyof typeof reference])))).toBe(true);
    }
    const calls = { ...app.calls };
    app.outage.on = matrixCase.outage === true;
    try {
      const answer = await postGraphQL(running.url, { query: matrixCase.query }, headersOf(matrixCase.caller, keys));
      expect(observedAnswer(answer)).toEqual(expected);
    } finally {
      app.outage.on = false;
    }
    // A refused mutation runs no resolver.
    if (caseName === 'mutation without its scope') expect(app.calls.createPost).toBe(calls.createPost);
  });

  it(`${SUBSCRIPTION_CASE}: one last payload with the refusal, then the end, and the source freed`, async () => {
    // A server without a graphql-ws endpoint must say so in the table, and only then.
    const listed = differencesFor(running.name, SUBSCRIPTION_CASE, variant.label);
    expect(listed.length > 0).toBe(running.wsUrl === undefined);
    if (running.wsUrl === undefined) return;
    const { apiKey, key } = await app.store.createApiKey({ name: 'subscriber', scopes: ['posts.read'] });
    const subscription = subscribeWs(running.wsUrl, 'subscription { postAdded { id title } }', { authorization: `Bearer ${key}` });
    try {
      await until(() => app.events.open === 1);
      app.events.publish(FIRST_POST);
      await until(() => subscription.payloads.length === 1);
      await app.store.revokeApiKey(apiKey.id);
      app.events.publish({ ...FIRST_POST, id: 'p3' });
      await expect(subscription.done).resolves.toBeUndefined();
      expect(subscription.payloads.map(observedBody)).toEqual(expectedRevokedSubscription(variant));
      expect(app.events.open).toBe(0);
    } finally {
      await subscription.close();
    }
  });
});

describe('the table of expected differences', () => {
  it('names only servers, cases and variants of the matrix', () => {
    const names = new Set(MATRIX_SERVERS.map((server) => server.name));
    const cases = new Set(['*', SUBSCRIPTION_CASE, ...MATRIX_CASES.map((matrixCase) => matrixCase.name)]);
    const variants = new Set(['*', ...MATRIX_VARIANTS.map((variant) => variant.label)]);
    for (const difference of EXPECTED_DIFFERENCES) {
      expect({ server: names.has(difference.server), case: cases.has(difference.case), variant: variants.has(difference.variant) }).toEqual({ server: true, case: true, variant: true });
    }
  });
});
