import { readFile } from 'node:fs/promises';
import { type DocumentNode, GraphQLError, type GraphQLSchema, Kind, Source, buildASTSchema, concatAST, parse } from 'graphql';
import { scopeDirective } from '../directive/scope-directive';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { loadSchemaModule } from './load-schema-module';
import { displayPath, resolveSchemaFiles } from './resolve-schema-files';

/** Options of {@link loadSchema}. */
export interface LoadSchemaOptions {
  /** The directive's name, without `@`. Default `'scope'`. */
  directiveName?: string;
  /** The directory that relative paths and globs are resolved against. */
  cwd: string;
  /**
   * Federation subgraph SDL: directives the files use without declaring
   * them (`@key`, `@link`, `@shareable`…) are accepted as they are. Default `false`.
   */
  subgraph?: boolean;
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

async function readSdl(path: string, label: string): Promise<DocumentNode> {
  let body: string;
  try {
    body = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ScopedPermissionsError('ERR_SCHEMA_LOAD', `Could not read ${label}${typeof code === 'string' ? ` (${code})` : ''}.`, {
      details: { path: label },
      cause: error,
    });
  }
  try {
    return parse(new Source(body, label));
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const location = error.locations?.[0];
    const where = location === undefined ? label : `${label}:${location.line}:${location.column}`;
    throw new ScopedPermissionsError('ERR_SCHEMA_LOAD', `${where}: ${oneLine(error.message)}`, {
      details: { path: label, ...(location === undefined ? {} : { line: location.line, column: location.column }) },
      cause: error,
    });
  }
}

function declaresDirective(documents: readonly DocumentNode[], directiveName: string): boolean {
  return documents.some((document) =>
    document.definitions.some((definition) => definition.kind === Kind.DIRECTIVE_DEFINITION && definition.name.value === directiveName),
  );
}

/**
 * Builds a schema (without resolvers) from SDL documents, adding the scope
 * directive's definition when none of them declares it, so that SDL files
 * written without it still load.
 *
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD` when the documents
 *   do not make a valid schema (unknown types, conflicting definitions).
 */
export function buildSchemaFromDocuments(documents: readonly DocumentNode[], directiveName = 'scope', subgraph = false): GraphQLSchema {
  const typeDefs = declaresDirective(documents, directiveName)
    ? [...documents]
    : [parse(scopeDirective(directiveName).scopeDirectiveTypeDefs), ...documents];
  try {
    // graphql's own builder: it applies `extend type` across files once they are one document.
    // A subgraph's federation directives are declared by the spec it links, not in its files.
    return buildASTSchema(concatAST(typeDefs), { assumeValidSDL: subgraph });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ScopedPermissionsError('ERR_SCHEMA_LOAD', `Invalid schema: ${oneLine(message)}`, { cause: error });
  }
}

/**
 * Loads the schema a CLI command names: one or more SDL files or globs
 * (merged, `extend type` included), or one JavaScript module that exports a
 * `GraphQLSchema` (see `loadSchemaModule`).
 *
 * @param patterns - Paths or globs, relative to `options.cwd`.
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD` for a missing or
 *   unreadable file, a glob that matches nothing, a syntax error (with
 *   `file:line:column`), an invalid schema, or a module mixed with other
 *   files; `ERR_INVALID_OPTIONS` for a bad directive name.
 */
export async function loadSchema(patterns: readonly string[], options: LoadSchemaOptions): Promise<GraphQLSchema> {
  const directiveName = options.directiveName ?? 'scope';
  // Checks the directive name before any file is read.
  scopeDirective(directiveName);
  const files = await resolveSchemaFiles(patterns, options.cwd);
  const [module] = files.modules;
  if (module !== undefined) {
    if (files.modules.length + files.sdl.length > 1) {
      throw new ScopedPermissionsError('ERR_SCHEMA_LOAD', 'A JavaScript schema module must be the only schema argument.', {
        details: { paths: [...files.modules, ...files.sdl].map((path) => displayPath(path, options.cwd)) },
      });
    }
    const loaded = await loadSchemaModule(module, displayPath(module, options.cwd));
    return 'schema' in loaded ? loaded.schema : buildSchemaFromDocuments([loaded.document], directiveName, options.subgraph);
  }
  const documents = await Promise.all(files.sdl.map((path) => readSdl(path, displayPath(path, options.cwd))));
  return buildSchemaFromDocuments(documents, directiveName, options.subgraph);
}
