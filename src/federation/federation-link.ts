import {
  type ConstArgumentNode,
  type ConstDirectiveNode,
  type ConstValueNode,
  type GraphQLSchema,
  Kind,
  OperationTypeNode,
  type OperationTypeDefinitionNode,
  type SchemaDefinitionNode,
} from 'graphql';
import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/** The federation spec URL's prefix, before `/v2.x`. */
const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/';

/** The first federation version with `@requiresScopes`. */
export const MIN_REQUIRES_SCOPES_VERSION = { major: 2, minor: 5 } as const;

/** What {@link linkRequiresScopes} made of a schema's federation `@link`. */
export interface FederationLink {
  /** The schema's `@link`s, with `@requiresScopes` imported and the federation version at least v2.5. */
  readonly links: readonly ConstDirectiveNode[];
  /** The name `@requiresScopes` goes by in this subgraph, without `@` (an `import` can rename it). */
  readonly directiveName: string;
  /** The names the federation `@link` brings in (imports, renamed), and its prefix: not the user's. */
  readonly imported: ReadonlySet<string>;
  readonly prefix: string;
}

const stringValue = (value: string): ConstValueNode => ({ kind: Kind.STRING, value });

/** The value of a directive's argument `name`, if given. */
export function argumentOf(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((argument) => argument.name.value === name)?.value;
}

function notFederation2(problem: string): ScopedPermissionsError {
  return new ScopedPermissionsError('ERR_INVALID_OPTIONS', `printSubgraphSchemaWithScopes: ${problem} A Federation 2 subgraph links the spec: extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"]).`);
}

/** An `import` entry's original and local names (`"@key"`, or `{ name: "@key", as: "@primaryKey" }`). */
export function importedNames(value: ConstValueNode): readonly [string, string] | undefined {
  if (value.kind === Kind.STRING) return [value.value, value.value];
  if (value.kind !== Kind.OBJECT) return undefined;
  const field = (name: string): string | undefined => {
    const found = value.fields.find((entry) => entry.name.value === name)?.value;
    return found?.kind === Kind.STRING ? found.value : undefined;
  };
  const name = field('name');
  return name === undefined ? undefined : [name, field('as') ?? name];
}

/**
 * Finds the schema's federation `@link`, imports `@requiresScopes` into it
 * (unless it already is), and raises its version to v2.5 when it is lower.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_OPTIONS` when the schema
 *   links no federation spec, or a version it cannot read.
 */
export function linkRequiresScopes(schemaNodes: readonly { readonly directives?: readonly ConstDirectiveNode[] | undefined }[]): FederationLink {
  const links = schemaNodes.flatMap((node) => (node.directives ?? []).filter((directive) => directive.name.value === 'link'));
  const index = links.findIndex((link) => {
    const url = argumentOf(link, 'url');
    return url?.kind === Kind.STRING && url.value.startsWith(FEDERATION_SPEC);
  });
  const link = links[index];
  if (link === undefined) throw notFederation2('the schema has no federation @link.');
  const url = argumentOf(link, 'url') as ConstValueNode & { value: string };
  const version = /^v(\d+)\.(\d+)$/.exec(url.value.slice(FEDERATION_SPEC.length));
  if (version === null || Number(version[1]) !== 2) throw notFederation2(`cannot read the federation version of ${JSON.stringify(url.value)}.`);
  const minor = Math.max(Number(version[2]), MIN_REQUIRES_SCOPES_VERSION.minor);
  const as = argumentOf(link, 'as');
  const prefix = as?.kind === Kind.STRING ? as.value : 'federation';
  const importValue = argumentOf(link, 'import');
  const entries = importValue?.kind === Kind.LIST ? importValue.values : [];
  const imported = new Set<string>();
  let directiveName: string | undefined;
  for (const entry of entries) {
    const names = importedNames(entry);
    if (names === undefined) continue;
    imported.add(names[1].replace(/^@/, ''));
    if (names[0] === '@requiresScopes') directiveName = names[1].replace(/^@/, '');
  }
  const values = directiveName === undefined ? [...entries, stringValue('@requiresScopes')] : entries;
  const args: ConstArgumentNode[] = [
    { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'url' }, value: stringValue(`${FEDERATION_SPEC}v2.${minor}`) },
    ...(link.arguments ?? []).filter((argument) => argument.name.value !== 'url' && argument.name.value !== 'import'),
    { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'import' }, value: { kind: Kind.LIST, values } },
  ];
  imported.add(directiveName ?? 'requiresScopes');
  const updated: ConstDirectiveNode = { ...link, arguments: args };
  return { links: links.map((each, position) => (position === index ? updated : each)), directiveName: directiveName ?? 'requiresScopes', imported, prefix };
}

/**
 * The schema definition: its root types, with these `@link`s (the link
 * spec's own `@link` is implied, and left out).
 */
export function schemaDefinitionOf(schema: GraphQLSchema, links: readonly ConstDirectiveNode[]): SchemaDefinitionNode {
  const directives = links.filter((link) => {
    const url = argumentOf(link, 'url');
    return !(url?.kind === Kind.STRING && url.value.startsWith('https://specs.apollo.dev/link/'));
  });
  const roots = [
    [OperationTypeNode.QUERY, schema.getQueryType()],
    [OperationTypeNode.MUTATION, schema.getMutationType()],
    [OperationTypeNode.SUBSCRIPTION, schema.getSubscriptionType()],
  ] as const;
  const operationTypes = roots.flatMap(([operation, type]): OperationTypeDefinitionNode[] =>
    type ? [{ kind: Kind.OPERATION_TYPE_DEFINITION, operation, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } } }] : [],
  );
  return { kind: Kind.SCHEMA_DEFINITION, directives, operationTypes };
}
