import { ApolloServer, type ApolloServerPlugin, type BaseContext, HeaderMap } from '@apollo/server';
import { useServer } from 'graphql-ws/use/ws';
import type { IncomingMessage } from 'node:http';
import { operationScopePlugin, partialResultStatusPlugin, scopesEnforcedPlugin } from '../../src/apollo';
import type { MatrixApp, RunningServer } from './matrix-app';
import { listen } from './listen';

/** Reads a Node request's JSON body. */
async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/**
 * The reference: Apollo Server 5 with the package's Apollo plugins
 * (`partialResultStatusPlugin`, `scopesEnforcedPlugin`, and
 * `operationScopePlugin` for the edge check), on Node's HTTP server through
 * `executeHTTPGraphQLRequest`, and graphql-ws for subscriptions.
 */
export async function startApollo(app: MatrixApp): Promise<RunningServer> {
  const plugins: ApolloServerPlugin<BaseContext>[] = [partialResultStatusPlugin(), scopesEnforcedPlugin()];
  if (app.edgeCheck === 'reject') plugins.push(operationScopePlugin({ mode: 'reject' }));
  const apollo = new ApolloServer<BaseContext>({ schema: app.schema, plugins });
  await apollo.start();
  const http = await listen((req, res) => {
    void (async () => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: new URL(req.url ?? '/', 'http://localhost').search, body: await jsonBody(req) },
        context: () => app.context({ req }),
      });
      res.statusCode = response.status ?? 200;
      for (const [name, value] of response.headers) res.setHeader(name, value);
      if (response.body.kind !== 'complete') throw new Error('the matrix sends no incremental requests');
      res.end(response.body.string);
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  const ws = useServer({ schema: app.schema, context: (ctx) => app.context({ req: ctx.extra.request }) }, http.sockets);
  return {
    name: 'Apollo Server 5',
    url: http.url,
    wsUrl: http.wsUrl,
    async close() {
      await ws.dispose();
      await http.close();
      await apollo.stop();
    },
  };
}
