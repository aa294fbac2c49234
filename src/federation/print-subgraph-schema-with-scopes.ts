import {
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  Kind,
  print,
  type SchemaDefinitionNode,
  type SchemaExtensionNode,
} from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';
import { collectRequirements } from '../requirements/collect-requirements';
import type { FieldRequirement } from '../requirements/field-requirement';
import { readScopeEnforcements } from '../requirements/scope-enforcement';
import { type FederationLink, linkRequiresScopes, schemaDefinitionOf } from './federation-link';
import { requiresScopesOf } from './requires-scopes';

/** Options of {@link printSubgraphSchemaWithScopes}. */
export interface PrintSubgraphSchemaOptions {
  /** The scope directive's name, without `@`. Default `'scope'`. */
  readonly directiveName?: string;
  /** For a schema that was not transformed: see `ScopeDirectiveOptions.deleteVerbs`. Default `['delete', 'remove', 'destroy']`. */
  readonly deleteVerbs?: readonly string[];
  /**
   * The coordinates (`Query.orgPosts`) whose requirement a `requiredScope`
   * hook can replace at run time, which a gateway cannot know: they get no
   * `@requiresScopes`, and are listed in a warning and in a comment at the
   * top of the SDL. Default: every scoped field when the schema was
   * transformed with a `requiredScope` hook, none otherwise.
   */
  readonly dynamicFields?: readonly string[];
  /** Receives the `ERR_DYNAMIC_SCOPES` warning. Default: `process.emitWarning`. */
  readonly onWarning?: (warning: ScopedPermissionsError) => void;
}

/** The types and fields federation adds to every subgraph; composition adds them again. */
const FEDERATION_TYPES = new Set(['_Any', '_Service', '_Entity', '_Entities']);
const FEDERATION_FIELDS = new Set(['_entities', '_service']);

function emitWarning(warning: ScopedPermissionsError): void {
  process.emitWarning(warning.message, { type: 'ScopedPermissionsWarning', code: warning.code });
}

/** Whether a type or directive name belongs to the federation or link specs rather than to the subgraph. */
function isSpecName(name: string, link: FederationLink): boolean {
  return name === 'link' || name.startsWith('link__') || name.startsWith(`${link.prefix}__`) || link.imported.has(name) || FEDERATION_TYPES.has(name);
}

/** The subgraph's requirements: those the transform recorded, else those its `@scope`s declare. */
function requirementsOf(schema: GraphQLSchema, directiveName: string, deleteVerbs: readonly string[] | undefined): { requirements: FieldRequirement[]; dynamic: boolean } {
  const enforcement = readScopeEnforcements(schema).find((each) => each.directiveName === directiveName);
  if (enforcement !== undefined) return { requirements: [...enforcement.requirements], dynamic: enforcement.requiredScope !== undefined };
  return { requirements: [...collectRequirements(schema, { directiveName, deleteVerbs }).values()], dynamic: false };
}

function requiresScopesDirective(name: string, requirement: FieldRequirement): ConstDirectiveNode {
  const scopes: ConstValueNode = {
    kind: Kind.LIST,
    values: requiresScopesOf(requirement).map((all): ConstValueNode => ({ kind: Kind.LIST, values: all.map((scope): ConstValueNode => ({ kind: Kind.STRING, value: scope })) })),
  };
  return { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: name }, arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'scopes' }, value: scopes }] };
}

/** The definition nodes of one named type, with `@requiresScopes` on each field of an object type that has a gateway requirement. */
function typeDefinitions(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  gatewayRequirements: ReadonlyMap<string, FieldRequirement>,
  directiveName: string,
): DefinitionNode[] {
  const nodes = [type.astNode, ...type.extensionASTNodes].filter((node): node is NonNullable<typeof node> => node != null);
  if (!isObjectType(type)) return nodes;
  const isQuery = type === schema.getQueryType();
  const withScopes = (field: FieldDefinitionNode): FieldDefinitionNode => {
    const requirement = gatewayRequirements.get(`${type.name}.${field.name.value}`);
    if (requirement === undefined) return field;
    if (field.directives?.some((directive) => directive.name.value === directiveName)) {
      throw new ScopedPermissionsError('ERR_INVALID_DIRECTIVE', `${requirement.coordinate} has both @${directiveName} and @scope: keep one, the gateway requirement is derived from @scope.`, {
        details: { coordinate: requirement.coordinate },
      });
    }
    return { ...field, directives: [...(field.directives ?? []), requiresScopesDirective(directiveName, requirement)] };
  };
  return nodes.flatMap((node): DefinitionNode[] => {
    if (node.kind !== Kind.OBJECT_TYPE_DEFINITION && node.kind !== Kind.OBJECT_TYPE_EXTENSION) return [node];
    const fields = (node.fields ?? []).filter((field) => !(isQuery && FEDERATION_FIELDS.has(field.name.value))).map(withScopes);
    // A Query that only held the federation fields goes: composition adds them back.
    if (fields.length === 0 && (node.fields ?? []).length > 0) return [];
    return [{ ...node, fields }];
  });
}

/**
 * The schema definition without the root types that were left out (a Query
 * that only held `_entities` and `_service`, in a subgraph that only extends
 * entities); with no root left, `extend schema` carries the `@link`s.
 */
function rootsOf(definition: SchemaDefinitionNode, printed: readonly DefinitionNode[]): SchemaDefinitionNode | SchemaExtensionNode {
  const names = new Set(printed.flatMap((node) => ('name' in node && node.name !== undefined ? [node.name.value] : [])));
  const operationTypes = definition.operationTypes.filter((root) => names.has(root.type.name.value));
  if (operationTypes.length > 0) return { ...definition, operationTypes };
  return { kind: Kind.SCHEMA_EXTENSION, directives: definition.directives ?? [] };
}

/** A GraphQL comment block (`# …` lines). */
const comment = (lines: readonly string[]): string => lines.map((line) => `# ${line}`).join('\n');

/**
 * Prints a subgraph's SDL for composition, with each `@scope` requirement
 * also as federation's `@requiresScopes`, so that a gateway (Apollo Router,
 * Hive Gateway, Cosmo) refuses what the subgraph would refuse, with the same
 * strings: `@scope(resource: "posts")` on a Query field prints
 * `@requiresScopes(scopes: [["posts.read"]])`, with the read/write/delete
 * defaults resolved. A type-level `@scope` is printed on each field of the
 * type, which is how the subgraph resolves it. The federation `@link` gets
 * `@requiresScopes` in its `import` (and v2.5 when it was lower, the first
 * version that has it). Interface fields get nothing (composition refuses
 * `@requiresScopes` on interfaces); their implementations do.
 *
 * Requirements that a `requiredScope` hook decides at run time cannot be
 * told to a gateway: they get no `@requiresScopes`, and are listed in an
 * `ERR_DYNAMIC_SCOPES` warning and in a comment at the top, so that nobody
 * believes the gateway checks them. The subgraph still does.
 *
 * Gateways match scope strings literally: a JWT for them must carry
 * concrete scopes (`expandGrants`), never `posts.*`.
 *
 * @param schema - A subgraph schema (`buildSubgraphSchema`, transformed or
 *   not), or one built from subgraph SDL with `assumeValidSDL`.
 * @example
 * ```ts
 * const sdl = printSubgraphSchemaWithScopes(schema); // … @requiresScopes(scopes: [["posts.read"]])
 * ```
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` for a schema
 *   without a Federation 2 `@link`; `ERR_INVALID_DIRECTIVE` for a field that
 *   has both `@scope` and a hand-written `@requiresScopes`; the directive
 *   errors of `collectRequirements` for an untransformed schema.
 */
export function printSubgraphSchemaWithScopes(schema: GraphQLSchema, options: PrintSubgraphSchemaOptions = {}): string {
  const scopeName = options.directiveName ?? 'scope';
  const link = linkRequiresScopes([schema.astNode, ...schema.extensionASTNodes].filter((node) => node != null));
  const { requirements, dynamic } = requirementsOf(schema, scopeName, options.deleteVerbs);
  const dynamicFields = new Set(options.dynamicFields ?? (dynamic ? requirements.map((requirement) => requirement.coordinate) : []));
  const gateway = new Map<string, FieldRequirement>();
  const skipped: FieldRequirement[] = [];
  for (const requirement of requirements) {
    const type = schema.getType(requirement.coordinate.slice(0, requirement.coordinate.indexOf('.')));
    if (!isObjectType(type)) continue;
    if (dynamicFields.has(requirement.coordinate)) skipped.push(requirement);
    else gateway.set(requirement.coordinate, requirement);
  }
  const definitions: DefinitionNode[] = [];
  for (const directive of schema.getDirectives()) {
    if (directive.astNode != null && !isSpecName(directive.name, link)) definitions.push(directive.astNode);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type) || isSpecName(type.name, link)) continue;
    definitions.push(...typeDefinitions(schema, type, gateway, link.directiveName));
  }
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [rootsOf(schemaDefinitionOf(schema, link.links), definitions), ...definitions] };
  const sdl = `${print(document)}\n`;
  if (skipped.length === 0) return sdl;
  const listed = skipped.map((requirement) => `${requirement.coordinate} (${requirement.scope} unless requiredScope replaces it)`);
  (options.onWarning ?? emitWarning)(
    new ScopedPermissionsError('ERR_DYNAMIC_SCOPES', `${skipped.length} requirement(s) are decided at run time by requiredScope, so the gateway cannot check them (the subgraph still does): ${listed.join(', ')}.`, {
      details: { coordinates: skipped.map((requirement) => requirement.coordinate) },
    }),
  );
  return `${comment(['graphql-scoped-permissions: the gateway does NOT check these requirements (a requiredScope hook decides them at run time);', 'the subgraph still does:', ...listed.map((line) => `  ${line}`)])}\n${sdl}`;
}
