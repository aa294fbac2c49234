import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getVariableValues,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { readScopeEnforcements, type ScopeEnforcement } from '../requirements/scope-enforcement';
import { invalidOperation } from './walk-operation';
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
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const candidates = operationName == null ? operations : operations.filter((operation) => operation.name?.value === operationName);
  const [operation] = candidates;
  if (operation === undefined) {
    throw invalidOperation(operationName == null ? 'The document has no operation.' : `The document has no operation named ${JSON.stringify(String(operationName).slice(0, 100))}.`);
  }
  if (candidates.length > 1) {
    throw invalidOperation(operationName == null ? 'The document has several operations: name the one to check (operationName).' : `The document has several operations named ${JSON.stringify(operationName)}.`);
  }
  return { operation, fragments: fragmentsOf(document) };
}

/** The fragment definitions of a document, by name. */
export function fragmentsOf(document: DocumentNode): Readonly<Record<string, FragmentDefinitionNode>> {
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null) as Record<string, FragmentDefinitionNode>;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

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
  if (variableValues == null) return {};
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
