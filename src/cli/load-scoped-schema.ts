import type { GraphQLSchema } from 'graphql';
import { scopeDirective } from '../directive/scope-directive';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { readScopeEnforcements } from '../requirements/scope-enforcement';
import { loadSchema, type LoadSchemaOptions } from './load-schema';

/**
 * Loads a schema (see `loadSchema`) as the transformer leaves it, with its
 * requirements on its `extensions`, ready for `explainOperation`: a module
 * that exports a transformed schema is used as it is (dynamic requirements
 * included); anything else is transformed here.
 *
 * @throws {@link ScopedPermissionsError} as `loadSchema` does; `ERR_NO_SCOPES`
 *   when no field uses the directive; the directive errors for a malformed usage.
 */
export async function loadScopedSchema(patterns: readonly string[], options: LoadSchemaOptions): Promise<GraphQLSchema> {
  const directiveName = options.directiveName ?? 'scope';
  const loaded = await loadSchema(patterns, { ...options, directiveName });
  const schema = readScopeEnforcements(loaded).length > 0 ? loaded : scopeDirective(directiveName, { onWarning: () => undefined }).scopeDirectiveTransformer(loaded);
  if (readScopeEnforcements(schema).every((enforcement) => enforcement.requirements.length === 0)) {
    throw new ScopedPermissionsError('ERR_NO_SCOPES', `No field or type in the schema uses @${directiveName}.`, { details: { directiveName } });
  }
  return schema;
}
