import Fastify from 'fastify';
import mercurius from 'mercurius';
import { scopedErrorFormatter, scopedMercuriusContext } from '../../src/mercurius';
import type { MatrixApp, RunningServer } from './matrix-app';

/** Starts Mercurius as the README's recipe does (`recipe`), or with Mercurius' own defaults (`defaults`). */
function startMercuriusWith(setup: 'recipe' | 'defaults', name: string) {
  return async (app: MatrixApp): Promise<RunningServer> => {
    const fastify = Fastify();
    await fastify.register(mercurius, {
      schema: app.schema,
      path: '/graphql',
      // Jest runs CommonJS, and Mercurius' default cache is an ES module it loads with import(): no cache in tests.
      cache: false,
      ...(setup === 'recipe'
        ? { context: scopedMercuriusContext(app.context), errorFormatter: scopedErrorFormatter(mercurius.defaultErrorFormatter) }
        : { context: (request) => app.context({ req: request.raw }) }),
      subscription: { context: (_socket, request) => app.context({ req: request.raw }) },
    });
    const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
    return { name, url: `${url}/graphql`, wsUrl: `${url.replace(/^http/, 'ws')}/graphql`, close: () => fastify.close() };
  };
}

/** Mercurius 16 on Fastify 5 with `scopedMercuriusContext` and `scopedErrorFormatter`, graphql-ws through Mercurius' own subscriptions. */
export const startMercurius = startMercuriusWith('recipe', 'Mercurius 16');

/** The same without the package's context adapter and formatter: Mercurius' own status codes, listed as expected differences. */
export const startMercuriusDefaults = startMercuriusWith('defaults', 'Mercurius 16, default errorFormatter');
