import { type DirectiveNode, type FieldNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { dynamicScope } from '../requirements/dynamic-scope';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { satisfyingGrants } from '../scopes/match-scope';
import { argumentsOf } from './field-arguments';
import { conditionMatches, factsOf, type Grants } from './schema-facts';

/** A response path as a linked list, built as the walk descends; turned into an array only when needed. */
export interface PathNode {
  readonly prev: PathNode | undefined;
  /** The response key: the alias, else the field name. */
  readonly key: string;
}

/** Receives each scoped selection the operation makes. */
export type SelectionVisitor = (path: PathNode, coordinate: string, scope: string, grants: Grants) => void;

/** What the walk reads. */
export interface OperationWalk {
  readonly schema: GraphQLSchema;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>;
  /**
   * Coerced variable values. A variable absent from it is unknown: a
   * `@skip`/`@include` that depends on it counts the field as selected.
   */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly enforcements: readonly ScopeEnforcement[];
  /** Passed to dynamic requirements as `context`. */
  readonly contextValue: unknown;
  readonly visit: SelectionVisitor;
}

/** Deeper selections than this are refused, so that an unvalidated cyclic document cannot recurse forever. */
export const MAX_SELECTION_DEPTH = 512;

/** The response path as an array of keys, root first. */
export function pathToArray(path: PathNode): string[] {
  const keys: string[] = [];
  for (let node: PathNode | undefined = path; node !== undefined; node = node.prev) keys.push(node.key);
  return keys.reverse();
}

/** The `ERR_INVALID_OPERATION` error. */
export function invalidOperation(message: string, details?: Readonly<Record<string, unknown>>): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPERATION', message, details === undefined ? {} : { details });
}

/**
 * Walks one operation as graphql-js would execute it, and calls `visit` for
 * every selection of a field that has a requirement:
 *
 * - fields are collected per concrete type as `collectFields` does: named and
 *   inline fragments, aliases, fields merged by response key, each fragment
 *   spread once per selection set;
 * - `@skip`/`@include` are honoured with the coerced variables; on an unknown
 *   variable the field counts as selected;
 * - a selection on an interface or union is walked for every possible
 *   concrete type its type conditions let through (conservative AND);
 * - `__typename`, `__schema` and `__type` need nothing;
 * - selections under a field are walked whatever that field needs, so the
 *   walk reports everything.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPERATION` for a field
 *   or fragment the schema does not know, or a document nested deeper than
 *   {@link MAX_SELECTION_DEPTH}; `ERR_INVALID_SCOPE` when a dynamic
 *   requirement returns something that is not a scope.
 */
export function walkOperation(walk: OperationWalk, operation: OperationDefinitionNode): void {
  const root = walk.schema.getRootType(operation.operation);
  if (!root) throw invalidOperation(`The schema has no ${operation.operation} type.`);
  walkSelectionSets(walk, undefined, [root], [operation.selectionSet], 0);
}

function walkSelectionSets(
  walk: OperationWalk,
  parent: PathNode | undefined,
  possibleTypes: readonly GraphQLObjectType[],
  selectionSets: readonly SelectionSetNode[],
  depth: number,
): void {
  if (depth > MAX_SELECTION_DEPTH) throw invalidOperation(`The operation nests selections deeper than ${MAX_SELECTION_DEPTH}.`);
  const [only] = possibleTypes;
  if (possibleTypes.length === 1 && only !== undefined) {
    // The common case: depth first, in document order.
    for (const [key, nodes] of collectFields(walk, only, selectionSets)) {
      const path: PathNode = { prev: parent, key };
      const below = visitField(walk, only, nodes, path);
      if (below !== null) walkSelectionSets(walk, path, below, subSelections(nodes, []), depth + 1);
    }
    return;
  }
  // An abstract type: each possible type's fields first, then the selections
  // below them, merged per response key and field type, so that sibling types
  // sharing a field type walk its selections once.
  const below = new Map<string, Map<readonly GraphQLObjectType[], SelectionSetNode[]>>();
  for (const type of possibleTypes) {
    for (const [key, nodes] of collectFields(walk, type, selectionSets)) {
      const child = visitField(walk, type, nodes, { prev: parent, key });
      if (child === null) continue;
      let byType = below.get(key);
      if (!byType) {
        byType = new Map();
        below.set(key, byType);
      }
      byType.set(child, subSelections(nodes, byType.get(child) ?? []));
    }
  }
  for (const [key, byType] of below) {
    const path: PathNode = { prev: parent, key };
    for (const [types, sets] of byType) walkSelectionSets(walk, path, types, sets, depth + 1);
  }
}

function subSelections(nodes: readonly FieldNode[], into: SelectionSetNode[]): SelectionSetNode[] {
  for (const node of nodes) if (node.selectionSet !== undefined && !into.includes(node.selectionSet)) into.push(node.selectionSet);
  return into;
}

/** Checks the requirements of one field on one concrete type; returns the concrete types to walk below it, if any. */
function visitField(walk: OperationWalk, type: GraphQLObjectType, nodes: readonly FieldNode[], path: PathNode): readonly GraphQLObjectType[] | null {
  const node = nodes[0] as FieldNode;
  const name = node.name.value;
  if (name === '__typename') return null;
  const facts = factsOf(walk.schema, walk.enforcements, type, name);
  if (facts === null) {
    if ((name === '__schema' || name === '__type') && type === walk.schema.getQueryType()) return null;
    throw invalidOperation(`Cannot query field "${name}" on type "${type.name}".`, { coordinate: `${type.name}.${name}` });
  }
  for (const [enforcement, requirement, grants] of facts.requirements) {
    const resolve = enforcement.requiredScope;
    if (resolve === undefined) {
      walk.visit(path, requirement.coordinate, requirement.scope, grants);
      continue;
    }
    const args = argumentsOf(facts.field, node, walk.variables);
    const scope = dynamicScope(requirement, resolve({ coordinate: requirement.coordinate, scope: requirement.scope, args, context: walk.contextValue }));
    walk.visit(path, requirement.coordinate, scope, scope === requirement.scope ? grants : satisfyingGrants(scope));
  }
  return facts.children;
}

function collectFields(walk: OperationWalk, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  for (const selectionSet of selectionSets) collectInto(walk, type, selectionSet, fields, visited);
  return fields;
}

function collectInto(
  walk: OperationWalk,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fields: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD: {
        if (!isIncluded(walk, selection.directives)) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const same = fields.get(key);
        if (same) same.push(selection);
        else fields.set(key, [selection]);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        if (!isIncluded(walk, selection.directives) || !conditionMatches(walk.schema, selection.typeCondition?.name.value, type)) continue;
        collectInto(walk, type, selection.selectionSet, fields, visited);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if (visited.has(name) || !isIncluded(walk, selection.directives)) continue;
        visited.add(name);
        const fragment = Object.hasOwn(walk.fragments, name) ? walk.fragments[name] : undefined;
        if (fragment === undefined) throw invalidOperation(`Unknown fragment "${name}".`, { fragment: name });
        if (!conditionMatches(walk.schema, fragment.typeCondition.name.value, type)) continue;
        collectInto(walk, type, fragment.selectionSet, fields, visited);
        break;
      }
    }
  }
}

/** `@skip`/`@include`; a condition on an unknown variable counts as selected (the conservative choice). */
function isIncluded(walk: OperationWalk, directives: readonly DirectiveNode[] | undefined): boolean {
  if (directives === undefined || directives.length === 0) return true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    let value: unknown;
    if (condition?.kind === Kind.BOOLEAN) value = condition.value;
    else if (condition?.kind === Kind.VARIABLE && Object.hasOwn(walk.variables, condition.name.value)) value = walk.variables[condition.name.value];
    if (typeof value !== 'boolean') continue;
    if (name === 'skip' ? value : !value) return false;
  }
  return true;
}
