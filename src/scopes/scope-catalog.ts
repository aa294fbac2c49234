import type { ActionSource } from '../requirements/field-requirement';
import type { ScopeClauses } from '../requirements/scope-expression';

/** One field that requires a scope, with how its action was chosen. */
export interface CatalogField {
  /** The schema coordinate, `Mutation.postDelete`. */
  readonly coordinate: string;
  /** The action it requires. */
  readonly action: string;
  /**
   * How the action was chosen: `'explicit'` (the directive's `action`), or
   * inferred: `'default-read'`, `'default-write'` (a Mutation), or
   * `'delete-verb'` (a Mutation with a delete verb in its name).
   */
  readonly actionSource: ActionSource;
  /**
   * The field's whole requirement when it is an expression rather than this
   * one scope: every clause is needed, any one scope of a clause meets it
   * (`[['posts.moderate', 'posts.read']]` for `anyOf`). Absent for a
   * single-scope requirement.
   */
  readonly allOf?: ScopeClauses;
}

/** One scope of a resource in a {@link ScopeCatalog}. */
export interface CatalogScope {
  /** The scope, `resource.action`. */
  readonly scope: string;
  /** The action part. */
  readonly action: string;
  /** The schema coordinates (`Mutation.publishPost`) that require it, sorted. */
  readonly coordinates: readonly string[];
  /**
   * The same fields, each with its action and how it was chosen (inferred or
   * explicit), in the same order. Always set by `discoverScopes`; optional
   * so that hand-written catalogues need not list it.
   */
  readonly fields?: readonly CatalogField[];
  /**
   * `false` for the standard `read`/`write`/`delete` scopes that every
   * resource lists (as drf-scoped-permissions does) but that no field requires.
   */
  readonly used: boolean;
}

/** One resource of a {@link ScopeCatalog}, with its scopes in display order. */
export interface CatalogResource {
  readonly resource: string;
  /** `read`, `write`, `delete`, then custom actions alphabetically. */
  readonly scopes: readonly CatalogScope[];
}

/**
 * Every scope a schema uses, grouped by resource, as `discoverScopes` returns
 * it. Resources are sorted by name.
 */
export interface ScopeCatalog {
  readonly resources: readonly CatalogResource[];
}
