import { statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** File extensions read as GraphQL SDL. */
export const SDL_EXTENSIONS: readonly string[] = Object.freeze(['.graphql', '.gql', '.graphqls']);

/** File extensions imported as JavaScript modules that export a schema. */
export const MODULE_EXTENSIONS: readonly string[] = Object.freeze(['.js', '.mjs', '.cjs']);

/** The schema files named on the command line, split by kind. */
export interface SchemaFiles {
  /** Absolute paths of SDL files, sorted, without duplicates. */
  readonly sdl: readonly string[];
  /** Absolute paths of JavaScript modules, sorted, without duplicates. */
  readonly modules: readonly string[];
}

function loadError(message: string, details: Record<string, unknown>): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_SCHEMA_LOAD', message, { details });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function kindOf(path: string): 'sdl' | 'module' | null {
  const extension = extname(path).toLowerCase();
  if (SDL_EXTENSIONS.includes(extension)) return 'sdl';
  if (MODULE_EXTENSIONS.includes(extension)) return 'module';
  return null;
}

/**
 * Expands the schema arguments of a command: each is a file path, or a glob
 * (`schema/**\/*.graphql`) expanded with fast-glob. A path that names an
 * existing file is taken literally even when it looks like a glob. Globs keep
 * only the files with a known extension (SDL: `.graphql`, `.gql`,
 * `.graphqls`; modules: `.js`, `.mjs`, `.cjs`).
 *
 * @param patterns - Paths or globs, relative to `cwd`.
 * @param cwd - The directory to resolve against.
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD` when no pattern is
 *   given, a path is missing or has an unknown extension, or a glob matches
 *   no schema file.
 */
export async function resolveSchemaFiles(patterns: readonly string[], cwd: string): Promise<SchemaFiles> {
  if (patterns.length === 0) throw loadError('No schema file given.', {});
  const sdl = new Set<string>();
  const modules = new Set<string>();
  const add = (path: string) => (kindOf(path) === 'module' ? modules : sdl).add(path);

  for (const pattern of patterns) {
    const literal = resolve(cwd, pattern);
    if (isFile(literal)) {
      if (kindOf(literal) === null) {
        throw loadError(`Unsupported schema file ${JSON.stringify(pattern)}: use ${[...SDL_EXTENSIONS, ...MODULE_EXTENSIONS].join(', ')}.`, { path: pattern });
      }
      add(literal);
      continue;
    }
    if (!fg.isDynamicPattern(pattern)) throw loadError(`Schema file not found: ${JSON.stringify(pattern)}.`, { path: pattern });
    // Globs use forward slashes, also on Windows (fast-glob's rule).
    const matches = (await fg(pattern, { cwd, absolute: true, onlyFiles: true, unique: true }))
      .map((match) => resolve(match))
      .filter((match) => kindOf(match) !== null);
    if (matches.length === 0) throw loadError(`No schema file matches ${JSON.stringify(pattern)}.`, { pattern });
    matches.forEach(add);
  }
  return { sdl: [...sdl].sort(), modules: [...modules].sort() };
}

/** A path for messages: relative to `cwd` when inside it. */
export function displayPath(path: string, cwd: string): string {
  const shown = relative(cwd, path);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}
