import type { GraphQLResolveInfo } from 'graphql';
import { GUARD_PROBE, isGuard } from './guard-marks';

// Apollo Server (4 and 5) wraps every field resolver of a schema in place, to run `willResolveField`
// plugins, the first time one of its servers executes an operation on that schema
// (`enablePluginsForSchemaResolvers` in its `utils/schemaInstrumentation`). It marks the schema
// with an own symbol property described `apolloServerPluginsEnabled`, and each field's `resolve`
// becomes `(source, args, contextValue, info) => { … contextValue?.[symbolExecutionDispatcherWillResolveField] …
// (originalFieldResolve || userFieldResolver || defaultFieldResolver)(source, args, contextValue, info) … }`.
// A second server on the same schema then finds no guard where a guard was.

const SCHEMA_MARK = 'apolloServerPluginsEnabled';
const WRAPPER_SOURCE = /^\(source, args, contextValue, info\) => \{\s*const willResolveField = contextValue\?\.\[(?:exports\.)?symbolExecutionDispatcherWillResolveField\];/;

/** An `info` that throws at any use: a probe never lets a resolver read it. */
const PROBE_INFO = new Proxy(Object.freeze({}), {
  get: () => {
    throw new TypeError('a guard probe has no info');
  },
}) as GraphQLResolveInfo;

/** Whether Apollo Server has instrumented `schema`'s resolvers (its own mark on the schema). */
export function isApolloInstrumented(schema: object): boolean {
  return Object.getOwnPropertySymbols(schema).some((symbol) => symbol.description === SCHEMA_MARK && (schema as Record<symbol, unknown>)[symbol] === true);
}

/**
 * The guard inside Apollo Server's resolver wrapper, or `resolver` itself
 * when it is not such a wrapper around a guard of this package.
 *
 * Nothing is trusted by appearance: only on a schema Apollo has marked, and
 * only a function whose source is Apollo's wrapper, is probed, by calling it
 * with a context that only this package holds. Apollo's wrapper passes it to
 * the function it wraps; a guard given that context returns itself at once,
 * and the answer counts only if it is a guard. Anything else (a resolver
 * that replaced a guard, wrapped by Apollo or not) stays unrecognised, so
 * `assertScopesEnforced` still refuses it.
 */
export function unwrapApolloResolver(resolver: unknown, schemaInstrumented: boolean): unknown {
  if (!schemaInstrumented || typeof resolver !== 'function' || isGuard(resolver)) return resolver;
  if (!WRAPPER_SOURCE.test(Function.prototype.toString.call(resolver))) return resolver;
  try {
    const inner: unknown = (resolver as (source: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown)(undefined, Object.freeze({}), GUARD_PROBE, PROBE_INFO);
    return isGuard(inner) ? inner : resolver;
  } catch {
    return resolver;
  }
}
