import { formatScopes } from '../scopes/format-scopes';
import type { CommandResult } from './cli-io';
import { loadCatalog } from './load-catalog';

/** Options of {@link scopesCommand}. */
export interface ScopesCommandOptions {
  /** Schema files or globs (SDL), or one JavaScript module exporting a schema. */
  readonly schema: readonly string[];
  /** Print the catalogue, with schema coordinates, as JSON. Default `false`. */
  readonly json?: boolean;
  /** The directive's name, without `@`. Default `'scope'`. */
  readonly directive?: string;
  /** The directory that relative paths and globs are resolved against. */
  readonly cwd: string;
}

/**
 * `graphql-scoped-permissions scopes <schema...>`: lists every scope the
 * schema uses, grouped by resource, as drf-scoped-permissions' `manage.py list_scopes`
 * does (`formatScopes`, with its `Total:` line), or as JSON with the coordinates that require each
 * scope.
 *
 * @example
 * ```ts
 * const { stdout } = await scopesCommand({ schema: ['schema/*.graphql'], cwd: process.cwd() });
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD`, `ERR_NO_SCOPES`
 *   and the directive errors (see `loadCatalog`).
 */
export async function scopesCommand(options: ScopesCommandOptions): Promise<CommandResult> {
  const catalog = await loadCatalog(options.schema, { cwd: options.cwd, directiveName: options.directive });
  const stdout = options.json === true ? `${JSON.stringify(catalog, null, 2)}\n` : formatScopes(catalog);
  return { stdout, stderr: '' };
}
