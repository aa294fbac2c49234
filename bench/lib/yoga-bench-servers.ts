/**
 * The child process of `bench/yoga-overhead.ts`: two GraphQL Yoga servers on
 * loopback ports, the same schema (`'operation'` mode) and the same small
 * query, one without authorization ("plain Yoga") and one with
 * `useScopedPermissions` authenticating an API key through
 * `createScopedContext` (warm verifier cache). Sends `{ plainUrl, scopedUrl, apiKey }`
 * over IPC, then serves until told `stop`; answers `cpu` with its CPU time so far.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { createScopedContext, MemoryScopeStore } from '../../src/index';
import { useScopedPermissions } from '../../src/envelop';
import { ALL_SCOPES, buildRows, operationScopedSchema, plainSchema } from './overhead-schema';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const rows = buildRows(1);
const store = new MemoryScopeStore();
const { key } = await store.createApiKey({ name: 'bench', scopes: [...ALL_SCOPES] });
const plain = createYoga({ schema: plainSchema(rows), logging: false });
const scoped = createYoga({
  schema: operationScopedSchema(rows),
  logging: false,
  plugins: [useScopedPermissions({ context: createScopedContext({ store }), mode: 'reject' })],
});
const plainUrl = await listen(plain);
const scopedUrl = await listen(scoped);
process.send?.({ type: 'ready', plainUrl, scopedUrl, apiKey: key });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: user + system });
  }
});
