import { createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { useScopedPermissions } from '../../src/envelop';
import type { MatrixApp, RunningServer } from './matrix-app';
import { listen } from './listen';


/**
 * GraphQL Yoga 5 with `useScopedPermissions`, on Node's HTTP server, with
 * graphql-ws wired as Yoga's documentation does (`yoga.getEnveloped`), the
 * Node upgrade request passed as `req`.
 */
export async function startYoga(app: MatrixApp): Promise<RunningServer> {
  const yoga = createYoga({
    schema: app.schema,
    graphqlEndpoint: '/graphql',
    logging: false,
    plugins: [useScopedPermissions(app.edgeCheck === 'reject' ? { context: app.context, mode: 'reject' } : { context: app.context })],
  });
  type Enveloped = ReturnType<typeof yoga.getEnveloped>;
  const http = await listen(yoga);
  const ws = useServer(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
      },
    },
    http.sockets,
  );
  return {
    name: 'GraphQL Yoga 5',
    url: http.url,
    wsUrl: http.wsUrl,
    async close() {
      await ws.dispose();
      await http.close();
    },
  };
}
