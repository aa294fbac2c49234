import { type GraphQLDirective, type GraphQLSchema, isNonNullType, isScalarType } from 'graphql';
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

/**
 * The start-up check every plugin of this package runs on the schema it
 * serves (`partialResultStatusPlugin`, `operationScopePlugin`,
 * `scopesEnforcedPlugin`, and the Envelop plugin), so that misuse is loud:
 *
 * - **A schema that uses `@scope` but was never transformed** (the
 *   transformer forgotten, or a later transform that dropped its record)
 *   serves every scoped field to anyone. Refused, naming the fields. Any
 *   directive declared as `scopeDirective` declares it
 *   (`(resource: String!, action: String)`), whatever its name, counts.
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
  for (const directive of schema.getDirectives()) {
    if (recorded.has(directive.name) || !isScopeShaped(directive)) continue;
    const coordinates = [...collectRequirements(schema, { directiveName: directive.name }).keys()].sort();
    if (coordinates.length === 0) continue;
    throw new ScopedPermissionsError(
      'ERR_UNGUARDED_FIELDS',
      `The schema uses @${directive.name} on ${coordinates.length} field(s) but was never transformed by scopeDirectiveTransformer (or a later transform dropped its record), so nothing enforces them: ${coordinates.join(', ')}. Apply the transformer, last.`,
      { details: { directiveName: directive.name, coordinates } },
    );
  }
  if (enforcements.some((enforcement) => enforcement.preset === 'strict')) assertScopesEnforced(schema);
}
