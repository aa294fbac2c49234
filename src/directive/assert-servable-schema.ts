import { type GraphQLDirective, type GraphQLInputType, type GraphQLNamedType, type GraphQLSchema, isInterfaceType, isListType, isNonNullType, isObjectType, isScalarType } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { collectRequirements } from '../requirements/collect-requirements';
import { readScopeEnforcements } from '../requirements/scope-enforcement';
import { assertScopesEnforced } from './assert-scopes-enforced';

/** Whether an argument type is `String`, or `String!` where `nonNull` allows it. */
function isString(type: GraphQLInputType, nonNull: boolean): boolean {
  const inner = nonNull && isNonNullType(type) ? type.ofType : type;
  return isScalarType(inner) && inner.name === 'String';
}

/**
 * Whether a directive has the shape `scopeDirective` declares: today's
 * `(resource: String, action: String, anyOf: [String!])`, or the
 * single-scope `(resource: String!, action: String)` of earlier versions.
 */
function isScopeShaped(directive: GraphQLDirective): boolean {
  const args = new Map(directive.args.map((arg) => [arg.name, arg.type]));
  const resource = args.get('resource');
  if (resource === undefined || !isString(resource, true)) return false;
  for (const [name, type] of args) {
    if (name === 'resource') continue;
    if (name === 'action' && isString(type, false)) continue;
    if (name === 'anyOf' && isListType(type) && isNonNullType(type.ofType) && isString(type.ofType.ofType, false)) continue;
    return false;
  }
  return true;
}

/** Whether a code-first usage (`extensions.directives[name]`) has the arguments of ours: a string `resource` (perhaps an `action`) or an `anyOf` list, nothing else. */
function isScopeShapedUsage(usage: unknown): boolean {
  const usages = Array.isArray(usage) ? (usage as unknown[]) : [usage];
  return usages.some((one) => {
    if (one == null || typeof one !== 'object') return false;
    const { resource, anyOf } = one as { resource?: unknown; anyOf?: unknown };
    const keys = Object.keys(one);
    if (typeof resource === 'string') return keys.every((key) => key === 'resource' || key === 'action');
    return Array.isArray(anyOf) && keys.every((key) => key === 'anyOf');
  });
}

/**
 * The names of the scope-shaped directives `schema` may use: those declared
 * with our arguments, and (code-first schemas, which declare none) those
 * carried in `extensions.directives` of a type or field with our arguments.
 */
function scopeShapedNames(schema: GraphQLSchema): Set<string> {
  const names = new Set(schema.getDirectives().filter(isScopeShaped).map((directive) => directive.name));
  const visit = (extensions: unknown): void => {
    const directives = (extensions as { directives?: unknown } | null | undefined)?.directives;
    if (directives == null || typeof directives !== 'object') return;
    for (const [name, usage] of Object.entries(directives)) {
      if (schema.getDirective(name) === undefined && isScopeShapedUsage(usage)) names.add(name);
    }
  };
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    visit(type.extensions);
    for (const field of Object.values(type.getFields())) visit(field.extensions);
  }
  return names;
}

/**
 * The start-up check every plugin of this package runs on the schema it
 * serves (`partialResultStatusPlugin`, `operationScopePlugin`,
 * `scopesEnforcedPlugin`, and the Envelop plugin), so that misuse is loud:
 *
 * - **A schema that uses `@scope` but was never transformed** (the
 *   transformer forgotten, or a later transform that dropped its record)
 *   serves every scoped field to anyone. Refused, naming the fields. Any
 *   directive declared as `scopeDirective` declares it
 *   (`(resource: String!, action: String)`), whatever its name, counts, and
 *   so does, in a code-first schema without the declaration, one carried in
 *   `extensions.directives` with those arguments.
 * - **A schema transformed with `preset: 'strict'`** must also pass
 *   `assertScopesEnforced`: every scoped field still guarded.
 *
 * A schema with no scope directive at all passes: nothing to enforce.
 *
 * @example
 * ```ts
 * assertServableSchema(schema); // in your own server's start-up, like our plugins
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_UNGUARDED_FIELDS`, with the
 *   fields in `details.coordinates` (sorted) and, for an untransformed
 *   schema, `details.directiveName`.
 */
export function assertServableSchema(schema: GraphQLSchema): void {
  const enforcements = readScopeEnforcements(schema);
  const recorded = new Set(enforcements.map((enforcement) => enforcement.directiveName));
  for (const directiveName of scopeShapedNames(schema)) {
    if (recorded.has(directiveName)) continue;
    const coordinates = [...collectRequirements(schema, { directiveName }).keys()].sort();
    if (coordinates.length === 0) continue;
    throw new ScopedPermissionsError(
      'ERR_UNGUARDED_FIELDS',
      `The schema uses @${directiveName} on ${coordinates.length} field(s) but was never transformed by scopeDirectiveTransformer (or a later transform dropped its record), so nothing enforces them: ${coordinates.join(', ')}. Apply the transformer, last.`,
      { details: { directiveName, coordinates } },
    );
  }
  if (enforcements.some((enforcement) => enforcement.preset === 'strict')) assertScopesEnforced(schema);
}
