import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { useScopedPermissions } from '../../src/envelop';
import type { MatrixApp, RunningServer } from './matrix-app';
import { listen } from './listen';
import { startYoga } from './start-yoga';

/**
 * Hive Gateway in its simplest single-schema form: a proxy
 * (`createGatewayRuntime({ proxy })`) in front of one upstream, here the
 * matrix's Yoga, which enforces the scopes. The gateway runs
 * `useScopedPermissions` too: it authenticates at the edge (bad credentials
 * and store outages are answered there, with their headers) and forwards the
 * credential to the upstream. Its own schema is the upstream's, introspected,
 * which carries no requirements, hence `assertEnforced: false`.
 */
export async function startHiveGateway(app: MatrixApp): Promise<RunningServer> {
  const upstream = await startYoga(app);
  const gateway = createGatewayRuntime({
    proxy: { endpoint: upstream.url },
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization'), 'x-api-key': request.headers.get('x-api-key') }),
    },
    plugins: () => [useScopedPermissions({ context: app.context, assertEnforced: false })],
  });
  const http = await listen(gateway);
  return {
    name: 'Hive Gateway 2 (proxy)',
    url: http.url,
    async close() {
      await http.close();
      await gateway.dispose();
      await upstream.close();
    },
  };
}
