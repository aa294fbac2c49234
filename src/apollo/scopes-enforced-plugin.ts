import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { assertScopesEnforced, type AssertScopesEnforcedOptions } from '../directive/assert-scopes-enforced';
import { assertServableSchema } from '../directive/assert-servable-schema';

/**
 * An Apollo Server plugin that runs `assertScopesEnforced` on the server's
 * schema at start-up, so a server whose guards a later transform replaced
 * (resolvers attached after `scopeDirectiveTransformer`) refuses to start
 * with `ERR_UNGUARDED_FIELDS` instead of serving unguarded fields. It runs
 * `assertServableSchema` first, so a schema that uses `@scope` but was
 * never transformed is refused with the fields named.
 * `operationScopePlugin` runs the same checks by default.
 *
 * @example
 * ```ts
 * new ApolloServer({ schema, plugins: [scopesEnforcedPlugin(), partialResultStatusPlugin()] });
 * ```
 */
export function scopesEnforcedPlugin<TContext extends BaseContext = BaseContext>(options: AssertScopesEnforcedOptions = {}): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart({ schema }) {
      assertServableSchema(schema);
      assertScopesEnforced(schema, options);
    },
  };
}
