import { FIRST_POST, createMatrixApp } from '../servers/matrix-app';
import { createMatrixKeys } from '../servers/matrix-cases';
import { subscribeWs } from '../servers/matrix-client';
import { startYoga } from '../servers/start-yoga';
import { until } from '../support/until';

// Adversarial review (review-3): Yoga's graphql-ws recipe (test/servers/start-yoga.ts) with useScopedPermissions.
// A refusal of the context function (401, 503) rejects the recipe's onSubscribe, which graphql-ws
// logs with console.error and answers by closing the socket (4500): silenced here.

let consoleError: jest.SpyInstance;
beforeAll(() => void (consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined)));
afterAll(() => consoleError.mockRestore());

describe.each<['field' | 'operation', 'none' | 'reject']>([
  ['field', 'reject'],
  ['field', 'none'],
  ['operation', 'none'],
])("graphql-ws, '%s' mode, edge %s", (mode, edge) => {
  it.each<[string, Record<string, string>, boolean]>([
    ['anonymous', {}, false],
    ['a bad key', { authorization: 'Bearer nope' }, false],
    ['a store outage', { authorization: 'Bearer KEY' }, true],
  ])('%s: no event, and nothing internal in what the client gets', async (_label, headers, outage) => {
    const app = createMatrixApp(mode, edge);
    const keys = await createMatrixKeys(app);
    const running = await startYoga(app);
    const sent = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace('KEY', keys.reader)]));
    app.outage.on = outage;
    const subscription = subscribeWs(running.wsUrl ?? '', 'subscription { postAdded { id secret } }', sent);
    try {
      const ended = await Promise.race([subscription.done.then((error) => ({ error })), until(() => app.events.open === 1).then(() => 'open' as const)]);
      if (ended === 'open') app.events.publish(FIRST_POST);
      const error = ended === 'open' ? await Promise.race([subscription.done, new Promise((resolve) => setTimeout(resolve, 300))]) : ended.error;
      expect(JSON.stringify(subscription.payloads)).not.toContain('s3cret');
      expect(String((error as { reason?: unknown } | undefined)?.reason ?? '')).not.toMatch(/connection lost/);
      expect(JSON.stringify(subscription.payloads)).not.toMatch(/connection lost/);
      expect(app.calls.postAdded).toBe(0);
    } finally {
      app.outage.on = false;
      await subscription.close();
      await running.close();
      await app.context.dispose();
    }
  });
});
