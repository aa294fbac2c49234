import { type DirectiveNode, type FieldNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema, Kind, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { dynamicScope } from '../requirements/dynamic-scope';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { satisfyingGrants } from '../scopes/match-scope';
import { argumentsOf } from './field-arguments';
import { conditionMatches, fieldFacts, type Grants, type TypeFacts, typeFacts } from './schema-facts';

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

/**
 * Deeper selections than this are refused, and so are fragments (inline or
 * spread) nested deeper than this inside one selection set, so that an
 * unvalidated document, cyclic or just deep, can neither recurse forever nor
 * overflow the stack.
 */
export const MAX_SELECTION_DEPTH = 512;

/**
 * More field selections than this in one walk (counted once per concrete
 * type, fragments expanded where they are spread) are refused: a valid
 * document of a few lines whose fragments each spread the next one under two
 * fields has 2^n paths, which an unbounded walk would all visit.
 */
export const MAX_WALKED_SELECTIONS = 20_000;

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
 *   or fragment the schema does not know, a document nested deeper than
 *   {@link MAX_SELECTION_DEPTH}, or one that makes more than
 *   {@link MAX_WALKED_SELECTIONS} selections; `ERR_INVALID_SCOPE` when a
 *   dynamic requirement returns something that is not a scope.
 */
export function walkOperation(walk: OperationWalk, operation: OperationDefinitionNode): void {
  const root = walk.schema.getRootType(operation.operation);
  if (!root) throw invalidOperation(`The schema has no ${operation.operation} type.`);
  walkSelectionSets({ ...walk, budget: { remaining: MAX_WALKED_SELECTIONS } }, undefined, [root], [operation], 0);
}

function tooDeep(): ScopedPermissionsError {
  return invalidOperation(`The operation nests selections deeper than ${MAX_SELECTION_DEPTH}.`, { limit: MAX_SELECTION_DEPTH });
}

/** A walk under way, with the selections it may still make (see {@link MAX_WALKED_SELECTIONS}). */
interface BudgetedWalk extends OperationWalk {
  readonly budget: { remaining: number };
}

/** Something that holds a selection set: the operation, or the field nodes merged under one response key. */
interface SelectionHolder {
  readonly selectionSet?: SelectionSetNode | undefined;
}

function walkSelectionSets(
  walk: BudgetedWalk,
  parent: PathNode | undefined,
  possibleTypes: readonly GraphQLObjectType[],
  holders: readonly SelectionHolder[],
  depth: number,
): void {
  if (depth > MAX_SELECTION_DEPTH) throw tooDeep();
  const [only] = possibleTypes;
  if (possibleTypes.length === 1 && only !== undefined) {
    // The common case: depth first, in document order. The nodes of one key are distinct, so they pass down as they are.
    const facts = typeFacts(walk.schema, walk.enforcements, only);
    for (const [key, nodes] of collectFields(walk, only, holders)) {
      const path: PathNode = { prev: parent, key };
      const below = visitField(walk, only, facts, nodes, path);
      if (below !== null) walkSelectionSets(walk, path, below, nodes, depth + 1);
    }
    return;
  }
  // An abstract type: each possible type's fields first, then the selections
  // below them, merged per response key and field type, so that sibling types
  // sharing a field type walk its selections once.
  // The same field node reaches several types (`... on Node { id }`), so merged nodes are de-duplicated.
  const below = new Map<string, Map<readonly GraphQLObjectType[], FieldNode[]>>();
  for (const type of possibleTypes) {
    const facts = typeFacts(walk.schema, walk.enforcements, type);
    for (const [key, nodes] of collectFields(walk, type, holders)) {
      const child = visitField(walk, type, facts, nodes, { prev: parent, key });
      if (child === null) continue;
      let byType = below.get(key);
      if (!byType) {
        byType = new Map();
        below.set(key, byType);
      }
      const merged = byType.get(child) ?? [];
      for (const node of nodes) if (!merged.includes(node)) merged.push(node);
      byType.set(child, merged);
    }
  }
  for (const [key, byType] of below) {
    const path: PathNode = { prev: parent, key };
    for (const [types, nodes] of byType) walkSelectionSets(walk, path, types, nodes, depth + 1);
  }
}

/** Checks the requirements of one field on one concrete type; returns the concrete types to walk below it, if any. */
function visitField(
  walk: BudgetedWalk,
  type: GraphQLObjectType,
  ofType: TypeFacts,
  nodes: readonly FieldNode[],
  path: PathNode,
): readonly GraphQLObjectType[] | null {
  walk.budget.remaining -= 1;
  if (walk.budget.remaining < 0) {
    throw invalidOperation(`The operation makes more than ${MAX_WALKED_SELECTIONS} selections once its fragments are expanded.`, { limit: MAX_WALKED_SELECTIONS });
  }
  const node = nodes[0] as FieldNode;
  const name = node.name.value;
  if (name === '__typename') return null;
  let facts = ofType.get(name);
  if (facts === undefined) facts = fieldFacts(walk.schema, walk.enforcements, type, ofType, name);
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
    // Each node, not only the first: below an abstract type the nodes of several branches are
    // merged here, and execution gives each concrete type the arguments of its own branch.
    for (const each of nodes) {
      const args = argumentsOf(facts.field, each, walk.variables);
      const scope = dynamicScope(requirement, resolve({ coordinate: requirement.coordinate, scope: requirement.scope, args, context: walk.contextValue }));
      walk.visit(path, requirement.coordinate, scope, scope === requirement.scope ? grants : satisfyingGrants(scope));
    }
  }
  return facts.children;
}

function collectFields(walk: OperationWalk, type: GraphQLObjectType, holders: readonly SelectionHolder[]): Map<string, FieldNode[]> {
  const collected: Collected = { fields: new Map(), visited: undefined };
  for (const holder of holders) if (holder.selectionSet !== undefined) collectInto(walk, type, holder.selectionSet, collected, 0);
  return collected.fields;
}

/** The fields collected for one type so far, and the fragments already spread (created at the first spread). */
interface Collected {
  readonly fields: Map<string, FieldNode[]>;
  visited: Set<string> | undefined;
}

/** `depth` counts the fragments (inline or spread) entered on the way, which an unvalidated document may nest without end. */
function collectInto(walk: OperationWalk, type: GraphQLObjectType, selectionSet: SelectionSetNode, collected: Collected, depth: number): void {
  if (depth > MAX_SELECTION_DEPTH) throw tooDeep();
  const { fields } = collected;
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD: {
        if (selection.directives !== undefined && selection.directives.length > 0 && !isIncluded(walk, selection.directives)) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const same = fields.get(key);
        if (same) same.push(selection);
        else fields.set(key, [selection]);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        if (!isIncluded(walk, selection.directives) || !conditionMatches(walk.schema, selection.typeCondition?.name.value, type)) continue;
        collectInto(walk, type, selection.selectionSet, collected, depth + 1);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if (collected.visited?.has(name) === true || !isIncluded(walk, selection.directives)) continue;
        (collected.visited ??= new Set()).add(name);
        const fragment = Object.hasOwn(walk.fragments, name) ? walk.fragments[name] : undefined;
        if (fragment === undefined) throw invalidOperation(`Unknown fragment "${name}".`, { fragment: name });
        if (!conditionMatches(walk.schema, fragment.typeCondition.name.value, type)) continue;
        collectInto(walk, type, fragment.selectionSet, collected, depth + 1);
        break;
      }
    }
  }
}

/**
 * `@skip`/`@include`, read as graphql-js reads them (`shouldIncludeNode`): the
 * first directive of each name counts, and its last `if` argument. A condition
 * on an unknown variable, or one that is not a boolean, counts as selected
 * (the conservative choice; execution refuses a non-boolean itself).
 */
function isIncluded(walk: OperationWalk, directives: readonly DirectiveNode[] | undefined): boolean {
  if (directives === undefined || directives.length === 0) return true;
  let skipSeen = false;
  let includeSeen = false;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name === 'skip') {
      if (skipSeen) continue;
      skipSeen = true;
    } else if (name === 'include') {
      if (includeSeen) continue;
      includeSeen = true;
    } else {
      continue;
    }
    let condition: ValueNode | undefined;
    for (const argument of directive.arguments ?? []) if (argument.name.value === 'if') condition = argument.value;
    let value: unknown;
    if (condition?.kind === Kind.BOOLEAN) value = condition.value;
    else if (condition?.kind === Kind.VARIABLE && Object.hasOwn(walk.variables, condition.name.value)) value = walk.variables[condition.name.value];
    if (typeof value !== 'boolean') continue;
    if (name === 'skip' ? value : !value) return false;
  }
  return true;
}
