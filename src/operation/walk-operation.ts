import type { FieldNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import { dynamicScope } from '../requirements/dynamic-scope';
import { satisfyingGrants } from '../scopes/match-scope';
import { collectFields, createCollector, type FieldCollector, type FieldGroup, type Holders, releaseCollector } from './collect-fields';
import { narrowEntityTypes, representedTypenames } from './entity-representations';
import { argumentsOf } from './field-arguments';
import { invalidOperation, MAX_SELECTION_DEPTH, tooDeep } from './invalid-operation';
import { type FieldFacts, fieldFacts, type Grants, type SchemaFacts, scopeIndexOf, type TypeFacts, typeFacts } from './schema-facts';

/** A response path as a linked list, built as the walk descends; turned into an array only when needed. */
export interface PathNode {
  readonly prev: PathNode | undefined;
  /** The response key: the alias, else the field name. */
  readonly key: string;
}

/**
 * Receives each scoped selection the operation makes, once per clause of
 * its requirement: the path of the
 * selection's parent and its response key (the selection's own path is
 * `pathToArray(parent, key)`), the coordinate, the clause's key (a scope, or
 * `a|b` for a choice, see `clauseKey`), its grants, the
 * key's index in `SchemaFacts.scopes` (`-1` for a scope a dynamic
 * requirement made up that no field of the schema names), and `mayRepeat`:
 * whether the same path, coordinate and scope may come more than once. They
 * may for a field with several requirements, for a dynamic requirement
 * judged on several merged field nodes, and for every selection once a
 * response path below an abstract type has been walked more than once
 * (sibling types whose fields of one key lead to different types). When
 * `mayRepeat` is false, the selection comes once.
 */
export type SelectionVisitor = (parent: PathNode | undefined, key: string, coordinate: string, scope: string, grants: Grants, scopeIndex: number, mayRepeat: boolean) => void;

/** What the walk reads. */
export interface OperationWalk {
  /** The schema's facts under the enforcements checked (`schemaFacts`). */
  readonly facts: SchemaFacts;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>;
  /**
   * Coerced variable values. A variable absent from it is unknown: a
   * `@skip`/`@include` that depends on it counts the field as selected.
   */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Passed to dynamic requirements as `context`. */
  readonly contextValue: unknown;
  readonly visit: SelectionVisitor;
  /**
   * For a walk that only needs to know which scopes the operation needs:
   * the walk sets `scopesMet[scopeIndex]` to 1 for each scope met that has an
   * index, instead of calling `visit` (which still gets the others).
   */
  readonly scopesMet?: Uint8Array | undefined;
}

export { MAX_SELECTION_DEPTH } from './invalid-operation';

/**
 * More field selections than this in one walk (counted once per concrete
 * type, fragments expanded where they are spread) are refused: a valid
 * document of a few lines whose fragments each spread the next one under two
 * fields has 2^n paths, which an unbounded walk would all visit.
 */
export const MAX_WALKED_SELECTIONS = 20_000;

/** The response path of the selection `key` under `parent`, as an array of keys, root first. */
export function pathToArray(parent: PathNode | undefined, key: string): string[] {
  const keys: string[] = [key];
  for (let node: PathNode | undefined = parent; node !== undefined; node = node.prev) keys.push(node.key);
  return keys.reverse();
}

/**
 * Walks one operation as graphql-js would execute it, and calls `visit` for
 * every selection of a field that has a requirement; returns how many field
 * selections it walked (counted as for {@link MAX_WALKED_SELECTIONS}):
 *
 * - fields are collected per concrete type as `collectFields` does: named and
 *   inline fragments, aliases, fields merged by response key, each fragment
 *   spread once per selection set;
 * - `@skip`/`@include` are honoured with the coerced variables; on an unknown
 *   variable the field counts as selected;
 * - a selection on an interface or union is walked for every possible
 *   concrete type its type conditions let through (conservative AND);
 * - `__typename`, `__schema` and `__type` need nothing;
 * - below a subgraph's `_entities(representations:)`, only the entity types
 *   that the representations' `__typename`s name are walked (all of them when
 *   a representation is unknown or has no string `__typename`);
 * - selections under a field are walked whatever that field needs, so the
 *   walk reports everything.
 *
 * Nothing is allocated per leaf selection: the fields of a selection set are
 * collected on a stack that the walk reuses (`collectFields`), a response key
 * selected once keeps its field node without an array around it, and a path
 * node is made only for a field with selections below it.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPERATION` for a field
 *   or fragment the schema does not know, a document nested deeper than
 *   {@link MAX_SELECTION_DEPTH}, or one that makes more than
 *   {@link MAX_WALKED_SELECTIONS} selections; `ERR_INVALID_SCOPE` when a
 *   dynamic requirement returns something that is not a scope.
 */
export function walkOperation(walk: OperationWalk, operation: OperationDefinitionNode): number {
  const root = walk.facts.schema.getRootType(operation.operation);
  if (!root) throw invalidOperation(`The schema has no ${operation.operation} type.`);
  const walker: Walker = { walk, collector: createCollector(walk.facts, walk.fragments, walk.variables), mayRepeat: false, remaining: MAX_WALKED_SELECTIONS };
  try {
    walkSelectionSets(walker, undefined, [typeFacts(walk.facts, root)], operation, 0);
    return MAX_WALKED_SELECTIONS - walker.remaining;
  } finally {
    releaseCollector(walker.collector);
  }
}

/** One walk's state. */
interface Walker {
  readonly walk: OperationWalk;
  readonly collector: FieldCollector;
  /** Set once a response path is walked more than once (see {@link SelectionVisitor}). */
  mayRepeat: boolean;
  /** The selections the walk may still make (see {@link MAX_WALKED_SELECTIONS}). */
  remaining: number;
}

const firstOf = (group: FieldGroup): FieldNode => (Array.isArray(group) ? (group[0] as FieldNode) : group);

/** The distinct field nodes merged under one response key and field type below an abstract type, in the order first met. */
interface MergedNodes {
  readonly nodes: FieldNode[];
  readonly seen: Set<FieldNode>;
}

function mergeNode(merged: MergedNodes, node: FieldNode): void {
  if (merged.seen.has(node)) return;
  merged.seen.add(node);
  merged.nodes.push(node);
}

function walkSelectionSets(walker: Walker, parent: PathNode | undefined, possibleTypes: readonly TypeFacts[], holders: Holders, depth: number): void {
  if (depth > MAX_SELECTION_DEPTH) throw tooDeep();
  const { collector } = walker;
  const { groups, facts: groupFacts } = collector.stack;
  if (possibleTypes.length === 1) {
    // The common case: depth first, in document order. The nodes of one key are distinct, so they pass down as they are.
    const only = possibleTypes[0] as TypeFacts;
    const start = collectFields(collector, only, holders);
    const end = collector.top;
    for (let position = start; position < end; position += 1) {
      const group = groups[position] as FieldGroup;
      const node = firstOf(group);
      const key = node.alias === undefined ? node.name.value : node.alias.value;
      const below = visitField(walker, only, group, node, groupFacts[position], parent, key);
      if (below !== null) walkSelectionSets(walker, { prev: parent, key }, below, group, depth + 1);
    }
    collector.top = start;
    return;
  }
  // An abstract type: each possible type's fields first, then the selections
  // below them, merged per response key and field type, so that sibling types
  // sharing a field type walk its selections once.
  // The same field node reaches several types (`... on Node { id }`), so merged nodes are de-duplicated,
  // with a set: an unvalidated document may repeat one field thousands of times.
  const below = new Map<string, Map<readonly TypeFacts[], MergedNodes>>();
  for (const type of possibleTypes) {
    const start = collectFields(collector, type, holders);
    const end = collector.top;
    for (let position = start; position < end; position += 1) {
      const group = groups[position] as FieldGroup;
      const node = firstOf(group);
      const key = node.alias === undefined ? node.name.value : node.alias.value;
      const child = visitField(walker, type, group, node, groupFacts[position], parent, key);
      if (child === null) continue;
      let byType = below.get(key);
      if (!byType) {
        byType = new Map();
        below.set(key, byType);
      }
      let merged = byType.get(child);
      if (merged === undefined) {
        merged = { nodes: [], seen: new Set() };
        byType.set(child, merged);
      }
      if (Array.isArray(group)) for (const same of group) mergeNode(merged, same);
      else mergeNode(merged, group);
    }
    collector.top = start;
  }
  for (const [key, byType] of below) {
    const path: PathNode = { prev: parent, key };
    if (byType.size > 1) walker.mayRepeat = true;
    for (const [types, merged] of byType) walkSelectionSets(walker, path, types, merged.nodes, depth + 1);
  }
}

/**
 * Checks the requirements of one field on one concrete type, selected by the
 * field nodes of `group` (`node` is the first); returns the concrete types to
 * walk below it, if any.
 */
function visitField(
  walker: Walker,
  ofType: TypeFacts,
  group: FieldGroup,
  node: FieldNode,
  known: FieldFacts | undefined,
  parent: PathNode | undefined,
  key: string,
): readonly TypeFacts[] | null {
  walker.remaining -= 1;
  if (walker.remaining < 0) {
    throw invalidOperation(`The operation makes more than ${MAX_WALKED_SELECTIONS} selections once its fragments are expanded.`, { limit: MAX_WALKED_SELECTIONS });
  }
  const { walk } = walker;
  const name = node.name.value;
  if (name === '__typename') return null;
  let facts = known ?? ofType.fields.get(name);
  if (facts === undefined) facts = fieldFacts(walk.facts, ofType, name);
  if (facts === null) {
    if ((name === '__schema' || name === '__type') && ofType.type === walk.facts.schema.getQueryType()) return null;
    throw invalidOperation(`Cannot query field "${name}" on type "${ofType.type.name}".`, { coordinate: `${ofType.type.name}.${name}` });
  }
  const { scopes } = facts;
  const { scopesMet } = walk;
  // More than one visit of this selection: each requirement of the field, each node of a dynamic one.
  const mayRepeat = walker.mayRepeat || scopes.length > 1 || Array.isArray(group);
  for (let index = 0; index < scopes.length; index += 1) {
    const { requirement, key: clause, grants, scopeIndex, resolve } = scopes[index] as (typeof scopes)[number];
    if (resolve === undefined) {
      if (scopesMet !== undefined && scopeIndex >= 0) scopesMet[scopeIndex] = 1;
      else walk.visit(parent, key, requirement.coordinate, clause, grants, scopeIndex, mayRepeat);
      continue;
    }
    // Each node, not only the first: below an abstract type the nodes of several branches are
    // merged here, and execution gives each concrete type the arguments of its own branch.
    const nodes = Array.isArray(group) ? group : [group];
    for (const each of nodes) {
      const args = argumentsOf(facts.field, each, walk.variables);
      const scope = dynamicScope(requirement, clause, resolve({ coordinate: requirement.coordinate, scope: clause, args, context: walk.contextValue }));
      if (scope === clause) walk.visit(parent, key, requirement.coordinate, scope, grants, scopeIndex, mayRepeat);
      else {
        const replaced = satisfyingGrants(scope);
        walk.visit(parent, key, requirement.coordinate, scope, replaced, scopeIndexOf(walk.facts, scope, replaced), mayRepeat);
      }
    }
  }
  if (facts.entities && facts.children !== null) {
    // A subgraph's `_entities`: only the types the representations name are resolved, so only their selections count.
    const typenames = representedTypenames(facts.field, group, walk.variables);
    if (typenames !== undefined) return narrowEntityTypes(walk.facts.schema, facts.children, typenames);
  }
  return facts.children;
}
