import { type GraphQLAbstractType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, getNamedType, isAbstractType, isCompositeType, TypeNameMetaFieldDef } from 'graphql';
import type { FieldRequirement } from '../requirements/field-requirement';
import type { RequiredScopeResolver, ScopeEnforcement } from '../requirements/scope-enforcement';
import { clauseKey } from '../requirements/scope-expression';
import { clauseGrants, satisfyingGrants } from '../scopes/match-scope';
import { isEntitiesField } from './entity-representations';

/**
 * The grants that meet one clause of a requirement: the four that satisfy a
 * scope (see `satisfyingGrants`), or those of any scope of an `anyOf` clause
 * (see `clauseGrants`).
 */
export type Grants = readonly string[];

/**
 * One clause of a requirement of one field, under one enforcement: the
 * requirement itself for a single scope (the common case), one entry per
 * clause for an expression.
 */
export interface FieldScope {
  readonly requirement: FieldRequirement;
  /** The clause's key (`clauseKey`): its scope, or its scopes joined with `|`. */
  readonly key: string;
  /** The grants that meet the clause. */
  readonly grants: Grants;
  /** The index of `key` in {@link SchemaFacts.scopes}; `-1` if a hand-made record left it out of its `requirements`. */
  readonly scopeIndex: number;
  /** The enforcement's dynamic requirement, if it has one and the requirement is a single scope (expressions are static). */
  readonly resolve: RequiredScopeResolver | undefined;
}

/** What the walk needs to know about one field of one concrete type, derived once. */
export interface FieldFacts {
  readonly field: GraphQLField<unknown, unknown>;
  /**
   * The concrete types the selections below the field apply to; `null` for
   * a leaf. One array per abstract type, shared by every field of that type
   * (the walk merges sibling selections by it); one per field otherwise.
   */
  readonly children: readonly TypeFacts[] | null;
  /** The field's requirement under each enforcement that has one. */
  readonly scopes: readonly FieldScope[];
  /** Whether the field is a subgraph's `Query._entities`, whose children the walk narrows to the represented types. */
  readonly entities: boolean;
  /**
   * The walk's scratch, so that it needs no map of response keys for fields
   * selected under their own name: the number of the walk that last
   * collected the field so, and the number of the group it went to. Only
   * `collect-fields` uses it.
   */
  collectedBy: number;
  collectedInto: number;
}

/** One concrete type, with the facts of its fields by name, filled in as the walk meets them (`null`: no such field). */
export interface TypeFacts {
  readonly type: GraphQLObjectType;
  readonly fields: Map<string, FieldFacts | null>;
}

/**
 * What the walk needs from one schema under one set of enforcements,
 * derived once and filled in as walks meet types and fields: graphql-js'
 * type predicates (`isObjectType`, …) are slow outside production builds (a
 * cross-realm check), and so are repeated lookups.
 */
export interface SchemaFacts {
  readonly schema: GraphQLSchema;
  readonly enforcements: readonly ScopeEnforcement[];
  /**
   * Every distinct clause key (`clauseKey`: a scope, or `a|b` for a choice)
   * the enforcements' requirements name, sorted, so that a walk can mark the
   * clauses it meets by index and list them in order.
   */
  readonly scopes: readonly string[];
  /** The index of each clause key in {@link SchemaFacts.scopes}. */
  readonly scopeIndexes: ReadonlyMap<string, number>;
  /** Per index, the clause key and its grants; filled in when a walk first meets a field that needs it. */
  readonly scopeGrants: (readonly [string, Grants] | undefined)[];
  readonly types: Map<GraphQLObjectType, TypeFacts>;
  readonly abstractTypes: Map<GraphQLAbstractType, readonly TypeFacts[]>;
  /** The concrete types each abstract type condition applies to, by condition name. */
  readonly conditions: Map<string, ReadonlySet<GraphQLObjectType>>;
}

// Keyed by the enforcements array first (one per transform, or per schema `extensions` record), then the schema.
const factsByEnforcements = new WeakMap<readonly ScopeEnforcement[], WeakMap<GraphQLSchema, SchemaFacts>>();

/** The facts of `schema` under `enforcements`, made once per pair and kept as long as both live. */
export function schemaFacts(schema: GraphQLSchema, enforcements: readonly ScopeEnforcement[]): SchemaFacts {
  let bySchema = factsByEnforcements.get(enforcements);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    factsByEnforcements.set(enforcements, bySchema);
  }
  let facts = bySchema.get(schema);
  if (facts === undefined) {
    const scopes = new Set<string>();
    for (const enforcement of enforcements) for (const requirement of enforcement.requirements) for (const clause of requirement.allOf) scopes.add(clauseKey(clause));
    const sorted = [...scopes].sort();
    facts = {
      schema,
      enforcements,
      scopes: Object.freeze(sorted),
      scopeIndexes: new Map(sorted.map((scope, index) => [scope, index])),
      scopeGrants: sorted.map(() => undefined),
      types: new Map(),
      abstractTypes: new Map(),
      conditions: new Map(),
    };
    bySchema.set(schema, facts);
  }
  return facts;
}

/** The facts of one concrete type of `facts.schema`. */
export function typeFacts(facts: SchemaFacts, type: GraphQLObjectType): TypeFacts {
  let ofType = facts.types.get(type);
  if (ofType === undefined) {
    ofType = { type, fields: new Map() };
    facts.types.set(type, ofType);
  }
  return ofType;
}

/**
 * Works out and records in `ofType` what the walk needs to know about the
 * field `name`, or `null` when the type has no such field.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` when a requirement's scope is not `resource.action`.
 */
export function fieldFacts(facts: SchemaFacts, ofType: TypeFacts, name: string): FieldFacts | null {
  // `__typename`, on every type, gets facts too (no requirement), so the walk collects it as it collects the type's own fields.
  const field = name === '__typename' ? TypeNameMetaFieldDef : ofType.type.getFields()[name];
  let found: FieldFacts | null = null;
  if (field !== undefined) {
    const named = getNamedType(field.type);
    const scopes: FieldScope[] = [];
    for (const enforcement of facts.enforcements) {
      const requirement = enforcement.requirementOf(ofType.type.name, name);
      if (requirement === undefined) continue;
      if (requirement.scope !== undefined) {
        const grants = satisfyingGrants(requirement.scope);
        scopes.push(Object.freeze({ requirement, key: requirement.scope, grants, scopeIndex: scopeIndexOf(facts, requirement.scope, grants), resolve: enforcement.requiredScope }));
        continue;
      }
      for (const clause of requirement.allOf) {
        const key = clauseKey(clause);
        const grants = clauseGrants(clause);
        scopes.push(Object.freeze({ requirement, key, grants, scopeIndex: scopeIndexOf(facts, key, grants), resolve: undefined }));
      }
    }
    found = {
      field,
      children: !isCompositeType(named) ? null : isAbstractType(named) ? possibleTypesOf(facts, named) : [typeFacts(facts, named)],
      scopes: Object.freeze(scopes),
      entities: isEntitiesField(facts.schema, ofType.type.name, field),
      collectedBy: -1,
      collectedInto: -1,
    };
  }
  ofType.fields.set(name, found);
  return found;
}

/**
 * The index of the clause key `scope` in `facts.scopes`, recording its grants there; `-1`
 * for a scope no requirement of the enforcements names (one a dynamic
 * requirement made up, or one of a hand-made record).
 */
export function scopeIndexOf(facts: SchemaFacts, scope: string, grants: Grants): number {
  const index = facts.scopeIndexes.get(scope);
  if (index === undefined) return -1;
  facts.scopeGrants[index] ??= Object.freeze([scope, grants] as const);
  return index;
}

/** The concrete types a value of an abstract type can have, one array per abstract type. */
function possibleTypesOf(facts: SchemaFacts, type: GraphQLAbstractType): readonly TypeFacts[] {
  let possible = facts.abstractTypes.get(type);
  if (possible === undefined) {
    possible = Object.freeze(facts.schema.getPossibleTypes(type).map((object) => typeFacts(facts, object)));
    facts.abstractTypes.set(type, possible);
  }
  return possible;
}

/** Whether a fragment with this type condition applies to objects of `type` (graphql-js' `doesFragmentConditionMatch`). */
export function conditionMatches(facts: SchemaFacts, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  let matching = facts.conditions.get(condition);
  if (matching === undefined) {
    const conditionType = facts.schema.getType(condition);
    matching = new Set(conditionType !== undefined && isAbstractType(conditionType) ? facts.schema.getPossibleTypes(conditionType) : []);
    facts.conditions.set(condition, matching);
  }
  return matching.has(type);
}
