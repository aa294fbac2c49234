import {
  DirectiveLocation,
  type GraphQLArgument,
  type GraphQLDirective,
  type GraphQLEnumValue,
  type GraphQLInputField,
  type GraphQLNamedType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLSchema,
  GraphQLString,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** The only places where the scope directive means something. */
export const SCOPE_DIRECTIVE_LOCATIONS: readonly DirectiveLocation[] = Object.freeze([
  DirectiveLocation.OBJECT,
  DirectiveLocation.INTERFACE,
  DirectiveLocation.FIELD_DEFINITION,
]);

/** Something the schema lets carry directives: in its AST nodes, or (code-first) in `extensions.directives`. */
interface Directable {
  readonly astNode?: { readonly directives?: ReadonlyArray<{ readonly name: { readonly value: string } }> } | null;
  readonly extensionASTNodes?: ReadonlyArray<{ readonly directives?: ReadonlyArray<{ readonly name: { readonly value: string } }> }> | null;
  readonly extensions?: unknown;
}

function invalidDirective(coordinate: string, directiveName: string, problem: string, details: Readonly<Record<string, unknown>> = {}): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_DIRECTIVE', `@${directiveName} on ${coordinate}: ${problem}`, {
    details: { coordinate, ...details },
  });
}

function carries(element: Directable, directiveName: string): boolean {
  const nodes = [element.astNode, ...(element.extensionASTNodes ?? [])];
  if (nodes.some((node) => node?.directives?.some((directive) => directive.name.value === directiveName) === true)) return true;
  const directives = (element.extensions as { directives?: Record<string, unknown> } | null | undefined)?.directives;
  const usage = directives != null && typeof directives === 'object' && Object.hasOwn(directives, directiveName) ? directives[directiveName] : undefined;
  return usage != null && (!Array.isArray(usage) || usage.length > 0);
}

/** Whether `element` carries a requirement in `extensions[directiveName]` (code-first, see `ScopeExtension`). */
function carriesExtension(element: Directable, directiveName: string): boolean {
  const extensions = element.extensions;
  return extensions != null && typeof extensions === 'object' && Object.hasOwn(extensions, directiveName) && (extensions as Record<string, unknown>)[directiveName] != null;
}

/** The argument types of the two definitions accepted: the current one, and the single-scope one of earlier versions. */
const DEFINITIONS: readonly ReadonlyMap<string, string>[] = [
  new Map([
    ['resource', String(GraphQLString)],
    ['action', String(GraphQLString)],
    ['anyOf', String(new GraphQLList(new GraphQLNonNull(GraphQLString)))],
  ]),
  new Map([
    ['resource', String(new GraphQLNonNull(GraphQLString))],
    ['action', String(GraphQLString)],
  ]),
];

/**
 * Checks that a declared directive has the arguments of
 * `scopeDirectiveTypeDefs` (`resource: String, action: String, anyOf: [String!]`,
 * or the single-scope `resource: String!, action: String` of earlier
 * versions), and may be placed only on `OBJECT`, `INTERFACE` or
 * `FIELD_DEFINITION` (any of them): anywhere else it would enforce nothing.
 */
function assertDefinition(definition: GraphQLDirective, directiveName: string): void {
  const args = new Map(definition.args.map((arg) => [arg.name, String(arg.type)]));
  const matches = DEFINITIONS.some((expected) => args.size === expected.size && [...expected].every(([name, type]) => args.get(name) === type));
  if (!matches) {
    throw invalidDirective(`@${directiveName}`, directiveName, 'the definition must be `(resource: String, action: String, anyOf: [String!]) repeatable`; use scopeDirectiveTypeDefs.');
  }
  const extra = definition.locations.filter((location) => !SCOPE_DIRECTIVE_LOCATIONS.includes(location));
  if (extra.length > 0) {
    throw invalidDirective(
      `@${directiveName}`,
      directiveName,
      `it is declared on ${extra.join(', ')}, where it would enforce nothing; declare it on OBJECT | INTERFACE | FIELD_DEFINITION only (scopeDirectiveTypeDefs).`,
      { locations: extra },
    );
  }
}

/** Every place of `schema` other than objects, interfaces and their fields that could carry a directive, with its coordinate and location. */
function* otherPlaces(schema: GraphQLSchema): Generator<[Directable, string, DirectiveLocation]> {
  yield [schema, 'schema', DirectiveLocation.SCHEMA];
  const argumentsOf = function* (owner: string, args: readonly GraphQLArgument[]): Generator<[Directable, string, DirectiveLocation]> {
    for (const arg of args) yield [arg, `${owner}(${arg.name}:)`, DirectiveLocation.ARGUMENT_DEFINITION];
  };
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) yield* argumentsOf(`${type.name}.${field.name}`, field.args);
    } else if (isEnumType(type)) {
      yield [type, type.name, DirectiveLocation.ENUM];
      for (const value of type.getValues() as GraphQLEnumValue[]) yield [value, `${type.name}.${value.name}`, DirectiveLocation.ENUM_VALUE];
    } else if (isInputObjectType(type)) {
      yield [type, type.name, DirectiveLocation.INPUT_OBJECT];
      for (const field of Object.values(type.getFields()) as GraphQLInputField[]) yield [field, `${type.name}.${field.name}`, DirectiveLocation.INPUT_FIELD_DEFINITION];
    } else if (isUnionType(type)) {
      yield [type, type.name, DirectiveLocation.UNION];
    } else if (isScalarType(type) && !isSpecifiedScalarType(type)) {
      yield [type, type.name, DirectiveLocation.SCALAR];
    }
  }
  for (const directive of schema.getDirectives()) yield* argumentsOf(`@${directive.name}`, directive.args);
}

/**
 * Refuses a scope directive that could be placed, or is placed, where it
 * enforces nothing:
 *
 * - a definition with the wrong arguments, or with locations other than
 *   `OBJECT | INTERFACE | FIELD_DEFINITION`;
 * - a use on the schema, a scalar, union, enum, enum value, input type,
 *   input field or argument, found in the AST or (code-first) in
 *   `extensions.directives`;
 * - (code-first) a requirement in `extensions[directiveName]` on any of
 *   those places but the schema.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_DIRECTIVE` naming the coordinate (and `details.location`).
 */
export function assertDirectivePlacement(schema: GraphQLSchema, directiveName: string): void {
  const definition = schema.getDirective(directiveName);
  // Code-first schemas carry directives in extensions without a definition.
  if (definition) assertDefinition(definition, directiveName);
  for (const [element, coordinate, location] of otherPlaces(schema)) {
    if (carries(element, directiveName)) {
      throw invalidDirective(coordinate, directiveName, `the directive is used on ${location}, where it enforces nothing; put it on a type, an interface or a field.`, { location });
    }
    // The schema's own extensions are not a place for a requirement, and hold this package's record.
    if (location !== DirectiveLocation.SCHEMA && carriesExtension(element, directiveName)) {
      throw new ScopedPermissionsError(
        'ERR_INVALID_DIRECTIVE',
        `extensions.${directiveName} on ${coordinate}: a requirement on ${location} enforces nothing; put it on a type, an interface or a field.`,
        { details: { coordinate, location } },
      );
    }
  }
}
