import { type DefinitionNode, type DocumentNode, Kind, specifiedDirectives, specifiedScalarTypes } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** A named schema element as any copy of graphql-js shapes it. */
interface NamedLike {
  readonly name?: unknown;
  readonly astNode?: unknown;
  readonly extensionASTNodes?: unknown;
}

/**
 * A `GraphQLSchema` made by another copy of graphql-js (a second install in
 * `node_modules`, or the CLI installed globally), recognised by its shape
 * because `instanceof` fails across copies.
 */
export interface SchemaLike {
  getTypeMap(): unknown;
  getDirectives(): unknown;
  readonly astNode?: unknown;
  readonly extensionASTNodes?: unknown;
}

const BUILT_IN_TYPES = new Set(specifiedScalarTypes.map((type) => type.name));
const BUILT_IN_DIRECTIVES = new Set(specifiedDirectives.map((directive) => directive.name));

function isDefinition(node: unknown): node is DefinitionNode {
  return typeof node === 'object' && node !== null && typeof (node as { kind?: unknown }).kind === 'string';
}

function definitionsOf(element: NamedLike): DefinitionNode[] {
  const nodes: unknown[] = [element.astNode, ...(Array.isArray(element.extensionASTNodes) ? element.extensionASTNodes : [])];
  return nodes.filter(isDefinition);
}

/**
 * Whether `value` has the shape of a `GraphQLSchema` (`getTypeMap` and
 * `getDirectives` methods), whichever copy of graphql-js made it.
 */
export function isSchemaLike(value: unknown): value is SchemaLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { getTypeMap?: unknown; getDirectives?: unknown };
  return typeof candidate.getTypeMap === 'function' && typeof candidate.getDirectives === 'function';
}

/**
 * Recovers the SDL document of a schema built by another copy of graphql-js,
 * from the AST nodes it keeps, so that this package's copy can rebuild it.
 * AST nodes are plain objects, so they cross copies safely; the schema's
 * classes do not (graphql-js refuses them with "Cannot use GraphQLSchema
 * from another module or realm").
 *
 * @param label - The file the schema came from, for messages.
 * @throws {@link ScopedPermissionsError} `ERR_SCHEMA_LOAD` when a type or
 *   directive has no AST node (a code-first schema): only SDL-first schemas
 *   can cross copies of graphql-js.
 */
export function foreignSchemaDocument(schema: SchemaLike, label: string): DocumentNode {
  const definitions: DefinitionNode[] = definitionsOf(schema);
  const typeMap = schema.getTypeMap();
  const directives = schema.getDirectives();
  const types = typeof typeMap === 'object' && typeMap !== null ? (Object.values(typeMap) as NamedLike[]) : [];
  const elements: Array<{ element: NamedLike; builtIn: ReadonlySet<string> }> = [
    ...types.map((element) => ({ element, builtIn: BUILT_IN_TYPES })),
    ...(Array.isArray(directives) ? (directives as NamedLike[]) : []).map((element) => ({ element, builtIn: BUILT_IN_DIRECTIVES })),
  ];
  for (const { element, builtIn } of elements) {
    const name = typeof element.name === 'string' ? element.name : '';
    if (name.startsWith('__') || (builtIn.has(name) && element.astNode == null)) continue;
    const nodes = definitionsOf(element);
    if (nodes.length === 0) {
      throw new ScopedPermissionsError(
        'ERR_SCHEMA_LOAD',
        `${label} exports a schema made by another copy of graphql, and "${name}" has no SDL to rebuild it from; install a single copy of graphql (npm dedupe) or pass the SDL files.`,
        { details: { path: label, element: name } },
      );
    }
    definitions.push(...nodes);
  }
  return { kind: Kind.DOCUMENT, definitions };
}
