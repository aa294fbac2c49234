import { getDirectiveExtensions } from '@graphql-tools/utils';
import {
  getNamedType,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { principalFromContext } from '../directive/guard-resolver';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { requirementOfClauses } from '../requirements/collect-requirements';
import type { FieldRequirement } from '../requirements/field-requirement';
import { createScopeEnforcement, readScopeEnforcements, type ScopeEnforcement, withScopeEnforcement } from '../requirements/scope-enforcement';
import { clausesOf, impliesClauses, type ScopeClauses } from '../requirements/scope-expression';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { requiresScopesNames } from './requires-scopes-names';

/** The name the gateway's enforcement is recorded under, apart from any `@scope` transform. */
export const REQUIRES_SCOPES_ENFORCEMENT = 'requiresScopes';

type Directable = Parameters<typeof getDirectiveExtensions>[0];

function invalidDirective(coordinate: string, problem: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_DIRECTIVE', `@requiresScopes on ${coordinate}: ${problem}`, { details: { coordinate } });
}

/** The uses of `@requiresScopes` on `element`, under every name the supergraph gives it (`requiresScopesNames`). */
function usagesOn(schema: GraphQLSchema, names: readonly string[], element: Directable): Record<string, unknown>[] {
  const extensions = getDirectiveExtensions(element, schema);
  return names.flatMap((name) => extensions[name] ?? []);
}

/** The clauses of the `@requiresScopes` on `element`, if it has one; checked strictly (see `clausesOf`). */
function clausesOn(schema: GraphQLSchema, names: readonly string[], element: Directable, coordinate: string): ScopeClauses | undefined {
  const usages = usagesOn(schema, names, element);
  if (usages.length === 0) return undefined;
  if (usages.length > 1) throw invalidDirective(coordinate, 'given more than once; the directive is not repeatable.');
  const usage: Record<string, unknown> = usages[0] ?? {};
  const unknown = Object.keys(usage).filter((name) => name !== 'scopes');
  if (unknown.length > 0) throw invalidDirective(coordinate, `unknown argument(s) ${unknown.join(', ')}.`);
  return clausesOf(usage.scopes, coordinate);
}

/**
 * Refuses `@requiresScopes` where federation does not define it (unions,
 * input types and fields, arguments, enum values, the schema): a gateway
 * must not serve a requirement it would silently skip.
 */
function assertSupportedLocations(schema: GraphQLSchema, names: readonly string[]): void {
  const refuse = (element: Directable, coordinate: string): void => {
    if (usagesOn(schema, names, element).length > 0) {
      throw invalidDirective(coordinate, 'not a place @requiresScopes applies (fields, objects, interfaces, scalars and enums); the gateway would not check it.');
    }
  };
  refuse(schema, 'the schema');
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (type.name.startsWith('__')) continue;
    if (isUnionType(type) || isInputObjectType(type)) refuse(type, type.name);
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) refuse(field, `${type.name}.${field.name}`);
    if (isEnumType(type)) for (const value of type.getValues()) refuse(value, `${type.name}.${value.name}`);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) for (const argument of field.args) refuse(argument, `${type.name}.${field.name}(${argument.name}:)`);
    }
  }
}

/**
 * The requirements a supergraph's `@requiresScopes` state, with Apollo
 * Router's semantics, as the {@link ScopeEnforcement} the operation walk
 * reads: the gateway checks a whole operation with the same walk as the
 * subgraphs. Each `@requiresScopes` is an OR of ANDs (`clausesOf`), and
 * every one that applies to a field is needed (AND):
 *
 * - the field's own;
 * - the one on the type the field returns (object, interface, scalar or
 *   enum), as the router checks it on every field that returns the type;
 * - the one on the object type the field belongs to, which is how the walk
 *   sees a fragment on that type (the walk checks concrete fields), and
 *   what the router checks on the root type of an operation.
 *
 * The walk checks each concrete type a selection can reach, so an
 * interface's own requirements (those composition copies up from its
 * implementations) must follow from its implementations': one that adds a
 * scope is refused rather than ignored.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_DIRECTIVE` for a
 *   malformed, empty or too large `@requiresScopes`, one where federation
 *   does not define it, or an interface requirement its implementations do
 *   not carry; `ERR_INVALID_SCOPE` for a wildcard or a scope that breaks the
 *   grammar. Each names the coordinate.
 */
export function supergraphEnforcement(schema: GraphQLSchema): ScopeEnforcement {
  const names = requiresScopesNames(schema);
  assertSupportedLocations(schema, names);
  const ofType = new Map<GraphQLNamedType, ScopeClauses | undefined>();
  const typeClauses = (type: GraphQLNamedType): ScopeClauses | undefined => {
    if (!ofType.has(type)) ofType.set(type, clausesOn(schema, names, type, type.name));
    return ofType.get(type);
  };
  const requirements = new Map<string, FieldRequirement>();
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const applying = [clausesOn(schema, names, field, coordinate), typeClauses(type), typeClauses(getNamedType(field.type))].filter((clauses) => clauses !== undefined);
      if (applying.length > 0) requirements.set(coordinate, requirementOfClauses(coordinate, applying.flat(), REQUIRES_SCOPES_ENFORCEMENT));
    }
  }
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (!isInterfaceType(type) || type.name.startsWith('__')) continue;
    const implementations = schema.getPossibleTypes(type);
    const own = typeClauses(type);
    if (own !== undefined && !impliesClauses(implementations.flatMap((object) => typeClauses(object) ?? []), own)) {
      throw invalidDirective(type.name, 'the interface requires scopes that its implementations do not; put them on the implementing types (federation 2.9.4 and later refuse them on interfaces).');
    }
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const required = clausesOn(schema, names, field, coordinate);
      if (required === undefined) continue;
      const carried = implementations.flatMap((object) => requirements.get(`${object.name}.${field.name}`)?.allOf ?? []);
      if (!impliesClauses(carried, required)) {
        throw invalidDirective(coordinate, 'the interface field requires scopes that its implementations do not; put them on the implementing fields (federation 2.9.4 and later refuse them on interfaces).');
      }
    }
  }
  return createScopeEnforcement({ directiveName: REQUIRES_SCOPES_ENFORCEMENT, mode: 'operation', requirements: requirements.values(), requiredScope: undefined, getPrincipal: principalFromContext });
}

/**
 * Records the supergraph's `@requiresScopes` as an enforcement on the
 * schema's own `extensions` object, for the operation check
 * (`checkOperation`, `useScopedPermissions`' `mode: 'reject'`), and returns
 * the same schema. In place, on purpose: a gateway keeps its schema object
 * (Hive Gateway plans with it), so a copy would never be the one executed.
 * Done once per schema.
 *
 * @throws {@link ScopedPermissionsError} as {@link supergraphEnforcement}.
 */
export function withSupergraphEnforcement(schema: GraphQLSchema): GraphQLSchema {
  if (readScopeEnforcements(schema).some((enforcement) => enforcement.directiveName === REQUIRES_SCOPES_ENFORCEMENT)) return schema;
  const enforcement = supergraphEnforcement(schema);
  Object.assign(schema.extensions, withScopeEnforcement(schema.extensions, enforcement));
  return schema;
}

/** The scopes a supergraph's `@requiresScopes` name, grouped by resource as `discoverScopes` groups them, for `expandGrants`. */
export function supergraphCatalog(schema: GraphQLSchema): ScopeCatalog {
  const byResource = new Map<string, Map<string, string[]>>();
  for (const requirement of supergraphEnforcement(schema).requirements) {
    for (const named of requirement.scopes) {
      let scopes = byResource.get(named.resource);
      if (scopes === undefined) byResource.set(named.resource, (scopes = new Map()));
      scopes.set(named.action, [...(scopes.get(named.action) ?? []), requirement.coordinate]);
    }
  }
  return {
    resources: [...byResource.keys()].sort().map((resource) => ({
      resource,
      scopes: [...(byResource.get(resource) ?? new Map<string, string[]>())].map(([action, coordinates]) => ({ scope: `${resource}.${action}`, action, coordinates, used: true })),
    })),
  };
}
