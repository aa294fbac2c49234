import type { IncomingMessage } from 'node:http';
import type { ScopedContext } from '../auth/create-scoped-context';
import { ANONYMOUS_PRINCIPAL } from '../principal/principal';

/** The part of a Fastify request the context uses. */
export interface FastifyRequestLike {
  readonly raw: IncomingMessage;
}

/**
 * Adapts `createScopedContext(...)` to Mercurius' `context` option.
 *
 * When a context function throws (bad credentials, a store outage),
 * Mercurius' error handler calls it again to build the context of its
 * `errorFormatter`, and a second throw becomes a bare 500. This adapter
 * throws once per request and, on the second call for that request, gives
 * an anonymous context (`ANONYMOUS_PRINCIPAL`) that only the formatter sees (no operation runs
 * on it), so {@link scopedErrorFormatter} can answer 401 or 503 with the
 * original error.
 *
 * @param scopedContext - The function `createScopedContext` returned.
 * @example
 * ```ts
 * app.register(mercurius, { schema, context: scopedMercuriusContext(scopedContext) });
 * ```
 */
export function scopedMercuriusContext(
  scopedContext: (args: { req: IncomingMessage }) => Promise<ScopedContext>,
): (request: FastifyRequestLike) => Promise<ScopedContext> {
  const failed = new WeakSet<FastifyRequestLike>();
  return async (request) => {
    if (failed.has(request)) return { principal: ANONYMOUS_PRINCIPAL };
    try {
      return await scopedContext({ req: request.raw });
    } catch (error) {
      failed.add(request);
      throw error;
    }
  };
}
