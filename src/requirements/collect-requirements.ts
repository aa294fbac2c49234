import { getDirective } from '@graphql-tools/utils';
import {
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { isScopeName, parseScope, SCOPE_NAME_PATTERN } from '../scopes/scope-grammar';
import type { ActionSource, FieldRequirement, NamedScope } from './field-requirement';
import { clauseKey, MAX_EXPRESSION_ALTERNATIVES, normalizeClauses, requiresScopesOf, type ScopeClauses } from './scope-expression';
import { DEFAULT_DELETE_VERBS, deleteVerbWords, isDeleteName } from './default-action';
import { assertDirectivePlacement } from './directive-placement';
import { scopeExtensionArguments } from './scope-extension';

/** One directive usage, before the default action is applied. */
type ScopeUsage = { readonly resource: string; readonly action: string | undefined; readonly anyOf?: undefined } | { readonly anyOf: readonly string[] };

/** The usages that apply at one place (one or more: the directive is repeatable). */
interface ScopeArgs {
  readonly usages: readonly ScopeUsage[];
}

/** Options of {@link collectRequirements}. */
export interface CollectRequirementsOptions {
  /** The directive's name, without `@`. Default `'scope'`. */
  directiveName?: string;
  /** See `ScopeDirectiveOptions.deleteVerbs`. */
  deleteVerbs?: readonly string[];
}

type Composite = GraphQLObjectType | GraphQLInterfaceType;

const KNOWN_ARGUMENTS = new Set(['resource', 'action', 'anyOf']);

function invalidDirective(coordinate: string, source: string, problem: string, details: Readonly<Record<string, unknown>> = {}): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_DIRECTIVE', `${source} on ${coordinate}: ${problem}`, {
    details: { coordinate, ...details },
  });
}

/** Reads one usage of the directive, or the extension; `source` names it in messages (`@scope`, `extensions.scope`). */
function readUsage(usage: Record<string, unknown>, coordinate: string, source: string): ScopeUsage {
  const unknown = Object.keys(usage).filter((name) => !KNOWN_ARGUMENTS.has(name));
  if (unknown.length > 0) throw invalidDirective(coordinate, source, `unknown argument(s) ${unknown.join(', ')}.`);
  const { resource, action, anyOf } = usage;
  if (anyOf != null) {
    if (resource != null || action != null) throw invalidDirective(coordinate, source, '`anyOf` and `resource`/`action` are mutually exclusive; repeat the directive to require both.');
    if (!Array.isArray(anyOf) || anyOf.some((scope) => typeof scope !== 'string')) throw invalidDirective(coordinate, source, '`anyOf` must be a list of scopes.');
    if (anyOf.length === 0) throw invalidDirective(coordinate, source, '`anyOf` is empty, so nothing could meet it; list at least one scope.');
    for (const scope of anyOf as string[]) {
      try {
        parseScope(scope);
      } catch (error) {
        throw new ScopedPermissionsError('ERR_INVALID_SCOPE', `${source} on ${coordinate}: invalid scope ${JSON.stringify(scope.slice(0, 128))} in anyOf; entries are full scope names, resource.action, never wildcards.`, {
          details: { coordinate, scope: scope.slice(0, 128) },
          cause: error,
        });
      }
    }
    return { anyOf: anyOf as string[] };
  }
  if (typeof resource !== 'string') throw invalidDirective(coordinate, source, '`resource` (or `anyOf`) must be given, as a string.');
  if (action != null && typeof action !== 'string') throw invalidDirective(coordinate, source, '`action` must be a string.');
  return { resource, action: action ?? undefined };
}

/**
 * The requirement written on `node`: its directive usages (in the AST or
 * `extensions.directives`; repeatable, every one needed) or
 * `extensions[directiveName]`, checked the same way whichever carries it.
 * Both on one place is an error, never a silent choice.
 */
function readArgs(schema: GraphQLSchema, node: Composite | GraphQLField<unknown, unknown>, coordinate: string, directiveName: string): ScopeArgs | undefined {
  const found = getDirective(schema, node, directiveName) ?? [];
  const extension = scopeExtensionArguments(node, directiveName, coordinate);
  if (found.length > 0 && extension !== undefined) {
    throw invalidDirective(coordinate, `@${directiveName}`, `both the directive and extensions.${directiveName} give a requirement; keep one of them.`, {
      sources: ['directive', 'extension'],
    });
  }
  const source = extension === undefined ? `@${directiveName}` : `extensions.${directiveName}`;
  const written = extension === undefined ? (found as Record<string, unknown>[]) : [extension];
  if (written.length === 0) return undefined;
  return { usages: written.map((usage) => readUsage(usage, coordinate, source)) };
}

/**
 * What `args` require of a field whose default action is `defaultAction`, as
 * a key: the normalised clauses, so that two ways of writing one requirement
 * (`anyOf: ["a.read"]` and `resource: "a"`, a repeated usage) agree.
 */
function requirementKey(args: ScopeArgs, defaultAction: string): string {
  return normalizeClauses(args.usages.map((usage) => (usage.anyOf !== undefined ? usage.anyOf : [`${usage.resource}.${usage.action ?? defaultAction}`])))
    .map(clauseKey)
    .join(' ');
}

/** Every interface `type` implements, directly or through another interface, each once, in declaration order. */
function interfacesOf(type: Composite): GraphQLInterfaceType[] {
  const found: GraphQLInterfaceType[] = [];
  const visit = (current: Composite): void => {
    for (const parent of current.getInterfaces()) {
      if (found.includes(parent)) continue;
      found.push(parent);
      visit(parent);
    }
  };
  visit(type);
  return found;
}

/**
 * Walks every object and interface field of `schema` and returns what
 * each one requires, keyed by schema coordinate (`Type.field`). Fields
 * without a requirement are absent.
 *
 * A requirement is an `@directiveName` directive (in the AST, or
 * code-first in `extensions.directives`) or, code-first,
 * `extensions[directiveName]` (`{ resource, action? }`, see
 * `ScopeExtension`); both read the same way. The directive is repeatable:
 * every usage at one place is needed (AND), and a usage with `anyOf` is met
 * by any one of its scopes (OR).
 * The most specific place wins, with all its usages. For a field `T.f`:
 *
 * 1. the directive on `T.f` itself;
 * 2. else the directive on `f` in an interface `T` implements;
 * 3. else the directive on `T`;
 * 4. else the directive on an interface `T` implements that has `f`.
 *
 * Two interfaces that give `f` different directives at the level that
 * decides are an error. Without an explicit `action`, root Query and
 * Subscription fields and fields of other types need `read`; Mutation
 * fields need `delete` when a word of their name is a delete verb
 * (`deletePost`, `postDelete`, `bulk_delete_posts`), else `write`.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` for a bad resource
 * or action name or a wildcard, `ERR_INVALID_DIRECTIVE` for a malformed
 * directive or extension (an empty `anyOf`, `anyOf` with `resource`), one
 * declared or used where it enforces nothing, or a directive and an
 * extension on the same place, and `ERR_CONFLICTING_SCOPES`
 * when two interfaces give one field different scopes.
 */
export function collectRequirements(schema: GraphQLSchema, options: CollectRequirementsOptions = {}): Map<string, FieldRequirement> {
  const directiveName = options.directiveName ?? 'scope';
  const deleteVerbs = deleteVerbWords(options.deleteVerbs ?? DEFAULT_DELETE_VERBS);
  assertDirectivePlacement(schema, directiveName);

  const mutationType = schema.getMutationType();
  const typeArgs = new Map<Composite, ScopeArgs | undefined>();
  const argsOfType = (type: Composite): ScopeArgs | undefined => {
    if (!typeArgs.has(type)) typeArgs.set(type, readArgs(schema, type, type.name, directiveName));
    return typeArgs.get(type);
  };
  const fieldArgs = new Map<string, ScopeArgs | undefined>();
  const argsOfOwnField = (type: Composite, fieldName: string): ScopeArgs | undefined => {
    const coordinate = `${type.name}.${fieldName}`;
    const field = type.getFields()[fieldName];
    if (!fieldArgs.has(coordinate)) fieldArgs.set(coordinate, field ? readArgs(schema, field, coordinate, directiveName) : undefined);
    return fieldArgs.get(coordinate);
  };

  /** Where a field's action comes from without an explicit one. */
  const defaultSourceOf = (type: Composite, fieldName: string): ActionSource =>
    type !== mutationType ? 'default-read' : isDeleteName(fieldName, deleteVerbs) ? 'delete-verb' : 'default-write';

  /** The one requirement the interfaces agree on at one level, or undefined; different ones are a conflict. */
  const agreed = (type: Composite, fieldName: string, parents: readonly GraphQLInterfaceType[], read: (parent: GraphQLInterfaceType) => ScopeArgs | undefined): ScopeArgs | undefined => {
    const defaultAction = DEFAULT_ACTIONS[defaultSourceOf(type, fieldName)];
    let inherited: { args: ScopeArgs; key: string; from: string } | undefined;
    for (const parent of parents) {
      const args = read(parent);
      if (!args) continue;
      const key = requirementKey(args, defaultAction);
      if (inherited && inherited.key !== key) {
        const coordinate = `${type.name}.${fieldName}`;
        throw new ScopedPermissionsError(
          'ERR_CONFLICTING_SCOPES',
          `${coordinate} inherits different scopes from ${inherited.from} and ${parent.name}; put @${directiveName} on ${coordinate} itself.`,
          { details: { coordinate, interfaces: [inherited.from, parent.name] } },
        );
      }
      inherited ??= { args, key, from: parent.name };
    }
    return inherited?.args;
  };

  /** The directive that applies to `type.fieldName` before defaults, or undefined. */
  const argsOfField = (type: Composite, fieldName: string): ScopeArgs | undefined => {
    const own = argsOfOwnField(type, fieldName);
    if (own) return own;
    const parents = interfacesOf(type).filter((parent) => parent.getFields()[fieldName] !== undefined);
    return (
      agreed(type, fieldName, parents, (parent) => argsOfOwnField(parent, fieldName)) ??
      argsOfType(type) ??
      agreed(type, fieldName, parents, argsOfType)
    );
  };

  const requirements = new Map<string, FieldRequirement>();
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const fieldName of Object.keys(type.getFields())) {
      const args = argsOfField(type, fieldName);
      if (!args) continue;
      const coordinate = `${type.name}.${fieldName}`;
      requirements.set(coordinate, requirementOf(coordinate, args.usages, defaultSourceOf(type, fieldName), directiveName));
    }
  }
  return requirements;
}

const DEFAULT_ACTIONS: Readonly<Record<ActionSource, string>> = { explicit: '', 'default-read': 'read', 'default-write': 'write', 'delete-verb': 'delete' };

/**
 * The requirement that the usages at the deciding level give a field: each
 * usage is one clause (AND), an `anyOf` usage a clause of several scopes (OR).
 */
function requirementOf(coordinate: string, usages: readonly ScopeUsage[], defaultSource: ActionSource, directiveName: string): FieldRequirement {
  const named = new Map<string, NamedScope>();
  const clauses = usages.map((usage): string[] => {
    if (usage.anyOf !== undefined) {
      for (const scope of usage.anyOf) {
        if (!named.has(scope)) named.set(scope, { scope, ...parseScope(scope), actionSource: 'explicit' });
      }
      return [...usage.anyOf];
    }
    const actionSource: ActionSource = usage.action !== undefined ? 'explicit' : defaultSource;
    const action = usage.action ?? DEFAULT_ACTIONS[actionSource];
    for (const [part, value] of [['resource', usage.resource], ['action', action]] as const) {
      if (!isScopeName(value)) {
        throw new ScopedPermissionsError(
          'ERR_INVALID_SCOPE',
          `@${directiveName} on ${coordinate}: invalid ${part} ${JSON.stringify(value.slice(0, 128))}; names match ${SCOPE_NAME_PATTERN} (wildcards are never requirements).`,
          { details: { coordinate, [part]: value.slice(0, 128) } },
        );
      }
    }
    const scope = `${usage.resource}.${action}`;
    if (!named.has(scope) || actionSource === 'explicit') named.set(scope, { scope, resource: usage.resource, action, actionSource });
    return [scope];
  });
  const allOf = normalizeClauses(clauses);
  // Expanded once here, at transform time, so that a requirement too large for @requiresScopes is refused before anything prints it.
  try {
    requiresScopesOf(allOf, coordinate);
  } catch {
    throw invalidDirective(coordinate, `@${directiveName}`, `the requirement expands to more than ${MAX_EXPRESSION_ALTERNATIVES} alternatives (as @requiresScopes writes it, an OR of ANDs); simplify it.`);
  }
  const scopes = [...named.values()].filter((entry) => allOf.some((clause) => clause.includes(entry.scope))).sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  const only = allOf.length === 1 && allOf[0]?.length === 1 ? allOf[0][0] : undefined;
  return Object.freeze({ coordinate, allOf, scope: only, scopes: Object.freeze(scopes.map((entry) => Object.freeze(entry))) });
}

/**
 * The requirement of an expression given as clauses (an AND of ORs), built
 * exactly as the directive builds `@scope(anyOf: …)` usages: each clause one
 * usage, every scope explicit, then normalised and checked the same way.
 * For readers of other directives (a supergraph's `@requiresScopes`), so
 * that their requirements take the directive's shape (`allOf`, `scope`,
 * `scopes`).
 *
 * @param source - The directive's name, without `@`, for messages.
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_SCOPE` for a scope
 *   that is not `resource.action`; `ERR_INVALID_DIRECTIVE` for a requirement
 *   that expands beyond `MAX_EXPRESSION_ALTERNATIVES`.
 */
export function requirementOfClauses(coordinate: string, clauses: ScopeClauses, source: string): FieldRequirement {
  return requirementOf(coordinate, clauses.map((clause) => ({ anyOf: clause })), 'default-read', source);
}
