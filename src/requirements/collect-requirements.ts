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
import { isScopeName, SCOPE_NAME_PATTERN } from '../scopes/scope-grammar';
import type { ActionSource, FieldRequirement } from './field-requirement';
import { DEFAULT_DELETE_VERBS, deleteVerbWords, isDeleteName } from './default-action';
import { assertDirectivePlacement } from './directive-placement';
import { scopeExtensionArguments } from './scope-extension';

/** A directive usage, before the default action is applied. */
interface ScopeArgs {
  readonly resource: string;
  readonly action: string | undefined;
  /** Where it was written, for messages: `@scope` or `extensions.scope`. */
  readonly source: string;
}

/** Options of {@link collectRequirements}. */
export interface CollectRequirementsOptions {
  /** The directive's name, without `@`. Default `'scope'`. */
  directiveName?: string;
  /** See `ScopeDirectiveOptions.deleteVerbs`. */
  deleteVerbs?: readonly string[];
}

type Composite = GraphQLObjectType | GraphQLInterfaceType;

const KNOWN_ARGUMENTS = new Set(['resource', 'action']);

function invalidDirective(coordinate: string, source: string, problem: string, details: Readonly<Record<string, unknown>> = {}): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_DIRECTIVE', `${source} on ${coordinate}: ${problem}`, {
    details: { coordinate, ...details },
  });
}

/**
 * The requirement written on `node`, from its directive (in the AST or
 * `extensions.directives`) or from `extensions[directiveName]`, checked the
 * same way whichever carries it. Both on one place is an error, never a
 * silent choice.
 */
function readArgs(schema: GraphQLSchema, node: Composite | GraphQLField<unknown, unknown>, coordinate: string, directiveName: string): ScopeArgs | undefined {
  const usages = getDirective(schema, node, directiveName) ?? [];
  if (usages.length > 1) throw invalidDirective(coordinate, `@${directiveName}`, 'the directive is applied more than once.');
  const extension = scopeExtensionArguments(node, directiveName, coordinate);
  if (usages.length === 1 && extension !== undefined) {
    throw invalidDirective(coordinate, `@${directiveName}`, `both the directive and extensions.${directiveName} give a requirement; keep one of them.`, {
      sources: ['directive', 'extension'],
    });
  }
  const source = extension === undefined ? `@${directiveName}` : `extensions.${directiveName}`;
  const usage = (usages[0] as Record<string, unknown> | undefined) ?? extension;
  if (usage === undefined) return undefined;
  const unknown = Object.keys(usage).filter((name) => !KNOWN_ARGUMENTS.has(name));
  if (unknown.length > 0) throw invalidDirective(coordinate, source, `unknown argument(s) ${unknown.join(', ')}.`);
  const { resource, action } = usage;
  if (typeof resource !== 'string') throw invalidDirective(coordinate, source, '`resource` must be a string.');
  if (action != null && typeof action !== 'string') throw invalidDirective(coordinate, source, '`action` must be a string.');
  return { resource, action: action ?? undefined, source };
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
 * Walks every object and interface field of `schema` and returns the scope
 * each one requires, keyed by schema coordinate (`Type.field`). Fields
 * without a requirement are absent.
 *
 * A requirement is an `@directiveName` directive (in the AST, or
 * code-first in `extensions.directives`) or, code-first,
 * `extensions[directiveName]` (`{ resource, action? }`, see
 * `ScopeExtension`); both read the same way. The most specific one wins.
 * For a field `T.f`:
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
 * or action name, `ERR_INVALID_DIRECTIVE` for a malformed directive or
 * extension, one declared or used where it enforces nothing, or a directive
 * and an extension on the same place, and `ERR_CONFLICTING_SCOPES`
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

  /** The one directive the interfaces agree on at one level, or undefined; different ones are a conflict. */
  const agreed = (type: Composite, fieldName: string, parents: readonly GraphQLInterfaceType[], read: (parent: GraphQLInterfaceType) => ScopeArgs | undefined): ScopeArgs | undefined => {
    let inherited: { args: ScopeArgs; from: string } | undefined;
    for (const parent of parents) {
      const args = read(parent);
      if (!args) continue;
      if (inherited && (inherited.args.resource !== args.resource || inherited.args.action !== args.action)) {
        const coordinate = `${type.name}.${fieldName}`;
        throw new ScopedPermissionsError(
          'ERR_CONFLICTING_SCOPES',
          `${coordinate} inherits different scopes from ${inherited.from} and ${parent.name}; put @${directiveName} on ${coordinate} itself.`,
          { details: { coordinate, interfaces: [inherited.from, parent.name] } },
        );
      }
      inherited = { args, from: parent.name };
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
      const actionSource: ActionSource =
        args.action !== undefined ? 'explicit' : type !== mutationType ? 'default-read' : isDeleteName(fieldName, deleteVerbs) ? 'delete-verb' : 'default-write';
      const action = args.action ?? (actionSource === 'delete-verb' ? 'delete' : actionSource === 'default-write' ? 'write' : 'read');
      for (const [part, value] of [['resource', args.resource], ['action', action]] as const) {
        if (!isScopeName(value)) {
          throw new ScopedPermissionsError(
            'ERR_INVALID_SCOPE',
            `${args.source} on ${coordinate}: invalid ${part} ${JSON.stringify(value)}; names match ${SCOPE_NAME_PATTERN}.`,
            { details: { coordinate, [part]: value } },
          );
        }
      }
      requirements.set(coordinate, { coordinate, resource: args.resource, action, scope: `${args.resource}.${action}`, actionSource });
    }
  }
  return requirements;
}
