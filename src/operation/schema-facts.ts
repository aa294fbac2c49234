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
const fieldFacts = new WeakMap<readonly ScopeEnforcement[], WeakMap<GraphQLObjectType, Map<string, FieldFacts | null>>>();
const conditionSets = new WeakMap<GraphQLSchema, Map<string, ReadonlySet<GraphQLObjectType>>>();

/**
 * What the walk needs to know about `type.name` under `enforcements`, or
 * `null` when the type has no such field. Derived once, then looked up.
 */
export function factsOf(schema: GraphQLSchema, enforcements: readonly ScopeEnforcement[], type: GraphQLObjectType, name: string): FieldFacts | null {
  let byType = fieldFacts.get(enforcements);
  if (byType === undefined) {
    byType = new WeakMap();
    fieldFacts.set(enforcements, byType);
  }
  let byName = byType.get(type);
  if (byName === undefined) {
    byName = new Map();
    byType.set(type, byName);
  }
  let facts = byName.get(name);
  if (facts === undefined) {
    const field = type.getFields()[name];
    if (field === undefined) {
      facts = null;
    } else {
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
    byName.set(name, facts);
  }
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

