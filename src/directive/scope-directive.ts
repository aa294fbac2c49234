import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { astFromDirective } from '@graphql-tools/utils';
import { type GraphQLDirective, GraphQLSchema, print } from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { collectRequirements } from '../requirements/collect-requirements';
import { createScopeEnforcement, type RequiredScopeResolver, withScopeEnforcement } from '../requirements/scope-enforcement';
import { markGuard } from './guard-marks';
import { assertRequirementsKnown, knownScopesCatalog } from './known-scopes';
import { dynamicGuardResolver, type PrincipalGetter, principalFromContext, requirementGuard } from './guard-resolver';
import { guardSubscriptionField, type SelectionJudgeFor, unscopedSubscriptionField } from './guard-subscription';
import { dynamicSubscriptionField } from './dynamic-subscription-guard';
import { createOperationMemo, operationGuard, operationSubscriptionField } from './operation-guard';
import type { ScopeDirectiveOptions } from './scope-directive-options';
import { createScopeDirectiveDefinition } from './scope-directive-definition';
import { strictPrincipalGetter } from './strict-principal';
import { lostScopeJudge } from './subscription-selection-check';

/** What {@link scopeDirective} returns, in the graphql-tools directive-factory style. */
export interface ScopeDirective {
  /** The directive's SDL; add it to your type definitions. */
  scopeDirectiveTypeDefs: string;
  /**
   * The same definition as a `GraphQLDirective`, for code-first builders
   * that take directive objects (NestJS `buildSchemaOptions.directives`).
   */
  scopeDirectiveDefinition: GraphQLDirective;
  /** Returns a new schema whose scoped fields check the caller's scopes. */
  scopeDirectiveTransformer: (schema: GraphQLSchema) => GraphQLSchema;
}

function invalidOption(option: string, problem: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `scopeDirective: ${option} ${problem}`, { details: { option } });
}

function emitWarning(warning: ScopedPermissionsError): void {
  process.emitWarning(warning.message, { type: 'ScopedPermissionsWarning', code: warning.code });
}

/**
 * Returns the SDL of a scope directive, and a transformer that enforces it.
 *
 * ```graphql
 * directive @scope(resource: String, action: String, anyOf: [String!]) repeatable on OBJECT | INTERFACE | FIELD_DEFINITION
 * ```
 *
 * Code-first schemas can carry the same requirement in graphql-js
 * `extensions` instead: `extensions: { scope: { resource: 'posts', action: 'publish' } }`
 * on a type, an interface or a field (the key is the directive's name);
 * it reads exactly as the directive does. Both on one place is
 * `ERR_INVALID_DIRECTIVE`.
 *
 * A field's required scope is `resource.action`. The directive is
 * repeatable, and every usage is needed (AND); `anyOf` lists full scope
 * names of which any one will do (OR), so `@scope(anyOf: ["a.read",
 * "b.read"]) @scope(resource: "c")` needs (a.read or b.read) and c.read. Without `action`, Query and
 * Subscription fields need `read`, Mutation fields need `delete` when a word
 * of their name is a delete verb and `write` otherwise, and fields of other
 * types need `read`. The most specific directive wins: the field's own, then
 * an interface field's, then the type's, then an interface type's.
 * Subscriptions re-check the caller's credential before every event and
 * end when it no longer holds the scope.
 *
 * In `'field'` mode (the default) only fields with a requirement, and
 * Subscription root fields (whose events re-check the scopes of the fields
 * below them), are wrapped; in `'operation'` mode only root fields are, and the first one
 * resolved checks the whole operation (see `enforce`). A caller without a
 * principal, or an anonymous one, gets `UNAUTHENTICATED` (401); one without
 * the scope gets `FORBIDDEN` (403). Both name the scope in
 * `extensions.requiredScope`.
 *
 * The transformed schema records its requirements and mode on its
 * `extensions`, which `checkOperation` and `assertScopesEnforced` read.
 * Transform last: resolvers attached after the transform replace the guards
 * (`assertScopesEnforced` detects it).
 *
 * @param directiveName - The directive's name, without `@`. Default `'scope'`.
 * @typeParam TScope - See {@link ScopeDirectiveOptions}: `scopeDirective<Context, Scope>('scope', { requiredScope })` type-checks the hook's scopes.
 * @example
 * ```ts
 * const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective();
 * const schema = scopeDirectiveTransformer(
 *   makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs], resolvers }),
 * );
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a bad name or
 * option; from the transformer: `ERR_INVALID_SCOPE`, `ERR_INVALID_DIRECTIVE`,
 * `ERR_CONFLICTING_SCOPES`, with `knownScopes` `ERR_UNKNOWN_SCOPE`, and in
 * strict mode `ERR_UNSCOPED_FIELDS` and `ERR_NO_SCOPES`.
 */
export function scopeDirective<TContext = unknown, TScope extends string = string>(directiveName = 'scope', options: ScopeDirectiveOptions<TContext, TScope> = {}): ScopeDirective {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(directiveName)) {
    throw new ScopedPermissionsError('ERR_INVALID_OPTIONS', `Invalid directive name ${JSON.stringify(directiveName)}.`);
  }
  const mode = options.enforce ?? 'field';
  if (mode !== 'field' && mode !== 'operation') throw invalidOption('enforce', 'must be "field" or "operation".');
  for (const option of ['getPrincipal', 'requiredScope', 'onWarning'] as const) {
    if (options[option] !== undefined && typeof options[option] !== 'function') throw invalidOption(option, 'must be a function.');
  }
  const preset = options.preset ?? 'drf';
  if (preset !== 'strict' && preset !== 'drf') throw invalidOption('preset', 'must be "strict" or "drf".');
  if (preset === 'strict' && options.requireScopes === false) throw invalidOption('requireScopes', 'cannot be false with preset "strict"; list public root fields in publicFields.');
  const requireScopes = options.requireScopes ?? preset === 'strict';
  const readPrincipal = (options.getPrincipal as PrincipalGetter | undefined) ?? principalFromContext;
  // Strict: a legacy key without scopes gets nothing from this schema, whatever the verifier's unscopedKeys.
  const getPrincipal = preset === 'strict' ? strictPrincipalGetter(readPrincipal) : readPrincipal;
  const requiredScope = options.requiredScope as RequiredScopeResolver | undefined;
  const onWarning = options.onWarning ?? emitWarning;
  const publicFields = new Set(options.publicFields ?? []);
  const known = options.knownScopes === undefined ? undefined : knownScopesCatalog(options.knownScopes);

  const scopeDirectiveDefinition = createScopeDirectiveDefinition(directiveName);
  return {
    scopeDirectiveTypeDefs: print(astFromDirective(scopeDirectiveDefinition)),
    scopeDirectiveDefinition,
    scopeDirectiveTransformer(schema) {
      const requirements = collectRequirements(schema, { directiveName, deleteVerbs: options.deleteVerbs });
      if (known !== undefined) assertRequirementsKnown(requirements.values(), known);
      if (requirements.size === 0) {
        const declared = schema.getDirective(directiveName) !== undefined;
        const warning = new ScopedPermissionsError(
          'ERR_NO_SCOPES',
          `No field ends up with a requirement: @${directiveName} is ${declared ? 'declared but applied nowhere' : 'neither declared nor applied'} (nor extensions.${directiveName} given), so the transformed schema enforces nothing.`,
          { details: { directiveName } },
        );
        if (requireScopes) throw warning;
        onWarning(warning);
      }
      const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
      if (requireScopes) {
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
      const enforcement = createScopeEnforcement({ directiveName, mode, preset, requirements: requirements.values(), requiredScope, getPrincipal });
      const rootNames = new Set(roots.flatMap((root) => (root ? [root.name] : [])));
      const subscriptionName = schema.getSubscriptionType()?.name;
      const memo = createOperationMemo();
      const enforcements = [enforcement] as const;

      const mark = <T extends object>(guard: T, inner: unknown): T => markGuard(guard, { directiveName, mode, enforcement, inner });
      // Field mode: before each event of a subscription, the fields below its root are judged for the caller's current credential too.
      const selectionJudge: SelectionJudgeFor = (context, info) => lostScopeJudge(enforcements, info, context, getPrincipal(context));

      const transformed = mapSchema(schema, {
        [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
          // Subscription root fields are guarded in `subscribe` too, resolver or not, so no stream
          // starts unchecked, and they re-check the credential before every event.
          const isSubscription = typeName === subscriptionName;
          if (mode === 'operation') {
            // Every root field, scoped or not: a public root field can lead to scoped fields below it.
            if (!rootNames.has(typeName)) return fieldConfig;
            if (isSubscription) {
              const guarded = operationSubscriptionField(fieldConfig, enforcements, memo);
              return { ...fieldConfig, subscribe: mark(guarded.subscribe, fieldConfig.subscribe), resolve: mark(guarded.resolve, fieldConfig.resolve) };
            }
            return { ...fieldConfig, resolve: mark(operationGuard(fieldConfig.resolve, enforcements, memo), fieldConfig.resolve) };
          }
          const requirement = requirements.get(`${typeName}.${fieldName}`);
          if (isSubscription) {
            // Scoped or not: a public root field can lead to scoped fields, whose scopes the caller can lose.
            const guarded =
              requirement === undefined
                ? unscopedSubscriptionField(fieldConfig, getPrincipal, selectionJudge)
                : requiredScope === undefined
                  ? guardSubscriptionField(fieldConfig, requirement, getPrincipal, selectionJudge)
                  : dynamicSubscriptionField(fieldConfig, requirement, requiredScope, getPrincipal, selectionJudge);
            return { ...fieldConfig, subscribe: mark(guarded.subscribe, fieldConfig.subscribe), resolve: mark(guarded.resolve, fieldConfig.resolve) };
          }
          if (!requirement) return fieldConfig;
          const resolve =
            requiredScope === undefined
              ? requirementGuard(fieldConfig.resolve, requirement, getPrincipal)
              : dynamicGuardResolver(fieldConfig.resolve, requirement, requiredScope, getPrincipal);
          return { ...fieldConfig, resolve: mark(resolve, fieldConfig.resolve) };
        },
      });
      return new GraphQLSchema({ ...transformed.toConfig(), extensions: withScopeEnforcement(transformed.extensions, enforcement) });
    },
  };
}
