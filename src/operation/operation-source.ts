import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getVariableValues,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { readScopeEnforcements, type ScopeEnforcement } from '../requirements/scope-enforcement';
import { invalidOperation } from './invalid-operation';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** One operation of a document, with the document's fragments. */
export interface SelectedOperation {
  readonly operation: OperationDefinitionNode;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
}

/**
 * Picks the operation that execution would run: the one named
 * `operationName`, or the only one.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPERATION` when there is
 *   no such operation, or several and no name.
 */
export function selectOperation(document: DocumentNode, operationName?: string | null): SelectedOperation {
  let operation: OperationDefinitionNode | undefined;
  let candidates = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || (operationName != null && definition.name?.value !== operationName)) continue;
    operation ??= definition;
    candidates += 1;
  }
  if (operation === undefined) {
    throw invalidOperation(operationName == null ? 'The document has no operation.' : `The document has no operation named ${JSON.stringify(String(operationName).slice(0, 100))}.`);
  }
  if (candidates > 1) {
    throw invalidOperation(operationName == null ? 'The document has several operations: name the one to check (operationName).' : `The document has several operations named ${JSON.stringify(operationName)}.`);
  }
  return { operation, fragments: fragmentsOf(document) };
}

// Documents are reused across requests (parsed once and cached by servers), so their fragments are indexed once.
const fragmentIndexes = new WeakMap<DocumentNode, Readonly<Record<string, FragmentDefinitionNode>>>();

/** The fragment definitions of a document, by name. Frozen; indexed once per document. */
export function fragmentsOf(document: DocumentNode): Readonly<Record<string, FragmentDefinitionNode>> {
  let fragments = fragmentIndexes.get(document);
  if (fragments === undefined) {
    const index: Record<string, FragmentDefinitionNode> = Object.create(null) as Record<string, FragmentDefinitionNode>;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) index[definition.name.value] = definition;
    }
    fragments = Object.freeze(index);
    fragmentIndexes.set(document, fragments);
  }
  return fragments;
}

/** The variables of a call that gives none: every variable is unknown. */
export const NO_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Coerces the variables an operation is given, defaults included, as
 * execution would. Without `variableValues`, every variable is unknown (an
 * empty object): the CLI's choice, where no value exists yet. With them, a
 * variable that has neither a value nor a default stays unknown.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPERATION` for a value
 *   of the wrong type.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variableValues: Readonly<Record<string, unknown>> | null | undefined,
): Readonly<Record<string, unknown>> {
  if (variableValues == null || operation.variableDefinitions === undefined || operation.variableDefinitions.length === 0) return NO_VARIABLES;
  const known = (operation.variableDefinitions ?? []).filter(
    (definition) => definition.defaultValue !== undefined || Object.hasOwn(variableValues, definition.variable.name.value),
  );
  const coerced = getVariableValues(schema, known, variableValues, { maxErrors: 1 });
  if (coerced.errors !== undefined) {
    throw invalidOperation(`Invalid variable values: ${coerced.errors.map((error) => error.message).join(' ')}`);
  }
  return coerced.coerced;
}

/**
 * The scope enforcements of a transformed schema.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` when the schema
 *   carries none (it was not transformed by `scopeDirectiveTransformer`, or
 *   a later transform dropped its `extensions`).
 */
export function enforcementsOf(schema: GraphQLSchema): readonly ScopeEnforcement[] {
  const enforcements = readScopeEnforcements(schema);
  if (enforcements.length === 0) {
    throw new ScopedPermissionsError(
      'ERR_INVALID_OPTIONS',
      'The schema carries no scope requirements: pass the schema that scopeDirectiveTransformer returned (and transform last).',
      { details: { option: 'schema' } },
    );
  }
  return enforcements;
}
