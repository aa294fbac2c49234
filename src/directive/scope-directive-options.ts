import type { Principal } from '../principal/principal';

/** Options of {@link scopeDirective}. */
export interface ScopeDirectiveOptions<TContext = unknown> {
  /**
   * Reads the caller from the GraphQL context.
   * Default: `context.principal`.
   */
  getPrincipal?: (context: TContext) => Principal | null | undefined;
  /**
   * Mutation-name prefixes that make a mutation default to the `delete`
   * action instead of `write`. A prefix matches the whole name or a
   * camel-case word (`deletePost`, `remove_comment`), never a longer word
   * (`deleted`, `removable`).
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
