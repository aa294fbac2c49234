import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type SelectionSetNode,
  Source,
  validate,
} from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { displayPath } from './resolve-schema-files';

/** File extensions read as operation documents. */
export const OPERATION_EXTENSIONS: readonly string[] = Object.freeze(['.graphql', '.gql']);

/** One client operation, ready to check: its own document holds it and the fragments it uses. */
export interface LoadedOperation {
  /** The operation's name, `undefined` for an anonymous one. */
  readonly name: string | undefined;
  /** `query`, `mutation` or `subscription`. */
  readonly type: OperationDefinitionNode['operation'];
  /** The file it comes from, relative to the working directory when inside it. */
  readonly file: string;
  readonly document: DocumentNode;
}

function invalid(message: string, details: Record<string, unknown>): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPERATION', message, { details });
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `file:line:column` of an error; the line and column are in the file of the node they point at (a fragment may come from another file). */
function where(error: GraphQLError, file: string): string {
  const location = error.locations?.[0];
  return location === undefined ? file : `${error.source?.name ?? file}:${location.line}:${location.column}`;
}

async function resolveOperationFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matches = fg.isDynamicPattern(pattern) ? await fg(pattern, { cwd, absolute: true, onlyFiles: true, unique: true }) : [resolve(cwd, pattern)];
    const kept = matches.map((match) => resolve(match)).filter((match) => OPERATION_EXTENSIONS.some((extension) => match.toLowerCase().endsWith(extension)));
    if (kept.length === 0) throw invalid(`No operation file (${OPERATION_EXTENSIONS.join(', ')}) matches ${JSON.stringify(pattern)}.`, { pattern });
    kept.forEach((file) => files.add(file));
  }
  return [...files].sort();
}

async function readDocument(path: string, label: string): Promise<DocumentNode> {
  let body: string;
  try {
    body = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw invalid(`Could not read ${label}${typeof code === 'string' ? ` (${code})` : ''}.`, { path: label });
  }
  try {
    return parse(new Source(body, label));
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    throw invalid(`${where(error, label)}: ${oneLine(error.message)}`, { path: label });
  }
}

/** The fragments an operation uses, transitively, in a stable order. */
function usedFragments(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, { definition: FragmentDefinitionNode; file: string }>, used: Map<string, FragmentDefinitionNode>, file: string): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      if (used.has(name)) continue;
      const fragment = fragments.get(name);
      if (fragment === undefined) throw invalid(`${file}: unknown fragment "${name}".`, { path: file, fragment: name });
      used.set(name, fragment.definition);
      usedFragments(fragment.definition.selectionSet, fragments, used, file);
    } else if (selection.selectionSet !== undefined) {
      usedFragments(selection.selectionSet, fragments, used, file);
    }
  }
}

/**
 * Loads a client's operations from `.graphql`/`.gql` files or globs. The
 * fragments of every file are shared, as client tooling shares them, so an
 * operation may use a fragment from another file. Each operation gets a
 * document of its own (the operation and the fragments it uses), validated
 * against `schema`.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPERATION` for a glob
 *   that matches no operation file, an unreadable file, a syntax error, a
 *   fragment defined twice with different bodies, an unknown fragment, no
 *   operation at all, or an operation that does not validate (with
 *   `file:line:column`).
 */
export async function loadOperations(patterns: readonly string[], schema: GraphQLSchema, cwd: string): Promise<LoadedOperation[]> {
  const files = await resolveOperationFiles(patterns, cwd);
  const fragments = new Map<string, { definition: FragmentDefinitionNode; file: string }>();
  const operations: { definition: OperationDefinitionNode; file: string }[] = [];
  for (const path of files) {
    const file = displayPath(path, cwd);
    const definitions: readonly DefinitionNode[] = (await readDocument(path, file)).definitions;
    for (const definition of definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        operations.push({ definition, file });
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        const known = fragments.get(name);
        if (known !== undefined && print(known.definition) !== print(definition)) {
          throw invalid(`Fragment "${name}" is defined differently in ${known.file} and ${file}.`, { fragment: name, paths: [known.file, file] });
        }
        fragments.set(name, known ?? { definition, file });
      } else {
        throw invalid(`${file}: expected operations and fragments only, found a ${definition.kind}.`, { path: file });
      }
    }
  }
  if (operations.length === 0) throw invalid(`No operation found in ${files.length} file(s).`, { paths: files.map((path) => displayPath(path, cwd)) });

  return operations.map(({ definition, file }) => {
    const used = new Map<string, FragmentDefinitionNode>();
    usedFragments(definition.selectionSet, fragments, used, file);
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [definition, ...used.values()] };
    const [error] = validate(schema, document);
    if (error !== undefined) {
      throw invalid(`${where(error, file)}: ${oneLine(error.message)}`, { path: file, operation: definition.name?.value ?? null });
    }
    return { name: definition.name?.value, type: definition.operation, file, document };
  });
}
