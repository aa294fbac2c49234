import type { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { Principal } from '../principal/principal';
import type { EnforcementMode, RequiredScopeInput, ScopePreset } from '../requirements/scope-enforcement';

/**
 * Options of {@link scopeDirective}.
 *
 * @typeParam TContext - The GraphQL context type.
 * @typeParam TScope - The scopes a `requiredScope` hook may return and
 *   `knownScopes` may list: any string by default; the `Scope` type that
 *   `scopes --format ts` generates, to make a typo a compile error.
 */
export interface ScopeDirectiveOptions<TContext = unknown, TScope extends string = string> {
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
   * The defaults to start from: one option for what the production
   * checklist asks.
   *
   * - `'strict'` (recommended for new projects): `requireScopes` is on (a
   *   root field without a requirement refuses to build; list public ones
   *   in `publicFields`); a legacy API key without scopes gets nothing from
   *   this schema, as under the verifier's `unscopedKeys: 'deny'`; and
   *   `partialResultStatusPlugin`, `operationScopePlugin` and
   *   `scopesEnforcedPlugin` each refuse to start (`ERR_UNGUARDED_FIELDS`)
   *   when a scoped field lost its guard.
   * - `'drf'`: drf-scoped-permissions' permissive behaviour: unscoped root
   *   fields are public, keys without scopes have full access (unless the
   *   verifier says `unscopedKeys: 'deny'`).
   *
   * @default 'drf'
   */
  preset?: ScopePreset;
  /**
   * Strict mode: throw `ERR_UNSCOPED_FIELDS` when a Query, Mutation or
   * Subscription field has no requirement, listing every such coordinate,
   * and `ERR_NO_SCOPES` when no field has a requirement at all.
   * Default `true` with `preset: 'strict'` (which refuses `false`), else `false`.
   */
  requireScopes?: boolean;
  /**
   * A strict catalogue: every scope a requirement names (`resource.action`,
   * and each `anyOf` entry) must be in this list, or the transformer throws
   * `ERR_UNKNOWN_SCOPE` naming the coordinate and the closest known scope.
   * Pass the `scopes` array that `graphql-scoped-permissions scopes --format ts`
   * generates to catch a typo in the schema. Default: none (any scope).
   */
  knownScopes?: readonly TScope[];
  /**
   * Schema coordinates (`Query.me`) that strict mode accepts without a
   * requirement, for fields that are public on purpose. Default `[]`.
   */
  publicFields?: readonly string[];
  /**
   * How requirements are enforced.
   *
   * - `'field'`: each scoped field is checked as it resolves. A denied field
   *   is `null` with its error and the rest of the result stands (partial
   *   results). The cost grows with the number of scoped fields resolved.
   * - `'operation'`: every root field is wrapped, and the first one resolved
   *   checks the whole operation once (`checkOperation`). Any denial refuses
   *   every root field with one error whose `extensions.missingScopes` lists
   *   every missing scope; no resolver runs, so a mutation document is
   *   all-or-nothing. The cost depends on the document, not on the result.
   *
   * Default `'field'`.
   */
  enforce?: EnforcementMode;
  /**
   * Replaces a scoped field's requirement from its arguments, the
   * counterpart of drf-scoped-permissions' `get_required_scope`: return a
   * scope (`org-acme.read`), or `null` to keep the directive's. It applies
   * only to fields that have a requirement, and cannot waive one. A returned
   * value that is not a scope fails the field (or the operation) with
   * `ERR_INVALID_SCOPE`.
   *
   * Cost: in `'field'` mode it runs at every resolution of such a field (for
   * a list, once per item), plus a parse of any scope that differs from the
   * directive's; in `'operation'` mode, once per selection in the document,
   * with the coerced arguments. Default: none (requirements are static).
   */
  requiredScope?: (input: RequiredScopeInput<TContext, TScope>) => TScope | null | undefined;
  /**
   * Receives what the transformer finds suspicious but not fatal: today, a
   * schema in which no field ends up with a requirement (the directive is
   * declared but used nowhere, for example after stitching), as a
   * `ScopedPermissionsError` with code `ERR_NO_SCOPES`. Strict mode throws it
   * instead. Default: `process.emitWarning`.
   */
  onWarning?: (warning: ScopedPermissionsError) => void;
}
