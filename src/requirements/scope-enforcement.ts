import type { GraphQLSchema } from 'graphql';
import type { Principal } from '../principal/principal';
import type { FieldRequirement } from './field-requirement';

/**
 * How a scope directive enforces its requirements.
 *
 * - `'field'`: every scoped field is wrapped and checked as it resolves;
 *   a denied field is `null` with its error, the rest of the result stands.
 * - `'operation'`: every root field is wrapped; the first one resolved checks
 *   the whole operation, and any denial refuses the operation before any
 *   resolver runs.
 */
export type EnforcementMode = 'field' | 'operation';

/**
 * A set of defaults for a scope directive (its `preset` option).
 *
 * - `'strict'`: what a new project wants. Root fields without a
 *   requirement refuse to build (`requireScopes: true`, with `publicFields`
 *   for those public on purpose); legacy API keys without scopes get
 *   nothing from this schema, whatever the verifier's `unscopedKeys`; and
 *   every plugin of this package that sees the schema refuses to start
 *   when a scoped field lost its guard (`assertScopesEnforced`).
 * - `'drf'`: drf-scoped-permissions' permissive behaviour. Root fields
 *   without a requirement are public, a key without scopes has full access
 *   (unless the verifier's `unscopedKeys: 'deny'`), and only
 *   `scopesEnforcedPlugin`/`operationScopePlugin` check the guards at start.
 */
export type ScopePreset = 'strict' | 'drf';

/** What a {@link RequiredScopeResolver} is given. */
export interface RequiredScopeInput<TContext = unknown, TScope extends string = string> {
  /** The schema coordinate of the field, on the concrete type (`Query.orgPosts`). */
  readonly coordinate: string;
  /**
   * The scope the directive gives the field (`posts.read`). The hook is
   * asked only for single-scope requirements: an expression (`anyOf`, or
   * the directive repeated) is static.
   */
  readonly scope: TScope;
  /** The field's coerced arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The GraphQL context (in `checkOperation`, its `contextValue` option). */
  readonly context: TContext;
}

/**
 * Replaces a scoped field's requirement from its arguments, the counterpart
 * of drf-scoped-permissions' overridable `get_required_scope`. Returns a
 * scope (`resource.action`), or `null`/`undefined` to keep the directive's.
 * It can never waive a requirement.
 */
export type RequiredScopeResolver<TContext = unknown> = (input: RequiredScopeInput<TContext>) => string | null | undefined;

/**
 * What one scope directive recorded on the schema it transformed: the shared
 * core that the field guards, the operation check and `assertScopesEnforced`
 * read. Frozen.
 */
export interface ScopeEnforcement {
  /** The directive's name, without `@`. */
  readonly directiveName: string;
  /** How the transformer enforced the requirements. */
  readonly mode: EnforcementMode;
  /** The directive's preset: `'strict'` makes every plugin of this package assert the guards at start. */
  readonly preset: ScopePreset;
  /** Every requirement, object and interface fields alike, sorted by coordinate. Frozen. */
  readonly requirements: readonly FieldRequirement[];
  /** The requirement of `typeName.fieldName`, if it has one. */
  requirementOf(typeName: string, fieldName: string): FieldRequirement | undefined;
  /** The dynamic requirement, if the directive was given one. */
  readonly requiredScope: RequiredScopeResolver | undefined;
  /** How the directive reads the caller from the GraphQL context. */
  readonly getPrincipal: (context: unknown) => Principal | null | undefined;
}

/** The key of the transformed schema's `extensions` that holds the {@link ScopeEnforcement}s, by directive name. */
export const SCOPE_ENFORCEMENT_EXTENSION = 'scopedPermissions';

/** Builds the frozen {@link ScopeEnforcement} of one transform. */
export function createScopeEnforcement(input: {
  directiveName: string;
  mode: EnforcementMode;
  preset?: ScopePreset;
  requirements: Iterable<FieldRequirement>;
  requiredScope: RequiredScopeResolver | undefined;
  getPrincipal: (context: unknown) => Principal | null | undefined;
}): ScopeEnforcement {
  const requirements = [...input.requirements]
    .map((requirement) => Object.freeze({ ...requirement }))
    .sort((a, b) => (a.coordinate < b.coordinate ? -1 : a.coordinate > b.coordinate ? 1 : 0));
  const byType = new Map<string, Map<string, FieldRequirement>>();
  for (const requirement of requirements) {
    const dot = requirement.coordinate.indexOf('.');
    const typeName = requirement.coordinate.slice(0, dot);
    let fields = byType.get(typeName);
    if (!fields) {
      fields = new Map();
      byType.set(typeName, fields);
    }
    fields.set(requirement.coordinate.slice(dot + 1), requirement);
  }
  return Object.freeze({
    directiveName: input.directiveName,
    mode: input.mode,
    preset: input.preset ?? 'drf',
    requirements: Object.freeze(requirements),
    requirementOf: (typeName: string, fieldName: string) => byType.get(typeName)?.get(fieldName),
    requiredScope: input.requiredScope,
    getPrincipal: input.getPrincipal,
  });
}

function isEnforcement(value: unknown): value is ScopeEnforcement {
  return (
    value != null &&
    typeof value === 'object' &&
    typeof (value as ScopeEnforcement).directiveName === 'string' &&
    ((value as ScopeEnforcement).mode === 'field' || (value as ScopeEnforcement).mode === 'operation') &&
    Array.isArray((value as ScopeEnforcement).requirements) &&
    typeof (value as ScopeEnforcement).requirementOf === 'function' &&
    typeof (value as ScopeEnforcement).getPrincipal === 'function'
  );
}

/**
 * The {@link ScopeEnforcement}s a schema carries, one per directive that
 * transformed it, in directive-name order. Empty for a schema that was never
 * transformed, or whose `extensions` a later transform dropped.
 */
export function readScopeEnforcements(schema: GraphQLSchema): readonly ScopeEnforcement[] {
  const recorded = schema.extensions[SCOPE_ENFORCEMENT_EXTENSION];
  if (recorded == null || typeof recorded !== 'object') return [];
  // The record is frozen and carried over by later transforms, so one array serves every copy of the schema.
  let enforcements = readRecords.get(recorded);
  if (enforcements === undefined) {
    enforcements = Object.freeze(
      Object.keys(recorded)
        .sort()
        .map((name) => (recorded as Record<string, unknown>)[name])
        .filter(isEnforcement),
    );
    if (Object.isFrozen(recorded)) readRecords.set(recorded, enforcements);
  }
  return enforcements;
}

const readRecords = new WeakMap<object, readonly ScopeEnforcement[]>();

/**
 * The schema `extensions` with `enforcement` recorded next to what other
 * directives recorded (one entry per directive name; a second transform by
 * the same name replaces the first one's entry).
 */
export function withScopeEnforcement(
  extensions: GraphQLSchema['extensions'],
  enforcement: ScopeEnforcement,
): GraphQLSchema['extensions'] {
  const recorded = extensions[SCOPE_ENFORCEMENT_EXTENSION];
  const previous = recorded != null && typeof recorded === 'object' ? (recorded as Record<string, unknown>) : {};
  return { ...extensions, [SCOPE_ENFORCEMENT_EXTENSION]: Object.freeze({ ...previous, [enforcement.directiveName]: enforcement }) };
}
