import { makeExecutableSchema } from '@graphql-tools/schema';
import { type DocumentNode, type GraphQLSchema, parse } from 'graphql';
import { scopeDirective } from '../../src/index';

/** Types in the chain of the wide document, and scalar fields per type. */
const TYPES = 10;
const FIELDS = 18;

/**
 * A schema of `TYPES` object types chained by a `next` field, each with
 * `FIELDS` scalar fields that need one of a few scopes, and an interface the
 * types implement, so the document can use inline fragments on it.
 */
export function wideSchema(): GraphQLSchema {
  const { scopeDirectiveTypeDefs, scopeDirectiveTransformer } = scopeDirective('scope', { enforce: 'operation' });
  const scalars = Array.from({ length: FIELDS }, (_, f) => `f${f}: String @scope(resource: "r${f % 6}")`).join('\n    ');
  const types = Array.from(
    { length: TYPES },
    (_, t) => `type T${t} implements Named @scope(resource: "t${t}") {\n    name: String\n    ${scalars}\n    ${t + 1 < TYPES ? `next: T${t + 1}` : 'next: String'}\n  }`,
  );
  const typeDefs = `interface Named { name: String }\n  ${types.join('\n  ')}\n  type Query { root: T0 @scope(resource: "root") }`;
  return scopeDirectiveTransformer(makeExecutableSchema({ typeDefs: [scopeDirectiveTypeDefs, typeDefs] }));
}

/**
 * A document of about 200 field selections: one named fragment per type
 * (its scalar fields), spread along the `next` chain, plus an inline
 * fragment on the interface at each level.
 */
export function wideDocument(): { document: DocumentNode; fieldCount: number } {
  const fragments = Array.from({ length: TYPES }, (_, t) => `fragment F${t} on T${t} { ${Array.from({ length: FIELDS }, (_, f) => `f${f}`).join(' ')} }`);
  let body = 'next';
  for (let t = TYPES - 1; t >= 0; t -= 1) body = `...F${t} ... on Named { name } ${t + 1 < TYPES ? `next { ${body} }` : 'next'}`;
  const document = parse(`query Wide { root { ${body} } }\n${fragments.join('\n')}`);
  // root + per type: FIELDS scalars, name, next
  return { document, fieldCount: 1 + TYPES * (FIELDS + 2) };
}
