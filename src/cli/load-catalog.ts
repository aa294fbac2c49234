import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { discoverScopes } from '../scopes/discover-scopes';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { loadSchema, type LoadSchemaOptions } from './load-schema';

/**
 * Loads a schema (see `loadSchema`) and discovers its scopes.
 *
 * @throws {@link ScopedPermissionsError} as `loadSchema` does;
 *   `ERR_NO_SCOPES` when no field uses the directive; `ERR_INVALID_DIRECTIVE`,
 *   `ERR_INVALID_SCOPE` or `ERR_CONFLICTING_SCOPES` for a malformed usage.
 */
export async function loadCatalog(patterns: readonly string[], options: LoadSchemaOptions): Promise<ScopeCatalog> {
  const directiveName = options.directiveName ?? 'scope';
  const schema = await loadSchema(patterns, { ...options, directiveName });
  const catalog = discoverScopes(schema, { directiveName });
  if (catalog.resources.length === 0) {
    throw new ScopedPermissionsError('ERR_NO_SCOPES', `No field or type in the schema uses @${directiveName} or extensions.${directiveName}.`, { details: { directiveName } });
  }
  return catalog;
}
