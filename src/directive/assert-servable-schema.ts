import { type GraphQLDirective, type GraphQLNamedType, type GraphQLSchema, isInterfaceType, isNonNullType, isObjectType, isScalarType } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { collectRequirements } from '../requirements/collect-requirements';
import { readScopeEnforcements } from '../requirements/scope-enforcement';
import { assertScopesEnforced } from './assert-scopes-enforced';

/** Whether a directive has the shape `scopeDirective` declares: `(resource: String!, action: String)`. */
function isScopeShaped(directive: GraphQLDirective): boolean {
  const [resource, action, ...rest] = directive.args;
  if (resource === undefined || rest.length > 0 || resource.name !== 'resource') return false;
  if (!isNonNullType(resource.type) || !isScalarType(resource.type.ofType) || resource.type.ofType.name !== 'String') return false;
  return action === undefined || (action.name === 'action' && isScalarType(action.type) && action.type.name === 'String');
}

/** Whether a code-first usage (`extensions.directives[name]`) has the arguments of ours: a string `resource`, perhaps an `action`, nothing else. */
function isScopeShapedUsage(usage: unknown): boolean {
  const usages = Array.isArray(usage) ? (usage as unknown[]) : [usage];
  return usages.some(
    (one) =>
      one != null &&
      typeof one === 'object' &&
      typeof (one as { resource?: unknown }).resource === 'string' &&
      Object.keys(one).every((key) => key === 'resource' || key === 'action'),
  );
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
