import { type DirectiveNode, type FieldNode, type FragmentDefinitionNode, Kind, type SelectionSetNode, type ValueNode } from 'graphql';
import { invalidOperation, MAX_SELECTION_DEPTH, tooDeep } from './invalid-operation';
import { conditionMatches, type FieldFacts, fieldFacts, type SchemaFacts, type TypeFacts } from './schema-facts';

/** The field nodes merged under one response key: one node (the common case), or several in document order. */
export type FieldGroup = FieldNode | FieldNode[];

/** Something that holds a selection set: the operation, or a field node. */
export interface SelectionHolder {
  readonly selectionSet?: SelectionSetNode | undefined;
}

/** The holders whose selection sets are collected together: one, or the field nodes merged under one response key. */
export type Holders = SelectionHolder | readonly SelectionHolder[];

/** Where a response key was last collected: the number of the group it went to. */
interface KeySlot {
  group: number;
}

/** The stack of collected groups, reused from walk to walk (see {@link createCollector}); its arrays keep the largest length a walk gave them. */
interface GroupStack {
  readonly groups: (FieldGroup | undefined)[];
  readonly facts: (FieldFacts | undefined)[];
}

/**
 * One walk's field collection, done as graphql-js' `collectFields` does it
 * (fields merged by response key in the order of their first node, each
 * fragment spread once), with as little allocation per field as possible:
 *
 * - The groups of a selection set are pushed on one stack, `groups[start..top)`,
 *   walked, then popped; the collections below them are pushed above.
 * - Every group gets a number, counted across the walk. A key is already in
 *   the collection under way when the number of the group it last went to
 *   is not below the collection's first. A field selected under its own name
 *   (most are) keeps that number in its facts (`FieldFacts.collectedInto`),
 *   which the walk needs anyway; aliases and unknown fields keep it in
 *   `slots`, one map for the walk, made at the first alias.
 */
export interface FieldCollector {
  /** A number no other walk has: marks in the shared facts name it. */
  readonly id: number;
  readonly facts: SchemaFacts;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>;
  readonly variables: Readonly<Record<string, unknown>>;
  /** The groups collected, a stack; with, per group, the facts of its field when its first node selects it under its own name. */
  readonly stack: GroupStack;
  /** The stack's height. */
  top: number;
  /** The greatest height so far, so that the stack can be cleared. */
  high: number;
  /** Groups numbered so far. */
  groupCount: number;
  slots: Map<string, KeySlot> | undefined;
  /** The collection under way: its first stack position, its first group number, how many of its groups are in `slots`. */
  start: number;
  first: number;
  slotted: number;
}

let walkCount = 0;
let idleStack: GroupStack | undefined;

/**
 * A collector for one walk. It takes the idle group stack, if no other walk
 * holds it (a dynamic requirement can start a walk inside a walk); give it
 * back with {@link releaseCollector}.
 */
export function createCollector(
  facts: SchemaFacts,
  fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>,
  variables: Readonly<Record<string, unknown>>,
): FieldCollector {
  const stack = idleStack ?? { groups: [], facts: [] };
  idleStack = undefined;
  // Never reused, since a mark outlives its walk (a small integer for the first 2^30 walks, exact up to 2^53).
  walkCount += 1;
  return { id: walkCount, facts, fragments, variables, stack, top: 0, high: 0, groupCount: 0, slots: undefined, start: 0, first: 0, slotted: 0 };
}

/** Clears the collector's stack, so it holds no document, and makes it the idle one. */
export function releaseCollector(collector: FieldCollector): void {
  const { stack } = collector;
  const high = Math.max(collector.high, collector.top);
  // A plain loop: `fill` takes a slow path on these arrays.
  for (let position = 0; position < high; position += 1) {
    stack.groups[position] = undefined;
    stack.facts[position] = undefined;
  }
  idleStack = stack;
}

/**
 * Collects the fields of the holders' selection sets that apply to `type`,
 * and pushes their groups on the stack; returns the position of the first.
 * The groups are `collector.stack.groups[start..collector.top)`; pop them
 * (`collector.top = start`) once walked.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPERATION` for an
 *   unknown fragment, or fragments nested deeper than `MAX_SELECTION_DEPTH`.
 */
export function collectFields(collector: FieldCollector, type: TypeFacts, holders: Holders): number {
  const start = collector.top;
  collector.start = start;
  collector.first = collector.groupCount;
  collector.slotted = 0;
  if (!Array.isArray(holders)) {
    const { selectionSet } = holders as SelectionHolder;
    if (selectionSet !== undefined) collectInto(collector, type, selectionSet, undefined, 0);
  } else {
    // The fragments spread so far are shared by the holders' selection sets, as graphql-js shares them.
    let spread: Set<string> | undefined;
    for (let index = 0; index < holders.length; index += 1) {
      const { selectionSet } = holders[index] as SelectionHolder;
      if (selectionSet !== undefined) spread = collectInto(collector, type, selectionSet, spread, 0);
    }
  }
  collector.groupCount += collector.top - start;
  if (collector.top > collector.high) collector.high = collector.top;
  return start;
}

/** Pushes a new group. */
function push(collector: FieldCollector, node: FieldNode, facts: FieldFacts | undefined): void {
  const { stack, top } = collector;
  stack.groups[top] = node;
  stack.facts[top] = facts;
  collector.top = top + 1;
}

/** Adds a field node to the group numbered `group` of the collection under way: its key is selected again. */
function addToGroup(collector: FieldCollector, group: number, node: FieldNode): void {
  const { groups } = collector.stack;
  const position = collector.start + group - collector.first;
  const same = groups[position] as FieldGroup;
  if (Array.isArray(same)) same.push(node);
  else groups[position] = [same, node];
}

/**
 * Collects the fields of `selectionSet` that apply to `type`. `spread` holds
 * the fragments already spread (a fragment is spread once); the set, made
 * at the first spread, is returned. `depth` counts the fragments (inline or
 * spread) entered on the way, which an unvalidated document may nest
 * without end.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPERATION` for an
 *   unknown fragment, or fragments nested deeper than `MAX_SELECTION_DEPTH`.
 */
function collectInto(collector: FieldCollector, type: TypeFacts, selectionSet: SelectionSetNode, spread: Set<string> | undefined, depth: number): Set<string> | undefined {
  if (depth > MAX_SELECTION_DEPTH) throw tooDeep();
  const { selections } = selectionSet;
  for (let index = 0; index < selections.length; index += 1) {
    const selection = selections[index] as SelectionSetNode['selections'][number];
    switch (selection.kind) {
      case Kind.FIELD:
        if (selection.directives === undefined || selection.directives.length === 0 || isIncluded(collector, selection.directives)) collectField(collector, type, selection);
        break;
      case Kind.INLINE_FRAGMENT:
        if (!isIncluded(collector, selection.directives) || !conditionMatches(collector.facts, selection.typeCondition?.name.value, type.type)) continue;
        spread = collectInto(collector, type, selection.selectionSet, spread, depth + 1);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if ((spread !== undefined && spread.has(name)) || !isIncluded(collector, selection.directives)) continue;
        // A set, not a list: a document may spread thousands of fragments in one selection set.
        (spread ??= new Set()).add(name);
        const fragment = Object.hasOwn(collector.fragments, name) ? collector.fragments[name] : undefined;
        if (fragment === undefined) throw invalidOperation(`Unknown fragment "${name}".`, { fragment: name });
        if (!conditionMatches(collector.facts, fragment.typeCondition.name.value, type.type)) continue;
        spread = collectInto(collector, type, fragment.selectionSet, spread, depth + 1);
        break;
      }
    }
  }
  return spread;
}

/** Adds one selected field node to its response key's group, or starts the group. */
function collectField(collector: FieldCollector, type: TypeFacts, node: FieldNode): void {
  const { first } = collector;
  if (node.alias === undefined) {
    const name = node.name.value;
    let facts = type.fields.get(name);
    if (facts === undefined) facts = fieldFacts(collector.facts, type, name);
    if (facts !== null) {
      if (facts.collectedBy === collector.id && facts.collectedInto >= first) return addToGroup(collector, facts.collectedInto, node);
      // The key may be taken by an alias (`name: other`) in this collection.
      const slot = collector.slotted > 0 ? collector.slots?.get(name) : undefined;
      if (slot !== undefined && slot.group >= first) return addToGroup(collector, slot.group, node);
      facts.collectedBy = collector.id;
      facts.collectedInto = first + collector.top - collector.start;
      return push(collector, node, facts);
    }
  }
  // An alias, or a field the type does not have (which the visit refuses).
  const key = node.alias === undefined ? node.name.value : node.alias.value;
  // The key may be taken by a field selected under its own name in this collection.
  const owner = type.fields.get(key);
  if (owner != null && owner.collectedBy === collector.id && owner.collectedInto >= first) return addToGroup(collector, owner.collectedInto, node);
  collector.slots ??= new Map();
  const slot = collector.slots.get(key);
  if (slot !== undefined && slot.group >= first) return addToGroup(collector, slot.group, node);
  const group = first + collector.top - collector.start;
  if (slot === undefined) collector.slots.set(key, { group });
  else slot.group = group;
  collector.slotted += 1;
  push(collector, node, undefined);
}

/**
 * `@skip`/`@include`, read as graphql-js reads them (`shouldIncludeNode`): the
 * first directive of each name counts, and its last `if` argument. A condition
 * on an unknown variable, or one that is not a boolean, counts as selected
 * (the conservative choice; execution refuses a non-boolean itself).
 */
function isIncluded(collector: FieldCollector, directives: readonly DirectiveNode[] | undefined): boolean {
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
    else if (condition?.kind === Kind.VARIABLE && Object.hasOwn(collector.variables, condition.name.value)) value = collector.variables[condition.name.value];
    if (typeof value !== 'boolean') continue;
    if (name === 'skip' ? value : !value) return false;
  }
  return true;
}
