import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { collectRequirements } from '../requirements/collect-requirements';
import { guardResolver, type PrincipalGetter, principalFromContext } from './guard-resolver';
import { guardSubscriptionField } from './guard-subscription';
import type { ScopeDirectiveOptions } from './scope-directive-options';

/** What {@link scopeDirective} returns, in the graphql-tools directive-factory style. */
export interface ScopeDirective {
  /** The directive's SDL; add it to your type definitions. */
  scopeDirectiveTypeDefs: string;
  /** Returns a new schema whose scoped fields check the caller's scopes. */
  scopeDirectiveTransformer: (schema: GraphQLSchema) => GraphQLSchema;
}

/**
 * Returns the SDL of a scope directive, and a transformer that enforces it.
 *
 * ```graphql
 * directive @scope(resource: String!, action: String) on OBJECT | INTERFACE | FIELD_DEFINITION
 * ```
 *
 * A field's required scope is `resource.action`. Without `action`, Query and
 * Subscription fields need `read`, Mutation fields need `delete` when a word
 * of their name is a delete verb and `write` otherwise, and fields of other
 * types need `read`. The most specific directive wins: the field's own, then
 * an interface field's, then the type's, then an interface type's.
 * Subscriptions re-check the caller's credential before every event and
 * end when it no longer holds the scope.
 *
 * Only fields with a requirement are wrapped. A caller without a principal,
 * or an anonymous one, gets `UNAUTHENTICATED` (401); one without the scope
 * gets `FORBIDDEN` (403). Both name the scope in `extensions.requiredScope`.
 *
 * @param directiveName - The directive's name, without `@`. Default `'scope'`.
 * @example
 * ```ts
 * const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
 * const schema = scopeDirectiveTransformer(
 *   makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers }),
 * );
 * ```
 * @throws {@link ScopedPermissionsError} from the transformer: `ERR_INVALID_SCOPE`,
 * `ERR_INVALID_DIRECTIVE`, `ERR_CONFLICTING_SCOPES`, and `ERR_UNSCOPED_FIELDS` in strict mode.
 */
export function scopeDirective<TContext = unknown>(directiveName = 'scope', options: ScopeDirectiveOptions<TContext> = {}): ScopeDirective {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(directiveName)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `Invalid directive name ${JSON.stringify(directiveName)}.`);
  }
  const getPrincipal = (options.getPrincipal as PrincipalGetter | undefined) ?? principalFromContext;
  const publicFields = new Set(options.publicFields ?? []);

  return {
    scopeDirectiveTypeDefs: `directive @${directiveName}(resource: String!, action: String) on OBJECT | INTERFACE | FIELD_DEFINITION`,
    scopeDirectiveTransformer(schema) {
      const requirements = collectRequirements(schema, { directiveName, deleteVerbs: options.deleteVerbs });
      if (options.requireScopes === true) {
        const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
        const unscoped = roots.flatMap((root) =>
          root ? Object.keys(root.getFields()).map((field) => `${root.name}.${field}`) : [],
        ).filter((coordinate) => !requirements.has(coordinate) && !publicFields.has(coordinate));
        if (unscoped.length > 0) {
          throw new ScopedPermissionsError(
            'ERR_UNSCOPED_FIELDS',
            `requireScopes: ${unscoped.length} root field(s) have no @${directiveName}: ${unscoped.join(', ')}.`,
            { details: { coordinates: unscoped } },
          );
        }
      }
      return mapSchema(schema, {
        [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
          const requirement = requirements.get(`${typeName}.${fieldName}`);
          if (!requirement) return fieldConfig;
          // Subscriptions also re-check the credential before every event, and end when it fails.
          if (fieldConfig.subscribe) return { ...fieldConfig, ...guardSubscriptionField(fieldConfig, requirement.scope, getPrincipal) };
          return { ...fieldConfig, resolve: guardResolver(fieldConfig.resolve, requirement.scope, getPrincipal) };
        },
      });
    },
  };
}
