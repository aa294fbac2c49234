/** One scope of a resource in a {@link ScopeCatalog}. */
export interface CatalogScope {
  /** The scope, `resource.action`. */
  readonly scope: string;
  /** The action part. */
  readonly action: string;
  /** The schema coordinates (`Mutation.publishPost`) that require it, sorted. */
  readonly coordinates: readonly string[];
  /**
   * `false` for the standard `read`/`write`/`delete` scopes that every
   * resource lists (as the seed does) but that no field requires.
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
