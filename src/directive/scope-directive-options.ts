import type { Principal } from '../principal/principal';

/** Options of {@link scopeDirective}. */
export interface ScopeDirectiveOptions<TContext = unknown> {
  /**
   * Reads the caller from the GraphQL context.
   * Default: `context.principal`.
   */
  getPrincipal?: (context: TContext) => Principal | null | undefined;
  /**
   * Words that make a mutation default to the `delete` action instead of
   * `write` when any camel-case or snake-case word of its name is one of
   * them, in any position and any case (`deletePost`, `postDelete`,
   * `bulkDeletePosts`, `remove_comment`), never a longer word (`deleted`,
   * `undelete`, `removable`). A verb of several words (`hardDelete`)
   * matches those words in a row. Pass the same list to `discoverScopes`.
   * Default `['delete', 'remove', 'destroy']`.
   */
  deleteVerbs?: readonly string[];
  /**
   * Strict mode: throw `ERR_UNSCOPED_FIELDS` when a Query, Mutation or
   * Subscription field has no requirement, listing every such coordinate.
   * Default `false`.
   */
  requireScopes?: boolean;
  /**
   * Schema coordinates (`Query.me`) that strict mode accepts without a
   * requirement, for fields that are public on purpose. Default `[]`.
   */
  publicFields?: readonly string[];
}
