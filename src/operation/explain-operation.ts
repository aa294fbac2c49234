import type { OperationTypeNode } from 'graphql';
import type { CheckOperationOptions } from './check-operation';
import { coerceVariables, enforcementsOf, selectOperation } from './operation-source';
import { listSelections } from './operation-plan';
import { variableDependentRequirements } from './variable-dependent-requirements';
import { clauseOfKey, splitClauseKeys } from '../requirements/scope-expression';

/** Options of {@link explainOperation}: those of `checkOperation`, without a principal. */
export type ExplainOperationOptions = Omit<CheckOperationOptions, 'principal'>;

/** One scoped selection of an operation. */
export interface ScopedSelection {
  /** The response path, aliases included, without list indexes. */
  readonly path: readonly string[];
  /** The schema coordinate on the concrete type. */
  readonly coordinate: string;
  /** The scope the selection needs, for a clause of one scope; absent for a choice. */
  readonly requiredScope?: string;
  /** The alternatives of a choice (`@scope(anyOf: …)`), any one of which meets it; absent for one scope. */
  readonly anyOf?: readonly string[];
}

/** What {@link explainOperation} finds. */
export interface OperationExplanation {
  /** The operation's name, `undefined` for an anonymous one. */
  readonly operationName: string | undefined;
  /** `query`, `mutation` or `subscription`. */
  readonly operationType: OperationTypeNode;
  /** Every scope the operation needs for sure, sorted: with one scope of each `anyOf` choice, the least privilege that runs it. */
  readonly required: readonly string[];
  /** The choices the operation needs besides `required` (any one scope of each), sorted; those a required scope meets are left out. */
  readonly anyOf: readonly (readonly string[])[];
  /** Every scoped selection, in document order, once per clause of its requirement. */
  readonly selections: readonly ScopedSelection[];
  /**
   * Present only without `variableValues`, when a dynamic `requiredScope`
   * decides some requirements from arguments that read variables: their
   * coordinates, sorted. `required` then shows the directive's scopes for
   * them, which the variables may change.
   */
  readonly undetermined?: readonly string[];
}

/**
 * Explains which scopes an operation needs and where: every scoped
 * selection with its path, coordinate and scope. It walks the operation as
 * {@link checkOperation} does. Without `variableValues` a `@skip`/`@include`
 * on a variable counts the field as selected, so `required` is the least
 * privilege that runs the operation whatever its variables.
 *
 * @example
 * ```ts
 * const { required, selections } = explainOperation({ schema, document: parse('query Feed { posts { id } }') });
 * ```
 * @throws {@link ScopedPermissionsError} as `checkOperation` does.
 */
export function explainOperation(options: ExplainOperationOptions): OperationExplanation {
  const enforcements = enforcementsOf(options.schema);
  const { operation, fragments } = selectOperation(options.document, options.operationName);
  const selections = listSelections(
    { schema: options.schema, operation, fragments, variables: coerceVariables(options.schema, operation, options.variableValues), enforcements, contextValue: options.contextValue },
    () => true,
  );
  const { required, anyOf } = splitClauseKeys([...new Set(selections.map((selection) => selection.scope))].sort());
  const undetermined = options.variableValues == null ? variableDependentRequirements(options.schema, operation, fragments, enforcements) : [];
  return Object.freeze({
    ...(undetermined.length === 0 ? {} : { undetermined: Object.freeze(undetermined) }),
    operationName: operation.name?.value,
    operationType: operation.operation,
    required,
    anyOf,
    selections: Object.freeze(
      selections.map(({ path, coordinate, scope }) => {
        const clause = clauseOfKey(scope);
        return Object.freeze({ path: Object.freeze(path), coordinate, ...(clause.length === 1 ? { requiredScope: scope } : { anyOf: Object.freeze([...clause]) }) });
      }),
    ),
  });
}
