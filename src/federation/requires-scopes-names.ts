import { type ConstValueNode, type GraphQLSchema, getNamedType, Kind } from 'graphql';
import { argumentOf, importedNames } from './federation-link';

/** The specification `@requiresScopes` comes from, as a supergraph's `@link(url:)` names it. */
const REQUIRES_SCOPES_SPEC = /^https?:\/\/specs\.apollo\.dev\/requiresScopes\/v\d+(\.\d+)?$/;

const SPEC_NAME = 'requiresScopes';

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
      if (link.name.value !== 'link' || !REQUIRES_SCOPES_SPEC.test(stringOf(argumentOf(link, 'url')) ?? '')) continue;
      const namespace = stringOf(argumentOf(link, 'as')) ?? SPEC_NAME;
      namespaces.add(namespace);
      names.add(namespace).add(`${namespace}__${SPEC_NAME}`);
      const imports = argumentOf(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        const imported = importedNames(entry);
        if (imported !== undefined && bare(imported[0]) === SPEC_NAME) names.add(bare(imported[1]));
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
