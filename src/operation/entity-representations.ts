import { type FieldNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, isInterfaceType } from 'graphql';
import { argumentsOf } from './field-arguments';

/** The federation field through which a gateway fetches entities from a subgraph: `Query._entities(representations: [_Any!]!)`. */
export const ENTITIES_FIELD = '_entities';

/** Whether `field` of `typeName` is a subgraph's `Query._entities` (as `@apollo/subgraph` and other subgraph libraries add it). */
export function isEntitiesField(schema: GraphQLSchema, typeName: string, field: GraphQLField<unknown, unknown>): boolean {
  return field.name === ENTITIES_FIELD && typeName === schema.getQueryType()?.name && field.args.some((arg) => arg.name === 'representations');
}

/**
 * The `__typename`s of the representations that the `_entities` field nodes
 * of one response key pass, with the walk's variables; `undefined` when any
 * of them is unknown (a variable the walk was not given) or not an object
 * with a string `__typename`: the walk then keeps every entity type, the
 * conservative choice.
 */
export function representedTypenames(
  field: GraphQLField<unknown, unknown>,
  nodes: FieldNode | readonly FieldNode[],
  variables: Readonly<Record<string, unknown>>,
): ReadonlySet<string> | undefined {
  const typenames = new Set<string>();
  for (const node of Array.isArray(nodes) ? (nodes as readonly FieldNode[]) : [nodes as FieldNode]) {
    const representations = argumentsOf(field, node, variables).representations;
    if (!Array.isArray(representations)) return undefined;
    for (const representation of representations as unknown[]) {
      const typename = representation !== null && typeof representation === 'object' ? (representation as { __typename?: unknown }).__typename : undefined;
      if (typeof typename !== 'string') return undefined;
      typenames.add(typename);
    }
  }
  return typenames;
}

/**
 * The entity types that `_entities` can return for representations of
 * these `__typename`s: an object type's own name, and every implementation
 * of an interface entity (`@apollo/subgraph` resolves those at run time).
 * A name the schema does not know, or that is no entity, selects nothing:
 * execution refuses that representation.
 */
export function narrowEntityTypes<T extends { readonly type: GraphQLObjectType }>(schema: GraphQLSchema, entityTypes: readonly T[], typenames: ReadonlySet<string>): readonly T[] {
  return entityTypes.filter(({ type }) => {
    if (typenames.has(type.name)) return true;
    for (const name of typenames) {
      const named = schema.getType(name);
      if (named !== undefined && isInterfaceType(named) && schema.isSubType(named, type)) return true;
    }
    return false;
  });
}

/**
 * The `_entities` field nodes of an operation and its fragments, found by
 * name (a field of that name on another type only makes a plan key longer).
 * Iterative, as the walk's other scans.
 */
export function entityFieldNodes(selectionSets: readonly { readonly selectionSet: FieldNode['selectionSet'] }[]): FieldNode[] {
  const found: FieldNode[] = [];
  const pending = selectionSets.flatMap((holder) => (holder.selectionSet === undefined ? [] : [holder.selectionSet]));
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const selection of next.selections) {
      if (selection.kind === 'Field' && selection.name.value === ENTITIES_FIELD) found.push(selection);
      if (selection.kind !== 'FragmentSpread' && selection.selectionSet !== undefined) pending.push(selection.selectionSet);
    }
  }
  return found;
}

/**
 * The part of a plan key that the representations decide: per `_entities`
 * node, its sorted `__typename`s, or `?` when unknown.
 */
export function entityPlanKey(schema: GraphQLSchema, nodes: readonly FieldNode[], variables: Readonly<Record<string, unknown>>): string {
  const field = schema.getQueryType()?.getFields()[ENTITIES_FIELD];
  if (field === undefined) return '';
  let key = '';
  for (const node of nodes) {
    const typenames = representedTypenames(field, node, variables);
    // JSON, since a client's `__typename` can hold any character: `"Post,User"` must not read as two names.
    key += typenames === undefined ? '|?' : `|${JSON.stringify([...typenames].sort())}`;
  }
  return key;
}
