import { pathToFileURL } from 'node:url';
import { type DocumentNode, type GraphQLSchema, isSchema } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { foreignSchemaDocument, isSchemaLike } from './foreign-schema-document';

/**
 * A schema loaded from a module: the schema itself, or, when another copy of
 * graphql-js made it, its SDL document to rebuild it from.
 */
export type LoadedSchemaModule = { readonly schema: GraphQLSchema } | { readonly document: DocumentNode };

function isLocalSchema(value: unknown): value is GraphQLSchema {
  try {
    return isSchema(value);
  } catch {
    // In development mode graphql-js throws for a schema from another copy of itself.
    return false;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'unknown error';
}

/**
 * Imports a JavaScript module (`.js`, `.mjs`, `.cjs`) with a dynamic
 * `import()` of its file URL, and returns the `GraphQLSchema` it exports: the
 * named export `schema`, else the default export (or the default export's
 * `schema` property, which is how `exports.schema` of a CommonJS module can
 * appear).
 *
 * @param path - The module's absolute path.
 * @param label - The path to show in messages.
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD` when the module
 *   fails to load or exports no schema.
 */
export async function loadSchemaModule(path: string, label: string): Promise<LoadedSchemaModule> {
  let exported: unknown;
  try {
    exported = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new ScopedPermissionsError('ERR_SCHEMA_LOAD', `Could not load ${label}: ${firstLine(error)}`, { details: { path: label }, cause: error });
  }
  const namespace = (typeof exported === 'object' && exported !== null ? exported : {}) as { schema?: unknown; default?: unknown };
  const fallback = namespace.default;
  const candidates = [namespace.schema, fallback, typeof fallback === 'object' && fallback !== null ? (fallback as { schema?: unknown }).schema : undefined];
  const local = candidates.find(isLocalSchema);
  if (local !== undefined) return { schema: local };
  const foreign = candidates.find(isSchemaLike);
  if (foreign !== undefined) return { document: foreignSchemaDocument(foreign, label) };
  throw new ScopedPermissionsError('ERR_SCHEMA_LOAD', `${label} exports no GraphQLSchema: export it as \`schema\` or as the default export.`, {
    details: { path: label },
  });
}
