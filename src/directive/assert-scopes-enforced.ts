import { type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema, isObjectType } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { collectRequirements } from '../requirements/collect-requirements';
import { readScopeEnforcements, type ScopeEnforcement } from '../requirements/scope-enforcement';
import { isApolloInstrumented, unwrapApolloResolver } from './apollo-wrapper';
import { guardDirectiveNames, isGuardOf } from './guard-marks';

function objectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return (Object.values(schema.getTypeMap()) as GraphQLNamedType[]).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
  );
}

/** The coordinates of `enforcement` whose guards are gone. */
function unguardedOf(schema: GraphQLSchema, enforcement: ScopeEnforcement): string[] {
  const { directiveName, mode } = enforcement;
  const subscription = schema.getSubscriptionType();
  const instrumented = isApolloInstrumented(schema);
  const unguarded: string[] = [];
  const check = (type: GraphQLObjectType, fieldName: string): void => {
    const field = type.getFields()[fieldName];
    if (field === undefined) return; // removed by a later transform: nothing to guard
    // The guards of this very enforcement: those of another transform (merged in) enforce other requirements.
    // Apollo Server wraps `resolve` in place (not `subscribe`): its wrapper around a guard counts as the guard.
    const guarded = isGuardOf(unwrapApolloResolver(field.resolve, instrumented), enforcement) && (type !== subscription || isGuardOf(field.subscribe, enforcement));
    if (!guarded) unguarded.push(`${type.name}.${fieldName}`);
  };
  if (mode === 'operation') {
    // Only root fields carry guards; every one of them must.
    for (const root of [schema.getQueryType(), schema.getMutationType(), subscription]) {
      if (root) for (const fieldName of Object.keys(root.getFields())) check(root, fieldName);
    }
  } else {
    // Every Subscription root field, scoped or not: its `subscribe` re-checks the fields below it before each event.
    if (subscription) for (const fieldName of Object.keys(subscription.getFields())) check(subscription, fieldName);
    for (const { coordinate } of enforcement.requirements) {
      const [typeName = '', fieldName = ''] = coordinate.split('.');
      const type = schema.getType(typeName);
      if (type !== undefined && isObjectType(type)) check(type, fieldName);
    }
  }
  // Scoped fields the transformer never saw (merged or stitched in later) are enforced by nobody.
  const known = new Set(enforcement.requirements.map((requirement) => requirement.coordinate));
  for (const coordinate of collectRequirements(schema, { directiveName }).keys()) {
    const type = schema.getType(coordinate.slice(0, coordinate.indexOf('.')));
    if (!known.has(coordinate) && type !== undefined && isObjectType(type)) unguarded.push(coordinate);
  }
  return unguarded;
}

/** Options of {@link assertScopesEnforced}. */
export interface AssertScopesEnforcedOptions {
  /**
   * A directive whose requirements must be recorded on the schema even when
   * nothing else shows that it was transformed. Default `'scope'`.
   */
  directiveName?: string;
}

/**
 * Throws unless every requirement of a transformed schema is still enforced:
 * the check to run at start-up, after every other schema transform.
 *
 * Resolvers attached after the transformer replace its guards without a
 * trace (`addResolversToSchema` on the transformed schema, `mergeSchemas`
 * with `resolvers`, or a resolver-less schema transformed before its
 * resolvers were added). This finds them: in `'field'` mode every field with
 * a requirement, and every Subscription root field, must still resolve (and,
 * on Subscription, subscribe) through its guard; in `'operation'` mode, where only root fields carry guards,
 * every root field must. The requirements and the mode are read from the
 * schema's `extensions`, so a transform that drops them is detected as
 * well, and so are scoped fields added after the transform.
 *
 * A guard wrapped by another function (graphql-middleware, say) is not
 * recognised: the guard must be outermost, so transform last. The one
 * exception is Apollo Server's own wrapper, which it puts around every
 * resolver of a schema it serves (for `willResolveField`), so that a second
 * server on the same schema starts: it is recognised by probing it with a
 * context that only this package holds, which the guard inside answers. Nor is a
 * guard of another transform (schemas transformed apart, then merged): only
 * the guards of the recorded requirements count.
 *
 * @example
 * ```ts
 * const schema = scopeDirectiveTransformer(makeExecutableSchema({ typeDefs, resolvers }));
 * assertScopesEnforced(schema); // at start-up
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_UNGUARDED_FIELDS`, with every
 *   unguarded coordinate in `details.coordinates` (sorted); the same code
 *   when the schema carries no requirements at all.
 */
export function assertScopesEnforced(schema: GraphQLSchema, options: AssertScopesEnforcedOptions = {}): void {
  const enforcements = readScopeEnforcements(schema);
  const recorded = new Set(enforcements.map((enforcement) => enforcement.directiveName));
  const unguarded = new Set<string>(enforcements.flatMap((enforcement) => unguardedOf(schema, enforcement)));

  // Guards, or uses of the directive, whose record a later transform dropped.
  const lost = new Set<string>();
  const instrumented = isApolloInstrumented(schema);
  for (const type of objectTypes(schema)) {
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      for (const name of [...guardDirectiveNames(unwrapApolloResolver(field.resolve, instrumented)), ...guardDirectiveNames(field.subscribe)]) {
        if (!recorded.has(name)) {
          lost.add(name);
          unguarded.add(`${type.name}.${fieldName}`);
        }
      }
    }
  }
  const directiveName = options.directiveName ?? 'scope';
  if (!recorded.has(directiveName)) {
    for (const coordinate of collectRequirements(schema, { directiveName }).keys()) unguarded.add(coordinate);
  }
  if (enforcements.length === 0 || lost.size > 0) {
    throw new ScopedPermissionsError(
      'ERR_UNGUARDED_FIELDS',
      'The schema carries no record of its scope requirements: it was not transformed by scopeDirectiveTransformer, or a later transform dropped its extensions. Transform last.',
      { details: { coordinates: [...unguarded].sort() } },
    );
  }
  if (unguarded.size > 0) {
    const coordinates = [...unguarded].sort();
    throw new ScopedPermissionsError(
      'ERR_UNGUARDED_FIELDS',
      `${coordinates.length} field(s) have a requirement but no guard: ${coordinates.join(', ')}. Resolvers attached after the transform replace its guards; transform last.`,
      { details: { coordinates } },
    );
  }
}
