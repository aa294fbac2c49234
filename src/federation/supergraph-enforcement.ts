import { getDirectiveExtensions } from '@graphql-tools/utils';
import { type GraphQLNamedType, type GraphQLSchema, isObjectType } from 'graphql';
import { principalFromContext } from '../directive/guard-resolver';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import type { FieldRequirement } from '../requirements/field-requirement';
import { createScopeEnforcement, readScopeEnforcements, type ScopeEnforcement, withScopeEnforcement } from '../requirements/scope-enforcement';
import type { ScopeCatalog } from '../scopes/scope-catalog';
import { singleScope as singleScopeClauses } from '../requirements/scope-expression';
import { parseScope } from '../scopes/scope-grammar';

/** The name the gateway's enforcement is recorded under, apart from any `@scope` transform. */
export const REQUIRES_SCOPES_ENFORCEMENT = 'requiresScopes';

/** The one scope of `@requiresScopes(scopes: [["posts.read"]])`; any other shape is refused (fail closed). */
function singleScope(coordinate: string, value: unknown): string {
  if (Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) && value[0].length === 1 && typeof value[0][0] === 'string') {
    parseScope(value[0][0]);
    return value[0][0];
  }
  throw new ScopedPermissionsError('ERR_INVALID_DIRECTIVE', `@requiresScopes on ${coordinate}: only one scope ([["resource.action"]]) can be checked at the gateway today.`, {
    details: { coordinate },
  });
}

function requirementOf(coordinate: string, scope: string): FieldRequirement {
  const { resource, action } = parseScope(scope);
  return { coordinate, allOf: singleScopeClauses(scope), scope, scopes: [{ scope, resource, action, actionSource: 'explicit' }] };
}

/**
 * The requirements a supergraph's `@requiresScopes` state, on object types
 * and their fields (a type's applies to each of its fields, the field's own
 * first), as the {@link ScopeEnforcement} the operation walk reads: the
 * gateway checks a whole operation with the same walk as the subgraphs.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_DIRECTIVE` for a
 *   `@requiresScopes` that is not one scope; `ERR_INVALID_SCOPE` for a scope
 *   that breaks the grammar.
 */
export function supergraphEnforcement(schema: GraphQLSchema): ScopeEnforcement {
  const requirements: FieldRequirement[] = [];
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeScopes = getDirectiveExtensions(type, schema).requiresScopes?.[0]?.scopes;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const scopes = getDirectiveExtensions(field, schema).requiresScopes?.[0]?.scopes ?? typeScopes;
      if (scopes !== undefined) requirements.push(requirementOf(coordinate, singleScope(coordinate, scopes)));
    }
  }
  return createScopeEnforcement({ directiveName: REQUIRES_SCOPES_ENFORCEMENT, mode: 'operation', requirements, requiredScope: undefined, getPrincipal: principalFromContext });
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
