import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createScopedContext } from '../../src/auth/create-scoped-context';
import { useGatewayScopedPermissions } from '../../src/envelop/use-gateway-scoped-permissions';
import { FORWARDED_PRINCIPAL_HEADER, signForwardedPrincipal } from '../../src/federation/forwarded-principal';
import { printSubgraphSchemaWithScopes } from '../../src/federation/print-subgraph-schema-with-scopes';
import { MemoryScopeStore } from '../../src/store/memory/memory-scope-store';
import { compose } from '../federation/compose';
import { buildPostsSubgraph } from '../federation/subgraphs';

// A client must never choose the principal a subgraph sees: whatever `scoped-principal`
// header it sends, and however the gateway's `propagateHeaders` spells that header's name,
// the gateway's plugin replaces it with its own token, or removes it for an anonymous caller.

const quiet = { onWarning: () => undefined };
const gatewayKeys = generateKeyPairSync('ed25519');
const FORWARD = { privateKey: gatewayKeys.privateKey, issuer: 'gateway', audience: 'posts', ttlMs: 60_000 };

describe.each(['scoped-principal', 'Scoped-Principal', 'SCOPED-PRINCIPAL'])('a client token propagated to the subgraph as %s', (spelling) => {
  const store = new MemoryScopeStore({ hashOptions: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
  const subgraphContext = createScopedContext({ forwarded: { publicKey: gatewayKeys.publicKey, issuer: 'gateway', audience: 'posts' } });
  const gatewayContext = createScopedContext({ store });
  const principals: string[] = [];
  let subgraph: ApolloServer;
  let gateway: { url: string; server: Server; dispose(): void | Promise<void> };
  /** A valid token of another caller, as a leak would give it (signed by the gateway's own key). */
  let stolen: string;

  beforeAll(async () => {
    subgraph = new ApolloServer({ schema: buildPostsSubgraph(quiet) });
    const { url } = await startStandaloneServer(subgraph, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => {
        const context = await subgraphContext({ req });
        principals.push(`${context.principal.kind}:${context.principal.id ?? ''}`);
        return context;
      },
    });
    const supergraph = compose('apollo', [{ name: 'posts', sdl: printSubgraphSchemaWithScopes(buildPostsSubgraph(quiet)), url }]);
    const runtime = createGatewayRuntime({
      supergraph,
      logging: false,
      // A gateway that passes this client header on, under this spelling of its name.
      propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ [spelling]: request.headers.get(FORWARDED_PRINCIPAL_HEADER) ?? '' }) },
      plugins: () => [useGatewayScopedPermissions({ context: gatewayContext, forward: FORWARD, mode: 'report' })],
    });
    const http = createServer(runtime);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    gateway = { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`, server: http, dispose: () => runtime.dispose() };
    stolen = (await signForwardedPrincipal({ kind: 'apiKey', id: 'victim', scopes: new Set(['posts.read']) }, { ...FORWARD, catalog: { resources: [] } })) ?? '';
  }, 30_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => gateway.server.close(() => resolve()));
    await gateway.dispose();
    await subgraph.stop();
    await subgraphContext.dispose();
    await gatewayContext.dispose();
  });

  async function ask(headers: Record<string, string>): Promise<string | undefined> {
    principals.length = 0;
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', [FORWARDED_PRINCIPAL_HEADER]: stolen, ...headers }, body: JSON.stringify({ query: '{ posts { title } }' }) });
    await response.text();
    return principals.at(-1);
  }

  it('an anonymous caller reaches the subgraph as anonymous, not as the token it sent', async () => {
    expect(await ask({})).toBe('anonymous:');
  });

  it('a caller with a key reaches the subgraph as its key', async () => {
    const { key, apiKey } = await store.createApiKey({ name: 'low', scopes: ['users.read'] });
    expect(await ask({ 'x-api-key': key })).toBe(`apiKey:${apiKey.id}`);
  });
});
