import { type ConstValueNode, type GraphQLSchema, getNamedType, Kind } from 'graphql';

/** The specification `@requiresScopes` comes from, as a supergraph's `@link(url:)` names it. */
const REQUIRES_SCOPES_SPEC = /^https?:\/\/specs\.apollo\.dev\/requiresScopes\/v\d+(\.\d+)?$/;

const SPEC_NAME = 'requiresScopes';

function argument(node: { readonly arguments?: readonly { readonly name: { readonly value: string }; readonly value: ConstValueNode }[] | undefined }, name: string): ConstValueNode | undefined {
  return node.arguments?.find((each) => each.name.value === name)?.value;
}

const stringOf = (value: ConstValueNode | undefined): string | undefined => (value?.kind === Kind.STRING ? value.value : undefined);
const bare = (name: string): string => name.replace(/^@/, '');

/**
 * The names a supergraph gives `@requiresScopes`, without `@`: always
 * `requiresScopes`, plus what the schema's `@link` to the requiresScopes
 * specification says. A subgraph may import the directive under another
 * name (`import: [{ name: "@requiresScopes", as: "@needs" }]`), which
 * `@apollo/composition` keeps in the supergraph; the link's `as` renames
 * its namespace (`@<as>`, `@<as>__requiresScopes`). Also any directive the
 * schema defines with a `scopes` argument of the specification's scalar
 * (`requiresScopes__Scope`, or the renamed namespace's). Reading a name too
 * many can only refuse more, never less: a requirement under a name the
 * gateway did not read would be an open field.
 */
export function requiresScopesNames(schema: GraphQLSchema): readonly string[] {
  const names = new Set<string>([SPEC_NAME]);
  const namespaces = new Set<string>([SPEC_NAME]);
  for (const node of [schema.astNode, ...schema.extensionASTNodes]) {
    for (const link of node?.directives ?? []) {
      if (link.name.value !== 'link' || !REQUIRES_SCOPES_SPEC.test(stringOf(argument(link, 'url')) ?? '')) continue;
      const namespace = stringOf(argument(link, 'as')) ?? SPEC_NAME;
      namespaces.add(namespace);
      names.add(namespace).add(`${namespace}__${SPEC_NAME}`);
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING && bare(entry.value) === SPEC_NAME) names.add(SPEC_NAME);
        if (entry.kind !== Kind.OBJECT) continue;
        const field = (name: string): string | undefined => stringOf(entry.fields.find((each) => each.name.value === name)?.value);
        const imported = field('name');
        if (imported !== undefined && bare(imported) === SPEC_NAME) names.add(bare(field('as') ?? imported));
      }
    }
  }
  const scalars = new Set([...namespaces].map((namespace) => `${namespace}__Scope`));
  for (const directive of schema.getDirectives()) {
    const scopes = directive.args.find((each) => each.name === 'scopes');
    if (scopes !== undefined && scalars.has(getNamedType(scopes.type).name)) names.add(directive.name);
  }
  return [...names];
}
