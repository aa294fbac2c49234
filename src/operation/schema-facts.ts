import { getNamedType, type GraphQLCompositeType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, isAbstractType, isCompositeType } from 'graphql';
import type { FieldRequirement } from '../requirements/field-requirement';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';
import { satisfyingGrants } from '../scopes/match-scope';

/** The four grants that satisfy a scope (see `satisfyingGrants`). */
export type Grants = readonly [string, string, string, string];

/** What the walk needs to know about one field of one concrete type, derived once. */
export interface FieldFacts {
  readonly field: GraphQLField<unknown, unknown>;
  /** The concrete types the selections below the field apply to; `null` for a leaf. */
  readonly children: readonly GraphQLObjectType[] | null;
  /** The field's requirement under each enforcement that has one, with the grants that satisfy it. */
  readonly requirements: readonly (readonly [ScopeEnforcement, FieldRequirement, Grants])[];
}

// What the walk needs from the schema is derived once per enforcements array, type and field:
// graphql-js' type predicates (`isObjectType`, …) are slow outside production builds (a
// cross-realm check), and so are repeated lookups. `null` marks a field the type does not have.
// Keyed by schema too: schemas can share type objects but not their possible types.
const factsByEnforcements = new WeakMap<readonly ScopeEnforcement[], WeakMap<GraphQLSchema, WeakMap<GraphQLObjectType, TypeFacts>>>();
const conditionSets = new WeakMap<GraphQLSchema, Map<string, ReadonlySet<GraphQLObjectType>>>();

/** The facts of one concrete type's fields, by name, filled in as the walk meets them. */
export type TypeFacts = Map<string, FieldFacts | null>;

/** The facts of `type`'s fields in `schema` under `enforcements`, filled in as the walk meets them (see {@link fieldFacts}). */
export function typeFacts(schema: GraphQLSchema, enforcements: readonly ScopeEnforcement[], type: GraphQLObjectType): TypeFacts {
  let bySchema = factsByEnforcements.get(enforcements);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    factsByEnforcements.set(enforcements, bySchema);
  }
  let byType = bySchema.get(schema);
  if (byType === undefined) {
    byType = new WeakMap();
    bySchema.set(schema, byType);
  }
  let byName = byType.get(type);
  if (byName === undefined) {
    byName = new Map();
    byType.set(type, byName);
  }
  return byName;
}

/**
 * Works out and records in `ofType` what the walk needs to know about
 * `type.name`, or `null` when the type has no such field. `schema` must be
 * the schema `type` belongs to.
 */
export function fieldFacts(schema: GraphQLSchema, enforcements: readonly ScopeEnforcement[], type: GraphQLObjectType, ofType: TypeFacts, name: string): FieldFacts | null {
  const field = type.getFields()[name];
  let facts: FieldFacts | null = null;
  if (field !== undefined) {
    const named = getNamedType(field.type);
    facts = {
      field,
      children: isCompositeType(named) ? possibleTypesOf(schema, named) : null,
      requirements: enforcements.flatMap((enforcement) => {
        const requirement = enforcement.requirementOf(type.name, name);
        return requirement === undefined ? [] : [[enforcement, requirement, satisfyingGrants(requirement.scope)] as const];
      }),
    };
  }
  ofType.set(name, facts);
  return facts;
}

/** The concrete types a value of `type` can have. */
export function possibleTypesOf(schema: GraphQLSchema, type: GraphQLCompositeType): readonly GraphQLObjectType[] {
  return isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
}

/** Whether a fragment with this type condition applies to objects of `type` (graphql-js' `doesFragmentConditionMatch`). */
export function conditionMatches(schema: GraphQLSchema, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  let byName = conditionSets.get(schema);
  if (byName === undefined) {
    byName = new Map();
    conditionSets.set(schema, byName);
  }
  let matching = byName.get(condition);
  if (matching === undefined) {
    const conditionType = schema.getType(condition);
    matching = new Set(conditionType !== undefined && isAbstractType(conditionType) ? schema.getPossibleTypes(conditionType) : []);
    byName.set(condition, matching);
  }
  return matching.has(type);
}

